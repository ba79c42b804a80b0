import { declareJob } from '../../platform/jobs/job-catalog.js';
import type { JobPayload } from '../../platform/jobs/jobs.types.js';

declare module '../../platform/jobs/jobs.types.js' {
  interface GudduJobs {
    /**
     * Refresh (or check) a channel's token ahead of its expiry. Scheduled by stored id at each
     * connect and refresh; the sweep catches any the scheduler missed. Re-reads the channel: a
     * stale entry (another revision: the channel refreshed or reconnected meanwhile, or was disconnected) does nothing.
     */
    'channels.refresh': JobPayload<{ channelId: string; revision: number }>;
  }
}

// A transient failure (the network down) retries; a refused grant flags the channel and returns.
declareJob('channels.refresh', { attempts: 5, backoffMs: 30_000 });
