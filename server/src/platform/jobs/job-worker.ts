import { setMaxListeners } from 'node:events';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DelayedError, Worker, type IQueueBackend, type Job } from 'bullmq';
import { Transactor } from '../database/transactor.js';
import { LOGGER, type Logger } from '../logging/logger.js';
import { PLATFORM_RESOURCES, runsBackgroundWork, type PlatformResources } from '../platform.module.js';
import { jobBackend, type AnyWorker } from './job-backend.js';
import { JobHandlers } from './job-handlers.js';
import { JobQueue, NOT_BEFORE, QUEUE_NAME } from './job-queue.js';
import { RunSlots } from './run-slots.js';
import { WorkerLiveness } from './worker-liveness.js';
import { WorkerRegistryRepository } from './worker-registry.repository.js';
import type { JobName } from './jobs.types.js';

/**
 * At most this many jobs armed ahead wait for their instant beyond the run slots (a few KB each);
 * past it a waiting job takes a run slot, so a larger burst is late, never lost.
 */
const MAX_HELD = 20_000;

export interface WorkerHealth {
  running: boolean;
  /** Milliseconds since the worker last reached its queue; undefined before the first time. */
  sinceLastPollMs: number | undefined;
  ready: boolean;
}

/**
 * Runs jobs where the process role includes background work. Closing drains: no new job is
 * taken and the ones in flight finish (serve.ts bounds the wait). A worker that dies instead
 * leaves its jobs locked; once the lock expires (GUDDU_JOB_LOCK_MS) another worker retries them.
 */
