import { Injectable } from '@nestjs/common';
import { encodeCalendarCursor, type CalendarCursor, type CalendarItem, type CalendarView } from './calendar.dto.js';
import { messageError } from '../messages.errors.js';
import { MessagesQueryRepository, type MessageFilters } from './messages-query.repository.js';
import { isIanaZone, zoneClock, zoneOffsets, zonedRange } from '../../../platform/time/wall-time.js';

export interface CalendarRequest extends MessageFilters {
  from: string;
  to: string;
  zone: string;
  after?: CalendarCursor | undefined;
}

/**
 * The calendar: what goes out when, seen from one time zone. Read-only; row-level security
 * decides what the caller can see.
 */
@Injectable()
export class CalendarService {
  constructor(private readonly repo: MessagesQueryRepository) {}

  /**
   * Messages scheduled on the local days [from, to) of `zone`, earliest first, `pageSize` at a
   * time; the first page also says how many each day of the range holds (that count reads every
   * message of the range, a page only its own, so later pages skip it). Days and local times, in
   * SQL and here alike, follow the zone's offsets from Node's tzdata, as the range bounds do.
   */
  async calendar(req: CalendarRequest, pageSize: number): Promise<CalendarView> {
    if (!isIanaZone(req.zone)) throw messageError('invalid_zone', `Not an IANA time zone: ${req.zone}`);
    const range = zonedRange(req.from, req.to, req.zone);
    const days = req.after ? null : await this.repo.countByLocalDay(range, zoneOffsets(req.zone, range), req);
    const rows = await this.repo.findScheduledBetween(range, req, pageSize + 1, req.after);
    const page = rows.slice(0, pageSize);
    const clock = zoneClock(req.zone, range);
    const items = page.map((r): CalendarItem => {
      const ms = Math.floor(Number(r.scheduled_us) / 1000);
      const local = clock(ms);
      return {
        id: r.id,
        title: r.title,
        status: r.status,
        orgId: r.org_id,
        campaignId: r.campaign_id,
        channels: r.channels === '' ? [] : r.channels.split(','),
        scheduledAt: new Date(ms).toISOString(),
        localDate: local.date,
        localTime: local.time,
        schedule: { local: r.schedule_local, zone: r.schedule_zone },
      };
    });
    const last = page.at(-1);
    return {
      from: req.from,
      to: req.to,
      zone: req.zone,
      range: { from: range.from.toISOString(), to: range.to.toISOString() },
      days,
      items,
      next: rows.length > pageSize && last ? encodeCalendarCursor({ afterUs: last.scheduled_us, afterId: last.id }) : null,
    };
  }
}
