import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { JobHandler } from '../../platform/jobs/job-handler.decorator.js';
import { JobQueue } from '../../platform/jobs/job-queue.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import { PLATFORM_RESOURCES, runsBackgroundWork, type PlatformResources } from '../../platform/platform.module.js';
import { AnalyticsMetricsService } from './analytics-metrics.service.js';
import './analytics.jobs.js';

const HOUR_MS = 3_600_000;
/** Keyed by the minute: a sweep tick in every worker process adds one rollup per minute in all. */
const ROLLUP_KEY_MS = 60_000;

/**
 * Keeps metric storage current where background work runs: each scheduler sweep enqueues the
 * partitions job (one per hour) and a rollup (one per minute); the job ids dedupe across workers.
 */
@Injectable()
export class AnalyticsMaintenance implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly metrics: AnalyticsMetricsService,
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

  @JobHandler('analytics.partitions')
  async partitionsJob(): Promise<void> {
    const outcome = await this.metrics.maintainPartitions(new Date(), this.res.config.analytics.rawRetentionDays);
    if (outcome.created || outcome.dropped) this.log.info(outcome, 'analytics: metric partitions');
  }

  @JobHandler('analytics.rollup')
  async rollupJob(): Promise<void> {
    await this.metrics.rollup();
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    const now = Date.now();
    const hour = Math.floor(now / HOUR_MS);
    const minute = Math.floor(now / ROLLUP_KEY_MS);
    this.running = Promise.all([
      this.jobs.enqueue('analytics.partitions', { hour, orgId: null, correlationId: randomUUID(), idempotencyKey: `h${hour}` }),
      this.jobs.enqueue('analytics.rollup', { minute, orgId: null, correlationId: randomUUID(), idempotencyKey: `m${minute}` }),
    ])
      .catch((err: unknown) => this.log.error({ err }, 'analytics: enqueueing maintenance failed; the next sweep retries'))
      .finally(() => {
        this.running = undefined;
      });
    await this.running;
  }
}
