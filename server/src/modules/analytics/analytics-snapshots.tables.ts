import type { ColumnType, Generated } from 'kysely';

/** When each published post and each channel is next read (migration 0022). */
export interface AnalyticsSnapshotPlanTable {
  id: Generated<string>;
  org_id: string;
  org_path: ColumnType<string[], never, never>;
  kind: 'post' | 'account';
  channel_id: string;
  network: string;
  delivery_id: string | null;
  message_id: string | null;
  campaign_id: string | null;
  external_id: string | null;
  published_at: Date | null;
  story: Generated<boolean>;
  step: Generated<number>;
  next_at: Date | null;
  lease_until: Date | null;
  failures: Generated<number>;
  last_error: string | null;
  last_read_at: Date | null;
  done_at: Date | null;
  created_at: Generated<Date>;
}

export interface AnalyticsDashboardsTable {
  id: Generated<string>;
  org_id: string;
  org_path: ColumnType<string[], never, never>;
  title: string;
  widgets: string[];
  range_days: number;
  key_sealed: string;
  expires_at: Date;
  revoked_at: Date | null;
  created_by: string;
  created_at: Generated<Date>;
}

declare module '../../platform/database/database.types.js' {
  interface Database {
    analytics_snapshot_plan: AnalyticsSnapshotPlanTable;
    analytics_dashboards: AnalyticsDashboardsTable;
  }
}
