import { Injectable } from '@nestjs/common';
import { Temporal } from 'temporal-polyfill';
import { messageError } from './messages.errors.js';
import { MessagesQueryRepository, type MessageFilters } from './messages-query.repository.js';
import { isIanaZone, zonedRange, type InstantRange } from './wall-time.js';

export interface CalendarRequest extends MessageFilters {
  from: string;
  to: string;
  zone: string;
}

/**
 * The calendar: what goes out when, seen from one time zone. Read-only; row-level security
 * decides what the caller can see.
 */
@Injectable()
export class CalendarService {
  constructor(private readonly repo: MessagesQueryRepository) {}

  /** Messages scheduled on the local days [from, to) of `zone`, earliest first, at most `max`. */
  async calendar(req: CalendarRequest, max: number) {
    if (!isIanaZone(req.zone)) throw messageError('invalid_zone', `Not an IANA time zone: ${req.zone}`);
    const range = zonedRange(req.from, req.to, req.zone);
    const rows = await this.repo.findScheduledBetween(range.from, range.to, req, max + 1);
    const clock = zoneClock(req.zone, range);
    const days = new Map<string, number>();
    const items = rows.slice(0, max).map((r) => {
      const local = clock(r.scheduled_at);
      days.set(local.date, (days.get(local.date) ?? 0) + 1);
      return {
        id: r.id,
        title: r.title,
        status: r.status,
        orgId: r.org_id,
        campaignId: r.campaign_id,
        channels: r.channels,
        languages: r.languages,
        tags: r.tags,
        scheduledAt: r.scheduled_at.toISOString(),
        localDate: local.date,
        localTime: local.time,
        schedule: { local: r.schedule_local, zone: r.schedule_zone },
      };
    });
    return {
      from: req.from,
      to: req.to,
      zone: req.zone,
      range: { from: range.from.toISOString(), to: range.to.toISOString() },
      days: [...days].map(([date, count]) => ({ date, count })),
      items,
      truncated: rows.length > max,
    };
  }
}

/**
 * The local date and time of instants in `range`, in `zone`. A month view can hold thousands of
 * messages and a Temporal conversion costs ~75 µs each, so the zone's offsets over the range
 * are looked up once (its transitions, usually none or one) and each instant is shifted by
 * its offset: well under a microsecond. Instants outside the range take the slow path.
 */
function zoneClock(zone: string, range: InstantRange): (at: Date) => { date: string; time: string } {
  const segments: { until: number; offsetMs: number }[] = [];
  let at = Temporal.Instant.fromEpochMilliseconds(range.from.getTime()).toZonedDateTimeISO(zone);
  for (;;) {
    const next = at.getTimeZoneTransition('next');
    const until = next && next.epochMilliseconds < range.to.getTime() ? next.epochMilliseconds : range.to.getTime();
    segments.push({ until, offsetMs: at.offsetNanoseconds / 1e6 });
    if (!next || until === range.to.getTime()) break;
    at = next;
  }
  const wall = (ms: number) => {
    const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:mm:ss.sssZ
    return { date: iso.slice(0, 10), time: iso.slice(11, 19) };
  };
  return (instant) => {
    const ms = instant.getTime();
    if (ms >= range.from.getTime()) {
      for (const s of segments) if (ms < s.until) return wall(ms + s.offsetMs);
    }
    const z = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone);
    return wall(ms + z.offsetNanoseconds / 1e6);
  };
}
