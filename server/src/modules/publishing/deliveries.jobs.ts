import { declareJob } from '../../platform/jobs/job-catalog.js';
import type { JobPayload } from '../../platform/jobs/jobs.types.js';

declare module '../../platform/jobs/jobs.types.js' {
  interface GudduJobs {
    /**
     * Take one delivery one step further (publish, reconcile, or find it settled). The job id
     * carries the delivery's dispatch number, so a re-queue is a new job and a stale one does
     * nothing; the delivery's lease makes two runs for one delivery impossible.
     */
    'publishing.deliver': JobPayload<{ deliveryId: string; dispatch: number }>;
    /** Take a published post down from one network. */
    'publishing.retract': JobPayload<{ deliveryId: string }>;
  }
}

// The engine decides its own retries (by the error class, with its own delays); a job attempt
// failing means the engine itself hit something (the database, a bug): retry it a few times.
declareJob('publishing.deliver', { attempts: 8, backoffMs: 1_000 });
declareJob('publishing.retract', { attempts: 5, backoffMs: 2_000 });
