import { declareJob } from '../../platform/jobs/job-catalog.js';
import type { JobPayload } from '../../platform/jobs/jobs.types.js';

declare module '../../platform/jobs/jobs.types.js' {
  interface GudduJobs {
    /**
     * Reads the metrics of every post and account whose snapshot is due (the schedule lives in
     * analytics_snapshot_plan, so a lost job loses nothing). Keyed by the minute; safe to run twice.
     */
    'analytics.snapshots': JobPayload<{ minute: number }>;
  }
}

declareJob('analytics.snapshots', { attempts: 3, backoffMs: 10_000 });
