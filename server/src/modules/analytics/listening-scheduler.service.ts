import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { JobHandler } from '../../platform/jobs/job-handler.decorator.js';
import { JobQueue } from '../../platform/jobs/job-queue.js';
import type { GudduJobs } from '../../platform/jobs/jobs.types.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import { PLATFORM_RESOURCES, runsBackgroundWork, type PlatformResources } from '../../platform/platform.module.js';
import { ListeningIngest } from './listening-ingest.service.js';
import { SpikesService } from './spikes.service.js';
import './listening.jobs.js';

const MINUTE_MS = 60_000;

/**
 * Keeps listening going where background work runs: each scheduler sweep enqueues one
 * `listening.sweep` per minute (the job id dedupes across workers); the sweep plans the due
 * polls, looks for spikes and clears expired handles. Cursors and jobs live in the database or
 * Redis, so a restart picks up where the last poll committed.
 */
@Injectable()
export class ListeningScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly ingest: ListeningIngest,
    private readonly spikes: SpikesService,
    private readonly jobs: JobQueue,
    @Inject(PLATFORM_RESOURCES) private readonly res: PlatformResources,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!runsBackgroundWork(this.res.role)) return;
    this.timer = setInterval(() => void this.tick(), this.res.config.jobs.sweepMs);
    this.timer.unref();
    void this.tick();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  @JobHandler('listening.sweep')
  async sweepJob(): Promise<void> {
    const planned = await this.ingest.plan();
    const raised = await this.spikes.evaluate();
    const cleared = await this.ingest.clearExpiredHandles();
    if (planned || raised.length || cleared) this.log.info({ planned, raised: raised.length, cleared }, 'listening: sweep');
  }

  @JobHandler('listening.poll')
  async pollJob(p: GudduJobs['listening.poll']): Promise<void> {
    const r = await this.ingest.poll(p);
    if (r.stored > 0) this.log.debug(r, 'listening: comments stored');
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    const minute = Math.floor(Date.now() / MINUTE_MS);
    this.running = this.jobs
      .enqueue('listening.sweep', { minute, orgId: null, correlationId: randomUUID(), idempotencyKey: `m${minute}` })
      .catch((err: unknown) => this.log.error({ err }, 'listening: enqueueing the sweep failed; the next tick retries'))
      .finally(() => {
        this.running = undefined;
      });
    await this.running;
  }
}
