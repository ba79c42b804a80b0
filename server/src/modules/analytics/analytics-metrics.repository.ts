import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { COPY_CHUNK_BYTES, copyChunks, copyText } from '../../platform/database/copy.js';
import { Transactor } from '../../platform/database/transactor.js';
import { METRICS, type MetricSnapshot, type MetricValues, type RollupGrain } from './analytics.metrics.js';

const POINT_COLUMNS = ['org_id', 'org_path', 'channel_id', 'delivery_id', 'network', 'captured_at', ...METRICS];
const COPY_POINTS = `COPY analytics_metric_points (${POINT_COLUMNS.join(', ')}) FROM STDIN`;
const METRIC_LIST = sql.raw(METRICS.join(', '));
const METRIC_UPDATES = sql.raw(METRICS.map((m) => `${m} = EXCLUDED.${m}`).join(', '));

export interface DailySeriesRow extends MetricValues {
  day: string;
  deliveries: number;
}

@Injectable()
export class AnalyticsMetricsRepository {
  constructor(private readonly tx: Transactor) {}

  async orgPaths(orgIds: readonly string[]): Promise<Map<string, string[]>> {
    const { rows } = await sql<{ id: string; path: string[] | null }>`
      SELECT id, guddu_org_path(id) AS path FROM unnest(${orgIds}::uuid[]) AS id`.execute(this.tx.current());
    return new Map(rows.filter((r) => r.path !== null).map((r) => [r.id, r.path as string[]]));
  }

