import { declareJob } from '../../platform/jobs/job-catalog.js';
import type { JobPayload } from '../../platform/jobs/jobs.types.js';

declare module '../../platform/jobs/jobs.types.js' {
  interface GudduJobs {
    /** An approval stage's SLA ran out: escalate if it is still the open stage. */
    'messages.approval_sla': JobPayload<{ messageId: string; reviewRound: number; stage: number }>;
    /** A late approval under an "expire" policy: withdraw it if nobody rescheduled it in time. */
    'messages.expire': JobPayload<{ messageId: string; reviewRound: number }>;
  }
}

declareJob('messages.approval_sla', { attempts: 5 });
declareJob('messages.expire', { attempts: 5 });
