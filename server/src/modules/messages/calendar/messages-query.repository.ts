import { Injectable } from '@nestjs/common';
import { sql, type Expression, type SqlBool } from 'kysely';
import { Transactor } from '../../../platform/database/transactor.js';
import type { CalendarCursor } from './calendar.dto.js';
import type { MessageStatus } from '../message-status.js';
import type { InstantRange, ZoneOffsets } from '../../../platform/time/wall-time.js';
import '../messages.tables.js';

export interface MessageFilters {
  /** The organisations whose subtrees to show (any of them); RLS already limits rows to the caller's. */
  orgIds?: string[] | undefined;
  channels?: string[] | undefined;
  statuses?: MessageStatus[] | undefined;
  campaignId?: string | undefined;
  tags?: string[] | undefined;
  languages?: string[] | undefined;
}

/**
 * One calendar entry, as plain text and numbers: node-postgres parses `text[]` and `timestamptz`
 * in JavaScript (~5 µs a row for this row's arrays and instant), which was half the cost of a
 * 5,000-message month, while strings and numbers arrive for free.
 */
export interface CalendarRow {
  id: string;
  org_id: string;
  campaign_id: string | null;
  title: string;
  status: MessageStatus;
  /** The channels joined by commas (channel names have none). */
  channels: string;
  /** scheduled_at in epoch microseconds, as text: exact whatever the year, for the cursor. */
  scheduled_us: string;
  schedule_zone: string;
  /** The wall-clock time as chosen, 'YYYY-MM-DDTHH:mm:ss'. */
  schedule_local: string;
}

/**
 * Read-only queries for the calendar. Row-level
 * security adds `org_path @> ARRAY[(SELECT guddu_current_org())]` to every statement here.
 */
@Injectable()
export class MessagesQueryRepository {
  constructor(private readonly tx: Transactor) {}

  private get db() {
    return this.tx.current();
  }

  /**
   * Messages scheduled in [from, to), earliest first, after the cursor when given. The range
   * comes first so the partial index on scheduled_at drives the scan, in order, stopping after
   * `limit`; the subtree and the filters are checked on the rows it yields.
   */
  async findScheduledBetween(range: InstantRange, f: MessageFilters, limit: number, after?: CalendarCursor): Promise<CalendarRow[]> {
    let query = this.db
      .selectFrom('messages')
      .select([
        'id',
        'org_id',
        'campaign_id',
        'title',
        'status',
        sql<string>`array_to_string(channels, ',')`.as('channels'),
        sql<string>`(extract(epoch FROM scheduled_at) * 1000000)::int8::text`.as('scheduled_us'),
        sql<string>`schedule_zone`.as('schedule_zone'),
        sql<string>`to_char(schedule_local, 'YYYY-MM-DD"T"HH24:MI:SS')`.as('schedule_local'),
      ])
      .where('scheduled_at', '>=', range.from)
      .where('scheduled_at', '<', range.to);
    if (after) query = query.where(sql<SqlBool>`(scheduled_at, id) > (${instantOfUs(after.afterUs)}, ${after.afterId}::uuid)`);
    for (const condition of filterConditions(f)) query = query.where(condition);
    return query.orderBy('scheduled_at').orderBy('id').limit(limit).execute();
  }

  /**
   * How many messages each local day of [from, to) holds, by the zone's offsets over the range
   * (see ZoneOffsets): `offsetsMs[1 + the number of transitions at or before scheduled_at]`.
   */
  async countByLocalDay(range: InstantRange, offsets: ZoneOffsets, f: MessageFilters): Promise<{ date: string; count: number }[]> {
    const day = sql<string>`((scheduled_at AT TIME ZONE 'UTC')
      + (${offsets.offsetsMs}::int8[])[1 + width_bucket(scheduled_at, ${offsets.transitions}::timestamptz[])] * interval '1 millisecond')::date`;
    let perDay = this.db
      .selectFrom('messages')
      .select([day.as('day'), sql<number>`count(*)::int`.as('count')])
      .where('scheduled_at', '>=', range.from)
      .where('scheduled_at', '<', range.to);
    for (const condition of filterConditions(f)) perDay = perDay.where(condition);
    // Formatted after grouping: to_char once a day, not once a message (and whatever DateStyle).
    return this.db
      .selectFrom(perDay.groupBy(sql`1`).as('d'))
      .select([sql<string>`to_char(day, 'YYYY-MM-DD')`.as('date'), 'count'])
      .orderBy('day')
      .execute();
  }
}

/** Epoch microseconds (decimal text) as a timestamptz, exactly: interval × float8 would round past 2^53. */
const instantOfUs = (us: string) =>
  sql`(timestamptz 'epoch' + (${us}::int8 / 1000000) * interval '1 second' + (${us}::int8 % 1000000) * interval '1 microsecond')`;

/** The optional filters, as conditions on `messages` (aliased `alias` when given). */
export function filterConditions(f: MessageFilters, alias?: string): Expression<SqlBool>[] {
  const col = (name: string) => sql.ref(alias ? `${alias}.${name}` : name);
  const out: Expression<SqlBool>[] = [];
  if (f.orgIds?.length) out.push(sql<SqlBool>`${col('org_path')} && ${f.orgIds}::uuid[]`);
  if (f.channels?.length) out.push(sql<SqlBool>`${col('channels')} && ${f.channels}::text[]`);
  if (f.statuses?.length) out.push(sql<SqlBool>`${col('status')} = ANY (${f.statuses}::text[])`);
  if (f.campaignId) out.push(sql<SqlBool>`${col('campaign_id')} = ${f.campaignId}::uuid`);
  if (f.tags?.length) out.push(sql<SqlBool>`${col('tags')} && ${f.tags}::text[]`);
  if (f.languages?.length) out.push(sql<SqlBool>`${col('languages')} && ${f.languages}::text[]`);
  return out;
}
