import { declareJob } from '../../platform/jobs/job-catalog.js';
import type { JobPayload } from '../../platform/jobs/jobs.types.js';

declare module '../../platform/jobs/jobs.types.js' {
  interface GudduJobs {
    /**
     * Creates the raw metric partitions for the week ahead and drops those past retention
     * (rollups stay). Enqueued hourly, keyed by the hour (epoch hours): one run per hour whatever the
     * number of workers; safe to run twice.
     */
    'analytics.partitions': JobPayload<{ hour: number }>;
    /** Recomputes the rollups (keyed by the minute it was enqueued in) of every bucket that received snapshots; safe to run twice. */
    'analytics.rollup': JobPayload<{ minute: number }>;
  }
}

declareJob('analytics.partitions', { attempts: 5, backoffMs: 60_000 });
declareJob('analytics.rollup', { attempts: 3, backoffMs: 10_000 });
