import { Injectable } from '@nestjs/common';
import type { CalendarItem, CalendarView } from './calendar.dto.js';
import { messageError } from './messages.errors.js';
import { MessagesQueryRepository, type MessageFilters } from './messages-query.repository.js';
import { isIanaZone, zoneClock, zonedRange } from './wall-time.js';

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

  /**
   * Messages scheduled on the local days [from, to) of `zone`, earliest first, at most `max`.
   * Every field of the answer is written out here from a typed row: the route sends it without
   * parsing it through its schema again (see CalendarController), so the annotations below are
   * what holds it to the schema.
   */
  async calendar(req: CalendarRequest, max: number): Promise<CalendarView> {
    if (!isIanaZone(req.zone)) throw messageError('invalid_zone', `Not an IANA time zone: ${req.zone}`);
    const range = zonedRange(req.from, req.to, req.zone);
    const rows = await this.repo.findScheduledBetween(range.from, range.to, req, max + 1);
    const clock = zoneClock(req.zone, range);
    const days = new Map<string, number>();
    const items = rows.slice(0, max).map((r): CalendarItem => {
      const local = clock(r.scheduled_ms);
      days.set(local.date, (days.get(local.date) ?? 0) + 1);
      return {
        id: r.id,
        title: r.title,
        status: r.status,
        orgId: r.org_id,
        campaignId: r.campaign_id,
        channels: r.channels === '' ? [] : r.channels.split(','),
        scheduledAt: new Date(r.scheduled_ms).toISOString(),
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
