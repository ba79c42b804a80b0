import { AnalyticsBreakdownController } from './analytics-breakdown.controller.js';
import { AnalyticsBreakdownRepository } from './analytics-breakdown.repository.js';
import { AnalyticsBreakdown } from './analytics-breakdown.service.js';
import { AnalyticsDashboardsController } from './analytics-dashboards.controller.js';
import { AnalyticsDashboardsRepository } from './analytics-dashboards.repository.js';
import { AnalyticsDashboards } from './analytics-dashboards.service.js';
import { AnalyticsReadController } from './analytics-read.controller.js';
import { AnalyticsReadRepository } from './analytics-read.repository.js';
import { AnalyticsRead } from './analytics-read.service.js';
import { AnalyticsSnapshotsRepository } from './analytics-snapshots.repository.js';
import { AnalyticsSnapshotsScheduler } from './analytics-snapshots.scheduler.js';
import { AnalyticsSnapshots } from './analytics-snapshots.service.js';

/** Snapshots, the read API and public dashboards (decision 0028), listed here so the module file stays small for merges. */
export const ANALYTICS_SNAPSHOT_PROVIDERS = [AnalyticsSnapshotsRepository, AnalyticsSnapshots, AnalyticsSnapshotsScheduler, AnalyticsReadRepository, AnalyticsRead, AnalyticsDashboardsRepository, AnalyticsDashboards, AnalyticsBreakdownRepository, AnalyticsBreakdown];
export const ANALYTICS_SNAPSHOT_CONTROLLERS: Array<new (...args: never[]) => unknown> = [AnalyticsReadController, AnalyticsBreakdownController, AnalyticsDashboardsController];
