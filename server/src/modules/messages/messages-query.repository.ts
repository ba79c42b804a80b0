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

export interface CalendarRow {
  id: string;
  org_id: string;
  campaign_id: string | null;
  title: string;
  status: MessageStatus;
  channels: string[];
  languages: string[];
  tags: string[];
  scheduled_at: Date;
  schedule_zone: string;
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
        'channels',
        'languages',
        'tags',
        'scheduled_at',
        'schedule_zone',
        sql<string>`to_char(schedule_local, 'YYYY-MM-DD"T"HH24:MI:SS')`.as('schedule_local'),
      ])
      .where('scheduled_at', '>=', from)
      .where('scheduled_at', '<', to);
    for (const condition of filterConditions(f)) query = query.where(condition);
    const rows = await query.orderBy('scheduled_at').orderBy('id').limit(limit).execute();
    return rows as CalendarRow[];
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
