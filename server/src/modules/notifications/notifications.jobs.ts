import { declareJob } from '../../platform/jobs/job-catalog.js';
import type { JobPayload } from '../../platform/jobs/jobs.types.js';

declare module '../../platform/jobs/jobs.types.js' {
  interface GudduJobs {
    /**
     * Decide, for one recorded notification, which outside channels it goes by (preferences,
     * mandatory kinds, quiet hours, digest) and plan one delivery each. Planning twice plans
     * nothing new: deliveries are unique per (event, person, channel).
     */
    'notifications.dispatch': JobPayload<{ notificationId: string }>;
    /** Send one planned delivery (email, push or SMS). A delivery already sent is not sent again. */
    'notifications.deliver': JobPayload<{ deliveryId: string }>;
  }
}

declareJob('notifications.dispatch', { attempts: 5, backoffMs: 2_000 });
// SMTP servers and SMS providers have bad minutes; about half an hour of exponential backoff.
declareJob('notifications.deliver', { attempts: 8, backoffMs: 5_000 });