  async ensurePartitions(from: Date, days: number): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      SELECT guddu_analytics_ensure_partitions(${isoDay(from)}::date, ${days}::int) AS n`.execute(this.tx.current());
    return rows[0]?.n ?? 0;
  }

  async dropPartitionsBefore(day: Date): Promise<number> {
    const { rows } = await sql<{ n: number }>`SELECT guddu_analytics_drop_partitions_before(${isoDay(day)}::date) AS n`.execute(this.tx.current());
    return rows[0]?.n ?? 0;
  }

  async partitionDays(): Promise<string[]> {
    const { rows } = await sql<{ name: string }>`
      SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'analytics_metric_points'::regclass ORDER BY 1`.execute(this.tx.current());
    return rows.map((r) => r.name.slice(-8));
  }

  /**
   * COPY, the bulk path: one stream for the whole batch. `paths` holds each org's org_path.
   * Rows are formatted straight into 256 KiB chunks (no array or string per cell): formatting is
   * most of what ingest costs over a raw COPY of preformatted rows. Times repeat within a batch
   * (a sweep captures at one instant), so the last one's text is reused.
   */
  async copyPoints(points: readonly MetricSnapshot[], paths: ReadonlyMap<string, string[]>): Promise<void> {
    const prefix = new Map([...paths].map(([org, path]) => [org, `${org}\t{${path.join(',')}}\t`]));
    const networks = new Map<string, string>();
    function* chunks(): Generator<string> {
      let chunk = '';
      let lastTime = NaN;
      let lastIso = '';
      for (const p of points) {
        const t = p.capturedAt.getTime();
        if (t !== lastTime) {
          lastTime = t;
          lastIso = p.capturedAt.toISOString();
        }
        let network = networks.get(p.network);
        if (network === undefined) networks.set(p.network, (network = copyText(p.network)));
        const v = p.values;
        chunk +=
          (prefix.get(p.orgId) as string) + p.channelId + '\t' + (p.deliveryId ?? '\\N') + '\t' + network + '\t' + lastIso +
          '\t' + cell(v.impressions) + '\t' + cell(v.reach) + '\t' + cell(v.reactions) + '\t' + cell(v.comments) + '\t' + cell(v.shares) +
          '\t' + cell(v.saves) + '\t' + cell(v.clicks) + '\t' + cell(v.video_views) + '\t' + cell(v.watch_time_seconds) + '\t' + cell(v.followers) + '\n';
        if (chunk.length >= COPY_CHUNK_BYTES) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
    }
    await copyChunks(COPY_POINTS, chunks());
  }

  /** `paths` holds each org's org_path, found once per batch rather than once per row. */
  async markPending(rows: ReadonlyArray<{ orgId: string; day: string }>, paths: ReadonlyMap<string, string[]>): Promise<void> {
    if (rows.length === 0) return;
    await sql`
      INSERT INTO analytics_rollup_pending (org_id, org_path, day)
      SELECT r.org_id, r.org_path::uuid[], r.day
      FROM unnest(${rows.map((r) => r.orgId)}::uuid[], ${rows.map((r) => `{${(paths.get(r.orgId) ?? []).join(',')}}`)}::text[], ${rows.map((r) => r.day)}::date[])
        AS r (org_id, org_path, day)
      ON CONFLICT DO NOTHING`.execute(this.tx.current());
  }

  /**
   * Claims up to `limit` pending days and recomputes their hourly and daily rollups from the raw
   * rows, in one statement: the claim and the rollup commit together or not at all. Returns the
   * days done.
   */
  async rollupPending(limit: number): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      WITH claimed AS (
        DELETE FROM analytics_rollup_pending
        WHERE (org_id, day) IN (SELECT org_id, day FROM analytics_rollup_pending ORDER BY day LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        RETURNING org_id, day
      ), bucketed AS (
        SELECT p.*, g.grain, date_trunc(g.grain, p.captured_at, 'UTC') AS bucket
        FROM claimed c
        JOIN analytics_metric_points p
          ON p.org_id = c.org_id
         AND p.captured_at >= (c.day::timestamp AT TIME ZONE 'UTC')
         AND p.captured_at < ((c.day + 1)::timestamp AT TIME ZONE 'UTC')
        CROSS JOIN (VALUES ('hour'), ('day')) AS g (grain)
      ), latest AS (
        SELECT DISTINCT ON (channel_id, delivery_id, grain, bucket)
          org_id, org_path, channel_id, delivery_id, network, grain, bucket, captured_at,
          count(*) OVER (PARTITION BY channel_id, delivery_id, grain, bucket)::int AS points, ${METRIC_LIST}
        FROM bucketed
        ORDER BY channel_id, delivery_id, grain, bucket, captured_at DESC
      ), written AS (
        INSERT INTO analytics_metric_rollups (org_id, org_path, channel_id, delivery_id, network, grain, bucket, points, captured_at, ${METRIC_LIST})
        SELECT org_id, org_path, channel_id, delivery_id, network, grain, bucket, points, captured_at, ${METRIC_LIST} FROM latest
        ON CONFLICT ON CONSTRAINT analytics_metric_rollups_key DO UPDATE
          SET points = EXCLUDED.points, captured_at = EXCLUDED.captured_at, ${METRIC_UPDATES}
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM claimed)::int AS n, (SELECT count(*) FROM written)::int AS w`.execute(this.tx.current());
    return rows[0]?.n ?? 0;
  }

  /**
   * Per day of [from, to): the organisation's subtree summed over its deliveries' latest figures
   * that day (row-level security narrows to what the caller may see).
   */
  async dailySeries(orgId: string, from: Date, to: Date): Promise<DailySeriesRow[]> {
    const { rows } = await sql<DailySeriesRow>`
      SELECT to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS deliveries,
        ${sql.raw(METRICS.map((m) => `sum(${m})::float8 AS ${m}`).join(', '))}
      FROM analytics_metric_rollups
      WHERE grain = 'day' AND org_path @> ARRAY[${orgId}::uuid] AND bucket >= ${from} AND bucket < ${to} AND delivery_id IS NOT NULL
      GROUP BY bucket ORDER BY bucket`.execute(this.tx.current());
    return rows;
  }

  async rollupsOf(deliveryId: string, grain: RollupGrain): Promise<Array<MetricValues & { bucket: Date; points: number }>> {
    const { rows } = await sql<MetricValues & { bucket: Date; points: number }>`
      SELECT bucket, points, ${sql.raw(METRICS.map((m) => `${m}::float8 AS ${m}`).join(', '))}
      FROM analytics_metric_rollups WHERE delivery_id = ${deliveryId} AND grain = ${grain} ORDER BY bucket`.execute(this.tx.current());
    return rows;
  }
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const cell = (v: number | null) => (v === null ? '\\N' : String(v));
