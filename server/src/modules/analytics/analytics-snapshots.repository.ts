import { Injectable } from '@nestjs/common';
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import type { AnalyticsSnapshotPlanTable } from './analytics-snapshots.tables.js';
import './analytics-snapshots.tables.js';

export type PlanRow = Selectable<AnalyticsSnapshotPlanTable>;

export interface PlannedPost {
  orgId: string;
  channelId: string;
  network: string;
  deliveryId: string;
  messageId: string;
  campaignId: string | null;
  externalId: string;
  publishedAt: Date;
  nextAt: Date;
}

@Injectable()
export class AnalyticsSnapshotsRepository {
  constructor(private readonly tx: Transactor) {}

  /** A published delivery joins the schedule once; a repeated event changes nothing. */
  async planPost(p: PlannedPost): Promise<boolean> {
    const rows = await this.tx
      .current()
      .insertInto('analytics_snapshot_plan')
      .values({ org_id: p.orgId, kind: 'post', channel_id: p.channelId, network: p.network, delivery_id: p.deliveryId, message_id: p.messageId, campaign_id: p.campaignId, external_id: p.externalId, published_at: p.publishedAt, next_at: p.nextAt, lease_until: null, last_error: null, last_read_at: null, done_at: null })
      .onConflict((oc) => oc.column('delivery_id').where('kind', '=', 'post').doNothing())
      .returning('id')
      .execute();
    return rows.length > 0;
  }

  /** The channel's daily followers read, once per channel (reconnecting does not add another). */
  async planAccount(p: { orgId: string; channelId: string; network: string; nextAt: Date }): Promise<void> {
    await this.tx
      .current()
      .insertInto('analytics_snapshot_plan')
      .values({ org_id: p.orgId, kind: 'account', channel_id: p.channelId, network: p.network, delivery_id: null, message_id: null, campaign_id: null, external_id: null, published_at: null, next_at: p.nextAt, lease_until: null, last_error: null, last_read_at: null, done_at: null })
      .onConflict((oc) => oc.column('channel_id').where('kind', '=', 'account').doNothing())
      .execute();
  }

  /**
   * Leases up to `limit` rows due at `now` (oldest first) until `leaseUntil`; a worker that dies
   * holding them loses them when the lease ends. SKIP LOCKED: workers never wait on each other.
   */
  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<PlanRow[]> {
    const { rows } = await sql<PlanRow>`
      UPDATE analytics_snapshot_plan SET lease_until = ${leaseUntil}
      WHERE id IN (
        SELECT id FROM analytics_snapshot_plan
        WHERE done_at IS NULL AND next_at <= ${now} AND (lease_until IS NULL OR lease_until < ${now})
        ORDER BY next_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING *`.execute(this.tx.current());
    return rows;
  }

  async advance(id: string, next: { step: number; at: Date } | undefined, readAt: Date, story: boolean): Promise<void> {
    await this.tx
      .current()
      .updateTable('analytics_snapshot_plan')
      .set({ step: next?.step ?? sql<number>`step`, next_at: next?.at ?? null, done_at: next ? null : readAt, lease_until: null, failures: 0, last_error: null, last_read_at: readAt, story })
      .where('id', '=', id)
      .execute();
  }

  /** Not now: try again at `at` (a rate limit's reset, or a backoff after a failure). */
  async postpone(id: string, at: Date, failures: number, error: string | null): Promise<void> {
    await this.tx.current().updateTable('analytics_snapshot_plan').set({ next_at: at, lease_until: null, failures, last_error: error }).where('id', '=', id).execute();
  }

  async finish(id: string, at: Date, error: string): Promise<void> {
    await this.tx.current().updateTable('analytics_snapshot_plan').set({ done_at: at, next_at: null, lease_until: null, last_error: error }).where('id', '=', id).execute();
  }

  async planOf(deliveryId: string): Promise<PlanRow | undefined> {
    return this.tx.current().selectFrom('analytics_snapshot_plan').selectAll().where('delivery_id', '=', deliveryId).executeTakeFirst();
  }
}
