import { declareJob } from '../../platform/jobs/job-catalog.js';
import type { JobPayload } from '../../platform/jobs/jobs.types.js';

declare module '../../platform/jobs/jobs.types.js' {
  interface GudduJobs {
    /**
     * Plans the due comment reads, looks for spikes and clears expired author handles. Keyed by
     * the minute: one run per minute whatever the number of workers; safe to run twice.
     */
    'listening.sweep': JobPayload<{ minute: number }>;
    /**
     * Reads one scope: a delivery's comments (`delivery:<id>`) or a channel's mentions
     * (`mentions:<channel id>`), from the cursor stored for it. Keyed by scope and poll slot.
     */
    'listening.poll': JobPayload<{
      scope: string;
      channelId: string;
      network: string;
      /** The post's network id; null for mentions. */
      postId: string | null;
      /** When the post went out (ISO): its first day is read more often. */
      publishedAt: string | null;
      deliveryId: string | null;
      messageId: string | null;
    }>;
  }
}

declareJob('listening.sweep', { attempts: 3, backoffMs: 10_000 });
declareJob('listening.poll', { attempts: 3, backoffMs: 30_000 });
