import { declareJob } from '../../platform/jobs/job-catalog.js';
import type { JobPayload } from '../../platform/jobs/jobs.types.js';

declare module '../../platform/jobs/jobs.types.js' {
  interface GudduJobs {
    /**
     * Make an asset's renditions: probe, then images through sharp or video through one ffmpeg
     * process. Re-run from the start after a crash; renditions are only recorded when complete.
     */
    'media.process': JobPayload<{ assetId: string }>;
  }
}

// A transcode that crashed (worker killed, ffmpeg died) is retried; bad input fails at once
// inside the handler (it marks the asset failed and returns), so retries are for faults only.
declareJob('media.process', { attempts: 3, backoffMs: 2_000 });
