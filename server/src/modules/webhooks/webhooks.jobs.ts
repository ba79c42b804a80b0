import { declareJob } from '../../platform/jobs/job-catalog.js';
import type { JobPayload } from '../../platform/jobs/jobs.types.js';

declare module '../../platform/jobs/jobs.types.js' {
  interface GudduJobs {
    /**
     * One attempt at a webhook delivery: `attempt` is the number it will have. A job whose
     * delivery has moved on (another attempt recorded, succeeded, skipped) does nothing, so the
     * sweep and a redelivery may enqueue freely.
     */
    'webhooks.deliver': JobPayload<{ deliveryId: string; attempt: number; trigger: 'event' | 'retry' | 'redelivery' }>;
  }
}

// The retry schedule is the delivery's own (GUDDU_WEBHOOKS_RETRY_SCHEDULE), one job per attempt;
// the job's retries only cover a worker that died or a database that blinked mid-attempt.
declareJob('webhooks.deliver', { attempts: 3, backoffMs: 5_000 });
