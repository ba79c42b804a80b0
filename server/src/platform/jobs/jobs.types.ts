/**
 * The typed map of every background job: name → payload. It starts empty; each module adds its
 * jobs from its own `<feature>.jobs.ts` by declaration merging (like the Kysely `Database`),
 * and registers their retry options there with `declareJob`, so no central file changes when a
 * module adds a job:
 *
 *   declare module '../../platform/jobs/jobs.types.js' {
 *     interface GudduJobs { 'publishing.publish': JobPayload<{ postId: string }> }
 *   }
 *   declareJob('publishing.publish', { attempts: 8 });
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface GudduJobs {}

export type JobName = Extract<keyof GudduJobs, string>;

/**
 * What every payload carries besides its ids. Never whole rows: a job reads current state when
 * it runs, so a retry an hour later does not act on a stale copy.
 */
export interface JobEnvelope {
  /** The organisation the work belongs to; null for installation-wide work. */
  orgId: string | null;
  /** Ties the job's logs and audit records to the request or event that caused it. */
  correlationId: string;
  /** Same key, same effect: enqueueing twice adds one job, and handlers dedupe side effects by it. */
  idempotencyKey: string;
}

export type JobPayload<T extends object = Record<never, never>> = T & JobEnvelope;

/** What a handler receives besides the payload. */
export interface JobContext {
  jobId: string;
  name: JobName;
  /** 1 on the first run. */
  attempt: number;
}
