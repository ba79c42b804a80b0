import type { ColumnType } from 'kysely';

type Metric = ColumnType<string | null, number | null, number | null>; // bigint arrives as a string

interface MetricColumns {
  impressions: Metric;
  reach: Metric;
  reactions: Metric;
  comments: Metric;
  shares: Metric;
  saves: Metric;
  clicks: Metric;
  video_views: Metric;
  watch_time_seconds: Metric;
  followers: Metric;
}

/** Raw snapshots, range-partitioned by day of capture (migration 0015); written by COPY. */
export interface AnalyticsMetricPointsTable extends MetricColumns {
  org_id: string;
  org_path: string[];
  channel_id: string;
  delivery_id: string | null;
  network: string;
  captured_at: Date;
}

export interface AnalyticsMetricRollupsTable extends MetricColumns {
  org_id: string;
  org_path: string[];
  channel_id: string;
  delivery_id: string | null;
  network: string;
  grain: 'hour' | 'day';
  bucket: Date;
  points: number;
  captured_at: Date;
}

export interface AnalyticsRollupPendingTable {
  org_id: string;
  org_path: string[];
  day: ColumnType<string, string, string>;
}

declare module '../../platform/database/database.types.js' {
  interface Database {
    analytics_metric_points: AnalyticsMetricPointsTable;
    analytics_metric_rollups: AnalyticsMetricRollupsTable;
    analytics_rollup_pending: AnalyticsRollupPendingTable;
  }
}
