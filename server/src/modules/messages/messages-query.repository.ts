import { Injectable } from '@nestjs/common';
import { sql, type Expression, type SqlBool } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import type { MessageStatus } from './message-status.js';
import './messages.tables.js';

export interface MessageFilters {
  /** The organisation whose subtree to show; RLS already limits rows to the caller's. */
  orgId?: string | undefined;
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
  /** scheduled_at in epoch milliseconds, sub-milliseconds dropped. */
  scheduled_ms: number;
  schedule_zone: string;
  /** The wall-clock time as chosen, 'YYYY-MM-DDTHH:mm:ss'. */
  schedule_local: string;
}

/**
 * Read-only queries for the calendar. Row-level
 * security adds `org_path @> ARRAY[guddu_current_org()]` to every statement here.
 */
@Injectable()
export class MessagesQueryRepository {
  constructor(private readonly tx: Transactor) {}

  private get db() {
    return this.tx.current();
  }

  /**
   * Messages scheduled in [from, to), earliest first. The range comes first so the partial index
   * on scheduled_at drives the scan; the subtree and the filters are checked on the rows it yields.
   */
  async findScheduledBetween(from: Date, to: Date, f: MessageFilters, limit: number): Promise<CalendarRow[]> {
    let query = this.db
      .selectFrom('messages')
      .select([
        'id',
        'org_id',
        'campaign_id',
        'title',
        'status',
        sql<string>`array_to_string(channels, ',')`.as('channels'),
        // int8 arrives as a number (platform/database); floor, not round, keeps an instant a
        // fraction of a millisecond before `to` inside the range.
        sql<number>`floor(extract(epoch FROM scheduled_at) * 1000)::int8`.as('scheduled_ms'),
        sql<string>`schedule_zone`.as('schedule_zone'),
        sql<string>`to_char(schedule_local, 'YYYY-MM-DD"T"HH24:MI:SS')`.as('schedule_local'),
      ])
      .where('scheduled_at', '>=', from)
      .where('scheduled_at', '<', to);
    for (const condition of filterConditions(f)) query = query.where(condition);
    return query.orderBy('scheduled_at').orderBy('id').limit(limit).execute();
  }
}

/** The optional filters, as conditions on `messages` (aliased `alias` when given). */
export function filterConditions(f: MessageFilters, alias?: string): Expression<SqlBool>[] {
  const col = (name: string) => sql.ref(alias ? `${alias}.${name}` : name);
  const out: Expression<SqlBool>[] = [];
  if (f.orgId) out.push(sql<SqlBool>`${col('org_path')} @> ARRAY[${f.orgId}::uuid]`);
  if (f.channels?.length) out.push(sql<SqlBool>`${col('channels')} && ${f.channels}::text[]`);
  if (f.statuses?.length) out.push(sql<SqlBool>`${col('status')} = ANY (${f.statuses}::text[])`);
  if (f.campaignId) out.push(sql<SqlBool>`${col('campaign_id')} = ${f.campaignId}::uuid`);
  if (f.tags?.length) out.push(sql<SqlBool>`${col('tags')} && ${f.tags}::text[]`);
  if (f.languages?.length) out.push(sql<SqlBool>`${col('languages')} && ${f.languages}::text[]`);
  return out;
}
