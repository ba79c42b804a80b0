import { randomUUID } from 'node:crypto';
import { type Transactor } from '../database/transactor.js';
import type { Logger } from '../logging/logger.js';
import { type WorkerRegistryRepository } from './worker-registry.repository.js';

export interface LivenessHooks {
  /** Hands back a dead worker's held jobs due after `releasedUntil`; how many it handed back. */
  handBack(deadWorker: string, releasedUntil: number): Promise<number>;
  /** This worker was taken over: stop taking jobs until the takeover is over. */
  pause(): Promise<void>;
  resume(): Promise<void>;
}

/**
 * This worker's heartbeat in PostgreSQL, and the takeover of workers that stopped beating
 * (decision 0013). Held jobs are the only ones taken over: a job held ahead of its instant has
 * not started, so handing it to another worker cannot run it twice, provided the old worker,
 * should it wake, does not release it. Hence every release first confirms, in the same row the
 * takeover updates, that this worker is still itself (`mayRelease`); one query serves all the
 * jobs released in the same turn of the event loop. A worker that finds it was taken over drops
 * the jobs it held (untouched: the taker hands them back, or their locks expire) and takes no new
 * job until its taker is done with it, so the taker never mistakes a job it took afterwards for
 * one it held; then it registers afresh.
 */
export class WorkerLiveness {
  readonly name = `worker-${randomUUID()}`;
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private confirming: { until: number; result: Promise<boolean> } | undefined;
  private takenOver = false;

  constructor(
    private readonly tx: Transactor,
    private readonly repo: WorkerRegistryRepository,
    private readonly log: Logger,
    private readonly deadMs: number,
    private readonly hooks: LivenessHooks,
  ) {}

  async start(): Promise<void> {
    await this.system('a job worker registers', () => this.repo.register(this.name));
    this.timer = setInterval(() => {
      this.ticking ??= this.tick().finally(() => (this.ticking = undefined));
    }, Math.max(200, Math.round(this.deadMs / 4)));
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    await this.system('a job worker leaves', () => this.repo.forget(this.name)).catch((err: unknown) => this.log.warn({ err }, 'job worker: could not unregister'));
  }

  /** The generation a held job belongs to; a takeover starts a new one. */
  current(): number {
    return this.generation;
  }

  /**
   * Before a job held since `generation` starts at `until`: false when this worker was taken over
   * meanwhile (the job has been handed to another worker). If the database cannot answer, the job
   * runs: a worker that cannot reach the database cannot be taken over by one that can for long
   * without missing its own heartbeats, and its handlers need the database anyway.
   */
  async mayRelease(generation: number, until: number): Promise<boolean> {
    if (this.confirming) {
      this.confirming.until = Math.max(this.confirming.until, until);
    } else {
      const batch: { until: number; result: Promise<boolean> } = { until, result: Promise.resolve(true) };
      batch.result = new Promise<void>((r) => setImmediate(r)).then(() => {
        this.confirming = undefined;
        return this.beat(batch.until);
      });
      this.confirming = batch;
    }
    const alive = await this.confirming?.result ?? true;
    return alive && !this.takenOver && generation === this.generation;
  }

  private async tick(): Promise<void> {
    await this.beat(0);
    try {
      const dead = await this.system('a job worker takes over dead ones', () => this.repo.takeOverDead(this.name, this.deadMs));
      for (const worker of dead) {
        const handedBack = await this.hooks.handBack(worker.name, worker.releasedUntil);
        await this.system('a job worker is done taking over', () => this.repo.forget(worker.name));
        this.log.warn({ worker: worker.name, handedBack }, 'job worker: took over a worker that stopped beating; its held jobs went back to the queue');
      }
    } catch (err) {
      this.log.warn({ err }, 'job worker: takeover of dead workers failed; their jobs wait for their locks');
    }
  }

  private async beat(releasedUntil: number): Promise<boolean> {
    try {
      if (!this.takenOver && (await this.system('a job worker beats', () => this.repo.beat(this.name, releasedUntil)))) return true;
      if (!this.takenOver) {
        this.takenOver = true;
        this.generation += 1;
        this.log.error({ worker: this.name }, 'job worker: taken over by another worker while silent; the jobs it held are dropped');
        await this.hooks.pause();
      }
      if (await this.system('a job worker rejoins', () => this.repo.rejoin(this.name, this.deadMs * 3))) {
        this.takenOver = false;
        await this.hooks.resume();
        this.log.info({ worker: this.name }, 'job worker: back after a takeover');
      }
    } catch (err) {
      this.log.warn({ err }, 'job worker: heartbeat to the database failed');
      return !this.takenOver;
    }
    return false;
  }

  private system<T>(reason: string, fn: () => Promise<T>): Promise<T> {
    return this.tx.withTenantBypass(reason, fn);
  }
}
