import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue, type IQueueBackend, type Job, type JobsOptions } from 'bullmq';
import { PLATFORM_RESOURCES, type PlatformResources } from '../platform.module.js';
import { jobBackend, type AnyQueue } from './job-backend.js';
import { jobOptionsOf, type JobOptions } from './job-catalog.js';
import type { GudduJobs, JobName } from './jobs.types.js';

/** One queue for now: every job type shares it and the worker dispatches by name. */
export const QUEUE_NAME = 'guddu';

// Completed jobs stay a day so that enqueueing the same idempotency key again is still a no-op.
// Age only: a count cap made the PostgreSQL backend trim on every completion (measured 3-4x
// slower: ~300 vs ~1,100 jobs/s).
const KEEP_COMPLETED = { age: 24 * 3600 };

/**
 * Where a job armed ahead of its instant carries that instant (epoch ms) in its stored data; the
 * worker holds the job until then and hands the handler the payload without it.
 */
export const NOT_BEFORE = '_notBefore';

export interface EnqueueOptions {
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
  /**
   * Start the handler at this instant, never before. The job is armed up to
   * GUDDU_JOB_ARM_AHEAD_SECONDS early and a worker holds it until the instant without using one
   * of its run slots, so many jobs due together start together instead of waiting for the
   * queue to hand them out one by one (decision 0007).
   */
  runAt?: Date;
  /** Defaults to one derived from the payload's idempotency key. */
  jobId?: string;
  /** Retry like another job type (the scheduler fires a job with that job's options). */
  retry?: JobOptions;
}

/**
 * Adds jobs. Each job's id comes from its idempotency key, so the same work enqueued twice
 * (a retried request, a re-run sweep) is one job. Permanently failed jobs are kept for admins.
 */
@Injectable()
export class JobQueue implements OnApplicationShutdown {
  private queue: AnyQueue | undefined;

  constructor(@Inject(PLATFORM_RESOURCES) private readonly res: PlatformResources) {}

  /** Opened on first use, so processes that never enqueue (the CLI) never connect. */
  raw(): AnyQueue {
    if (!this.queue) {
      const backend = this.backend();
      this.queue = new Queue<unknown, unknown, string, unknown, unknown, string, IQueueBackend>(QUEUE_NAME, { connection: backend.connection, ...(backend.prefix ? { prefix: backend.prefix } : {}) }, backend.factory);
    }
    return this.queue;
  }

  async enqueue<N extends JobName>(name: N, payload: GudduJobs[N], opts: EnqueueOptions = {}): Promise<string> {
    const job = await this.raw().add(name, dataOf(payload, opts), this.optionsFor(name, payload, opts));
    return job.id ?? '';
  }

  async enqueueMany<N extends JobName>(name: N, items: { payload: GudduJobs[N]; opts?: EnqueueOptions }[]): Promise<void> {
    await this.raw().addBulk(items.map((i) => ({ name, data: dataOf(i.payload, i.opts ?? {}), opts: this.optionsFor(name, i.payload, i.opts ?? {}) })));
  }

  getJob(id: string): Promise<Job<unknown, unknown, string> | undefined> {
    return this.raw().getJob(id);
  }

  /** Removes a waiting or delayed job; false if it is running or gone. */
  async remove(id: string): Promise<boolean> {
    return (await this.raw().remove(id)) === 1;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue?.close();
  }

  private backend() {
    return jobBackend({ redisUrl: this.res.config.redisUrl, redisPrefix: this.res.config.jobs.redisPrefix, databaseUrl: this.res.databaseUrl });
  }

  private optionsFor(name: JobName, payload: GudduJobs[JobName], opts: EnqueueOptions): JobsOptions {
    const o = opts.retry ?? jobOptionsOf(name);
    const delayMs = opts.runAt ? opts.runAt.getTime() - Date.now() - this.res.config.jobs.armAheadMs : opts.delayMs;
    return {
      jobId: opts.jobId ?? jobIdFor(name, (payload as { idempotencyKey: string }).idempotencyKey),
      ...(delayMs && delayMs > 0 ? { delay: Math.round(delayMs) } : {}),
      attempts: o.attempts,
      backoff: { type: 'exponential', delay: o.backoffMs, jitter: o.jitter },
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: false,
    };
  }
}

function dataOf(payload: GudduJobs[JobName], opts: EnqueueOptions): unknown {
  return opts.runAt ? { ...payload, [NOT_BEFORE]: opts.runAt.getTime() } : payload;
}

/**
 * A BullMQ job id from a job name and idempotency key. BullMQ refuses ids with ':' and purely
 * numeric ids, so anything but a plain token is hashed.
 */
export function jobIdFor(name: string, idempotencyKey: string): string {
  const raw = `${name}.${idempotencyKey}`;
  if (/^[A-Za-z0-9._-]{1,200}$/.test(raw)) return raw;
  return `${name}.h${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}`;
}
