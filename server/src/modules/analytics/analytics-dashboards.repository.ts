import { Injectable } from '@nestjs/common';
import { sql, type Selectable } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import type { AnalyticsDashboardsTable } from './analytics-snapshots.tables.js';
import './analytics-snapshots.tables.js';

export type DashboardRow = Selectable<AnalyticsDashboardsTable>;

export interface TopPostRow {
  network: string;
  published_at: Date;
  reach: number | null;
  impressions: number | null;
  reactions: number | null;
  shares: number | null;
  comments: number | null;
}

@Injectable()
export class AnalyticsDashboardsRepository {
  constructor(private readonly tx: Transactor) {}

  async insert(d: { id: string; orgId: string; title: string; widgets: string[]; rangeDays: number; keySealed: string; expiresAt: Date; createdBy: string }): Promise<DashboardRow> {
    return this.tx
      .current()
      .insertInto('analytics_dashboards')
      .values({ id: d.id, org_id: d.orgId, title: d.title, widgets: d.widgets, range_days: d.rangeDays, key_sealed: d.keySealed, expires_at: d.expiresAt, revoked_at: null, created_by: d.createdBy })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  find(id: string): Promise<DashboardRow | undefined> {
    return this.tx.current().selectFrom('analytics_dashboards').selectAll().where('id', '=', id).executeTakeFirst();
  }

  list(orgId: string): Promise<DashboardRow[]> {
    return this.tx.current().selectFrom('analytics_dashboards').selectAll().where('org_id', '=', orgId).orderBy('created_at', 'desc').limit(200).execute();
  }

  async revoke(id: string, at: Date): Promise<DashboardRow | undefined> {
    return this.tx.current().updateTable('analytics_dashboards').set({ revoked_at: sql<Date>`coalesce(revoked_at, ${at})` }).where('id', '=', id).returningAll().executeTakeFirst();
  }

  /**
   * The organisation's (and subtree's) posts with the most reach in [from, to): per post its
   * latest figures, with the network and day only — never text, handle or link.
   */
  async topPosts(orgId: string, from: Date, to: Date, limit: number): Promise<TopPostRow[]> {
    const { rows } = await sql<TopPostRow>`
      WITH latest AS (
        SELECT DISTINCT ON (p.delivery_id) p.delivery_id, p.network, p.reach::float8 AS reach, p.impressions::float8 AS impressions,
          p.reactions::float8 AS reactions, p.shares::float8 AS shares, p.comments::float8 AS comments
        FROM analytics_metric_points p
        WHERE p.delivery_id IS NOT NULL AND p.org_path @> ARRAY[${orgId}::uuid] AND p.captured_at >= ${from} AND p.captured_at < ${to}
        ORDER BY p.delivery_id, p.captured_at DESC
      )
      SELECT l.network, pl.published_at, l.reach, l.impressions, l.reactions, l.shares, l.comments
      FROM latest l JOIN analytics_snapshot_plan pl ON pl.kind = 'post' AND pl.delivery_id = l.delivery_id
      ORDER BY coalesce(l.reach, l.impressions) DESC NULLS LAST, l.reactions DESC NULLS LAST
      LIMIT ${limit}`.execute(this.tx.current());
    return rows;
  }
}
