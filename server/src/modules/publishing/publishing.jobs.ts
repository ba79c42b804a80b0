import { declareJob } from '../../platform/jobs/job-catalog.js';
import type { JobPayload } from '../../platform/jobs/jobs.types.js';

type DuePayload = JobPayload<{ messageId: string; contentHash: string }>;

declare module '../../platform/jobs/jobs.types.js' {
  interface GudduJobs {
    /** A scheduled message is due: through the publishing gate, or held. */
    'publishing.due': DuePayload;
    /**
     * The same, under its name before decision 0010. Scheduler entries and queued jobs armed by
     * an older server still carry it; they go through the same gate, so none is lost.
     */
    'messages.due': DuePayload;
  }
}

declareJob('publishing.due', { attempts: 10, backoffMs: 1_000 });
declareJob('messages.due', { attempts: 10, backoffMs: 1_000 });
