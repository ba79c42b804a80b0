import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import { METRICS, type MetricValues } from './analytics.metrics.js';

export interface NetworkRow extends MetricValues {
  network: string;
  posts: number;
}

export interface MessageRow extends MetricValues {
  message_id: string;
  title: string | null;
  posts: number;
}

export interface SentimentRow {
  bucket: Date;
  sentiment: string;
  n: number;
}

const SUMS = sql.raw(METRICS.map((m) => `sum(${m})::float8 AS ${m}`).join(', '));
const LIST = sql.raw(METRICS.join(', '));

/**
 * The organisation dashboard's breakdowns over a range, for the caller's organisation and its
 * subtree (row-level security decides what is visible): per network and per message, each post
 * counted by its latest snapshot in the range, as the read API's totals are; and the listening
 * comments per sentiment per bucket, for the sentiment share shown beside reach.
 */
@Injectable()
export class AnalyticsBreakdownRepository {
  constructor(private readonly tx: Transactor) {}

  async byNetwork(orgId: string, from: Date, to: Date, fromRollups: boolean): Promise<NetworkRow[]> {
    const { rows } = await sql<NetworkRow>`
      WITH latest AS (${this.latest(orgId, from, to, fromRollups)})
      SELECT network, count(delivery_id)::int AS posts, ${SUMS} FROM latest GROUP BY network ORDER BY network`.execute(this.tx.current());
    return rows;
  }

  /** The messages with the most impressions (then reach, then reactions) in the range. */
  async byMessage(orgId: string, from: Date, to: Date, fromRollups: boolean, limit: number): Promise<MessageRow[]> {
    const { rows } = await sql<MessageRow>`
      WITH latest AS (${this.latest(orgId, from, to, fromRollups)}),
      per AS (
        SELECT p.message_id, count(*)::int AS posts, ${SUMS}
        FROM latest l JOIN analytics_snapshot_plan p ON p.kind = 'post' AND p.delivery_id = l.delivery_id
        WHERE p.message_id IS NOT NULL GROUP BY p.message_id
      )
      SELECT per.*, m.title FROM per LEFT JOIN messages m ON m.id = per.message_id
      ORDER BY per.impressions DESC NULLS LAST, per.reach DESC NULLS LAST, per.reactions DESC NULLS LAST, per.message_id
      LIMIT ${limit}`.execute(this.tx.current());
    return rows;
  }

  async sentimentBuckets(orgId: string, from: Date, to: Date, grain: 'hour' | 'day', zone: string): Promise<SentimentRow[]> {
    const { rows } = await sql<SentimentRow>`
      SELECT date_trunc(${grain}, published_at, ${zone}) AS bucket, sentiment, count(*)::int AS n
      FROM listening_comments
      WHERE org_path @> ARRAY[${orgId}::uuid] AND published_at >= ${from} AND published_at < ${to}
      GROUP BY 1, 2 ORDER BY 1, 2`.execute(this.tx.current());
    return rows;
  }

  /** Per post (and account) its latest figures in the range, with its network. */
  private latest(orgId: string, from: Date, to: Date, fromRollups: boolean) {
    const source = fromRollups
      ? sql`SELECT channel_id, delivery_id, network, bucket AS at, ${LIST} FROM analytics_metric_rollups WHERE grain = 'hour' AND bucket >= ${from} AND bucket < ${to}`
      : sql`SELECT channel_id, delivery_id, network, captured_at AS at, ${LIST} FROM analytics_metric_points WHERE captured_at >= ${from} AND captured_at < ${to}`;
    return sql`
      SELECT DISTINCT ON (s.channel_id, s.delivery_id) s.network, s.delivery_id, ${LIST}
      FROM (${source} AND org_path @> ARRAY[${orgId}::uuid]) s ORDER BY s.channel_id, s.delivery_id, s.at DESC`;
  }
}
