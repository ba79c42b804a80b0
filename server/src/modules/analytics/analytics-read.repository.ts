import { Injectable } from '@nestjs/common';
import { sql, type RawBuilder } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import { METRICS, type MetricValues } from './analytics.metrics.js';

export type ReadScope = { kind: 'message' | 'campaign' | 'channel' | 'organisation'; id: string };

export interface BucketRow extends MetricValues {
  bucket: Date;
  posts: number;
}

const SUMS = sql.raw(METRICS.map((m) => `sum(${m})::float8 AS ${m}`).join(', '));
const LIST = sql.raw(METRICS.join(', '));

/**
 * Reads of stored snapshots, as the caller sees them (row-level security: a tenant reads its own
 * figures and those of the organisations below it, never a sibling's). Figures are running
 * totals, so a bucket holds, per post (or account), its latest snapshot in the bucket, summed.
 * Raw snapshots are read while they are kept; older ranges read the hourly rollups.
 */
@Injectable()
export class AnalyticsReadRepository {
  constructor(private readonly tx: Transactor) {}

  /** `grain` null: one bucket for the whole range (the period's totals). */
  async buckets(scope: ReadScope, from: Date, to: Date, grain: 'hour' | 'day' | null, zone: string, fromRollups: boolean): Promise<BucketRow[]> {
    const source = fromRollups
      ? sql`SELECT channel_id, delivery_id, bucket AS at, ${LIST} FROM analytics_metric_rollups WHERE grain = 'hour' AND bucket >= ${from} AND bucket < ${to}`
      : sql`SELECT channel_id, delivery_id, captured_at AS at, ${LIST} FROM analytics_metric_points WHERE captured_at >= ${from} AND captured_at < ${to}`;
    const bucketOf = grain === null ? sql`${from}::timestamptz` : sql`date_trunc(${grain}, s.at, ${zone})`;
    const { rows } = await sql<BucketRow>`
      WITH s AS (${source} AND ${this.filter(scope)}),
      latest AS (
        SELECT DISTINCT ON (b, s.channel_id, s.delivery_id) ${bucketOf} AS b, s.delivery_id, ${sql.raw(METRICS.map((m) => `s.${m}`).join(', '))}
        FROM s ORDER BY b, s.channel_id, s.delivery_id, s.at DESC
      )
      SELECT b AS bucket, count(delivery_id)::int AS posts, ${SUMS} FROM latest GROUP BY b ORDER BY b`.execute(this.tx.current());
    return rows;
  }

  private filter(scope: ReadScope): RawBuilder<unknown> {
    switch (scope.kind) {
      case 'message':
        return sql`delivery_id IN (SELECT delivery_id FROM analytics_snapshot_plan WHERE kind = 'post' AND message_id = ${scope.id})`;
      case 'campaign':
        return sql`delivery_id IN (SELECT delivery_id FROM analytics_snapshot_plan WHERE kind = 'post' AND campaign_id = ${scope.id})`;
      case 'channel':
        return sql`channel_id = ${scope.id}`;
      case 'organisation':
        return sql`org_path @> ARRAY[${scope.id}::uuid]`;
    }
  }
}
