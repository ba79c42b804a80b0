import { declareJob } from '../jobs/job-catalog.js';
import type { JobPayload } from '../jobs/jobs.types.js';

declare module '../jobs/jobs.types.js' {
  interface GudduJobs {
    /** Runs a scheduled entry's job if the entry is still current (state and version). */
    'scheduler.fire': JobPayload<{ entryId: string; version: number }>;
  }
}

// The entry's own job decides nothing about retries here: each fire is enqueued with the retry
// options of the job it runs (SchedulerService.arm).
declareJob('scheduler.fire');
