import type { JobName } from './jobs.types.js';

/** How a job type retries. Exponential backoff with jitter, so a burst of failures spreads out. */
export interface JobOptions {
  /** Total runs before the job is kept as failed for an admin to retry or discard. */
  attempts: number;
  /** First retry delay; doubles on each later attempt. */
  backoffMs: number;
  /** 0..1: the share of each delay that is randomised. */
  jitter: number;
}

export const DEFAULT_JOB_OPTIONS: JobOptions = { attempts: 5, backoffMs: 2_000, jitter: 0.5 };

const declared = new Map<string, JobOptions>();

/**
 * Registers a job name at run time (types alone vanish at run time), with its retry options, so
 * that boot can check each declared job has exactly one handler. Called at module load from the
 * `<feature>.jobs.ts` that also augments `GudduJobs`.
 */
export function declareJob(name: JobName, options: Partial<JobOptions> = {}): void {
  if (declared.has(name)) throw new Error(`job "${name}" is declared twice`);
  declared.set(name, { ...DEFAULT_JOB_OPTIONS, ...options });
}

export function declaredJobs(): ReadonlyMap<string, JobOptions> {
  return declared;
}

export function jobOptionsOf(name: string): JobOptions {
  const options = declared.get(name);
  if (!options) throw new Error(`job "${name}" was never declared (declareJob in its <feature>.jobs.ts)`);
  return options;
}
