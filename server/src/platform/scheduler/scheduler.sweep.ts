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

  async reconcile(): Promise<{ checked: number; rearmed: number }> {
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
    return { checked, rearmed };
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
