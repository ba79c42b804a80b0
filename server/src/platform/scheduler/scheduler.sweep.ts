import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Transactor } from '../database/transactor.js';
import { JobQueue } from '../jobs/job-queue.js';
import { LOGGER, type Logger } from '../logging/logger.js';
import { PLATFORM_RESOURCES, runsBackgroundWork, type PlatformResources } from '../platform.module.js';
import { SchedulerRepository } from './scheduler.repository.js';
import { SchedulerService } from './scheduler.service.js';

const PAGE = 500;

/**
 * Re-arms pending entries whose fire job is missing: after a database restore, a lost Redis, or
 * a crash between storing an entry and adding its job. Runs at start and every
 * GUDDU_SCHEDULER_SWEEP_SECONDS in processes that run background work. Safe to run anywhere and
 * concurrently: the job id is derived from (entry id, version), so a re-arm never duplicates.
 */
@Injectable()
export class SchedulerSweep implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    @Inject(PLATFORM_RESOURCES) private readonly res: PlatformResources,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly tx: Transactor,
    private readonly repo: SchedulerRepository,
    private readonly scheduler: SchedulerService,
    private readonly queue: JobQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!runsBackgroundWork(this.res.role)) return;
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.res.config.jobs.sweepMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async reconcile(): Promise<{ checked: number; rearmed: number; recovered: number }> {
    const recovered = await this.recoverAbandonedRuns();
    let checked = 0;
    let rearmed = 0;
    for (let after: string | null = null; ; ) {
      const page = await this.tx.withTenantBypass('scheduler: reconciliation sweep', () => this.repo.pendingAfter(after, PAGE));
      for (const entry of page) {
        checked += 1;
        if (await this.queue.getJob(this.scheduler.fireJobId(entry.id, entry.version))) continue;
        await this.scheduler.arm(entry);
        rearmed += 1;
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]?.id ?? null;
    }
    if (rearmed) this.log.warn({ checked, rearmed }, 'scheduler: re-armed entries whose job was missing');
    return { checked, rearmed, recovered };
  }

  /**
   * Entries left 'running' by a fire that will never record its outcome: its job failed for good
   * without the fire writing it (a worker killed mid-run more often than the stalled-job limit, a
   * lost outcome write), finished, or vanished (a lost Redis). The fire job's state says which:
   * failed → 'failed' (an admin may retry the job), completed → 'done', missing → 'pending' again
   * and re-armed (at least once: handlers dedupe by idempotency key). A fire job still active,
   * waiting or delayed is left alone: its run or retry is under way. Only entries running for
   * longer than a job lock are looked at, so a fire between its claim and its job's next state
   * is never mistaken for an abandoned one.
   */
  private async recoverAbandonedRuns(): Promise<number> {
    const before = new Date(Date.now() - this.res.config.jobs.lockMs);
    let recovered = 0;
    for (let after: string | null = null; ; ) {
      const page = await this.tx.withTenantBypass('scheduler: abandoned runs', () => this.repo.runningSince(before, after, PAGE));
      for (const entry of page) {
        const job = await this.queue.getJob(this.scheduler.fireJobId(entry.id, entry.version));
        const jobState = job ? await job.getState() : 'missing';
        const state = jobState === 'failed' ? 'failed' : jobState === 'completed' ? 'done' : jobState === 'missing' || jobState === 'unknown' ? 'pending' : undefined;
        if (!state) continue;
        const settled = await this.tx.withTenantBypass('scheduler: settle an abandoned run', () => this.repo.settleRun(entry.id, entry.version, state));
        if (!settled) continue;
        recovered += 1;
        this.log.warn({ entryId: entry.id, version: entry.version, job: entry.job_name, fireJob: jobState, state }, 'scheduler: recovered a run its fire abandoned');
        if (state === 'pending') await this.scheduler.arm(settled);
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]?.id ?? null;
    }
    return recovered;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.reconcile()
      .catch((err: unknown) => this.log.error({ err }, 'scheduler: reconciliation failed; next sweep retries'))
      .finally(() => {
        this.running = undefined;
      });
    await this.running;
  }
}