@Injectable()
export class JobWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private worker: AnyWorker | undefined;
  private lastPollAt: number | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  /** Jobs taken ahead of their instant and waiting for it; each adds one slot to the worker. */
  private held = 0;
  /** Aborted at shutdown: held jobs go back to the queue instead of delaying the drain. */
  private readonly release = new AbortController();
  /** GUDDU_JOB_CONCURRENCY handlers at most, held jobs released together included. */
  private slots: RunSlots | undefined;
  /** Heartbeats, and the takeover of held jobs of workers dead for GUDDU_WORKER_DEAD_SECONDS. */
  private liveness: WorkerLiveness | undefined;

  constructor(
    @Inject(PLATFORM_RESOURCES) private readonly res: PlatformResources,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly handlers: JobHandlers,
    private readonly tx: Transactor,
    private readonly registry: WorkerRegistryRepository,
    private readonly queue: JobQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (runsBackgroundWork(this.res.role)) await this.start();
  }

  async start(): Promise<void> {
    const { lockMs, concurrency } = this.res.config.jobs;
    this.slots = new RunSlots(concurrency);
    const liveness = new WorkerLiveness(this.tx, this.registry, this.log, this.res.config.jobs.deadAfterMs, {
      handBack: (dead, until) => this.handBack(dead, until),
      pause: async () => this.worker?.pause(true),
      resume: async () => this.worker?.resume(),
    });
    await liveness.start();
    this.liveness = liveness;
    const backend = jobBackend({
      redisUrl: this.res.config.redisUrl,
      redisPrefix: this.res.config.jobs.redisPrefix,
      databaseUrl: this.res.databaseUrl,
      poolSize: 2 + Math.min(concurrency, 8),
    });
    const worker = new Worker<unknown, unknown, string, IQueueBackend>(QUEUE_NAME, (job: Job, token?: string) => this.run(job, token), {
      connection: backend.connection,
      ...(backend.prefix ? { prefix: backend.prefix } : {}),
      // Stamped on each job it takes (processedBy): how a takeover finds this worker's held jobs.
      name: liveness.name,
      concurrency,
      lockDuration: lockMs,
      stalledInterval: Math.max(500, Math.round(lockMs / 2)),
      // A job whose worker died is retried this many times before it is kept as failed.
      maxStalledCount: 3,
      // Short blocking waits: each return is a poll that proves the worker is alive.
      drainDelay: 2,
    }, backend.factory);
    this.worker = worker;
    setMaxListeners(MAX_HELD + 10, this.release.signal); // one listener per held job
    const polled = () => {
      this.lastPollAt = Date.now();
    };
    for (const event of ['active', 'completed', 'failed', 'drained', 'ready'] as const) worker.on(event, polled);
    worker.on('error', (err) => this.log.warn({ err }, 'job worker: backend error'));
    worker.on('failed', (job, err) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) this.log.error({ err, jobId: job.id, job: job.name }, 'job failed permanently');
    });
    await worker.waitUntilReady();
    polled();
    // Between events, a round trip through the worker's own backend proves it still reaches
    // its queue; a hung or disconnected worker stops refreshing and /readyz turns 503.
    this.heartbeat = setInterval(() => void this.beat(), Math.min(5_000, Math.round(this.res.config.jobs.staleAfterMs / 3)));
    this.heartbeat.unref();
    this.log.info({ backend: backend.kind, concurrency, lockMs }, 'job worker started');
  }

  health(): WorkerHealth {
    const running = this.worker?.isRunning() ?? false;
    const since = this.lastPollAt === undefined ? undefined : Date.now() - this.lastPollAt;
    return { running, sinceLastPollMs: since, ready: running && since !== undefined && since < this.res.config.jobs.staleAfterMs };
  }

  enabled(): boolean {
    return this.worker !== undefined;
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.heartbeat);
    this.release.abort();
    // close() without force waits for the jobs in flight: graceful shutdown drains.
    await this.worker?.close();
    await this.liveness?.stop();
  }

  /**
   * A dead worker's held jobs due after the last instant it released jobs for: never started,
   * so back to the queue now rather than when their locks expire. `'0'` skips BullMQ's lock
   * check: the lock is the dead worker's.
   */
  private async handBack(deadWorker: string, releasedUntil: number): Promise<number> {
    const w = this.worker;
    if (!w) return 0;
    let handed = 0;
    for (const job of await this.queue.raw().getActive()) {
      const notBefore = (job.data as Record<string, unknown> | undefined)?.[NOT_BEFORE];
      if (job.processedBy !== deadWorker || typeof notBefore !== 'number' || notBefore <= releasedUntil || !job.id) continue;
      try {
        await w.backend.moveJobFromActiveToWait(job.id, '0');
        handed += 1;
      } catch (err) {
        this.log.warn({ err, jobId: job.id }, 'job worker: could not hand back a dead worker\'s held job; it waits for its lock');
      }
    }
    return handed;
  }

  private async beat(): Promise<void> {
    const w = this.worker;
    if (!w?.isRunning() || w.isPaused()) return;
    try {
      await w.backend.getCounts(['wait']);
      this.lastPollAt = Date.now();
    } catch (err) {
      this.log.warn({ err }, 'job worker: heartbeat failed');
    }
  }

  /**
   * BullMQ calls this synchronously when it starts a job, so a job armed ahead raises the
   * worker's concurrency before the worker decides whether to fetch another: the waiting job
   * costs no run slot, and a burst due together is taken from the queue ahead of time. At the
   * instant the held jobs queue for the run slots (GUDDU_JOB_CONCURRENCY) like any other job: a
   * burst larger than the slots starts slot after slot, never all at once. The handler never
   * starts before that instant.
   */
  private async run(job: Job, token: string | undefined): Promise<unknown> {
    const handler = this.handlers.get(job.name);
    const ctx = { jobId: job.id ?? '', name: job.name as JobName, attempt: job.attemptsMade + 1 };
    const data = job.data as Record<string, unknown> | undefined;
    const notBefore = data?.[NOT_BEFORE];
    if (typeof notBefore !== 'number') return this.inSlot(() => handler(data, ctx));
    const payload = Object.fromEntries(Object.entries(data ?? {}).filter(([k]) => k !== NOT_BEFORE));
    const generation = this.liveness?.current() ?? 0;
    if (notBefore > Date.now() && !(await this.hold(notBefore))) {
      // Shutting down: hand the job back, due now, so another worker (or this one restarted)
      // takes and holds it, rather than keep the drain waiting or leave it to lock expiry.
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
    if (this.liveness && !(await this.liveness.mayRelease(generation, notBefore))) {
      // Taken over while silent: the job is left as it is, neither run nor moved (DelayedError
      // tells BullMQ the processor has dealt with it): the taker hands it back, or its lock
      // expires and it is retried. Completing it here could lose it; moving it, run it twice.
      this.log.warn({ jobId: job.id, job: job.name }, 'job worker: held job dropped, another worker took it over');
      throw new DelayedError();
    }
    return this.inSlot(() => handler(payload, ctx));
  }

  private inSlot<T>(fn: () => Promise<T>): Promise<T> {
    return this.slots ? this.slots.run(fn) : fn();
  }

  /** Waits for `until`; false if shutdown came first. */
  private async hold(until: number): Promise<boolean> {
    const w = this.worker;
    const extraSlot = w !== undefined && this.held < MAX_HELD;
    if (extraSlot) this.setHeld(w, this.held + 1);
    const signal = this.release.signal;
    try {
      // Timers may fire a little early; loop until the clock has passed the instant.
      for (let ms = until - Date.now(); ms > 0 && !signal.aborted; ms = until - Date.now()) {
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            signal.removeEventListener('abort', done);
            resolve();
          };
          const timer = setTimeout(done, ms);
          signal.addEventListener('abort', done);
        });
      }
      return !signal.aborted;
    } finally {
      if (extraSlot) this.setHeld(w, this.held - 1);
    }
  }

  private setHeld(w: AnyWorker, held: number): void {
    this.held = held;
    w.concurrency = this.res.config.jobs.concurrency + held;
  }
}
