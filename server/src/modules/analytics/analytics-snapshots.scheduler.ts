import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { JobHandler } from '../../platform/jobs/job-handler.decorator.js';
import { JobQueue } from '../../platform/jobs/job-queue.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import { PLATFORM_RESOURCES, runsBackgroundWork, type PlatformResources } from '../../platform/platform.module.js';
import { AnalyticsSnapshots } from './analytics-snapshots.service.js';
import './analytics-snapshots.jobs.js';

const MINUTE_MS = 60_000;

/**
 * Where background work runs, each scheduler sweep enqueues `analytics.snapshots` keyed by the
 * minute (one run per minute whatever the number of workers). The schedule itself is in
 * PostgreSQL, so a restart or a lost job only delays the next read to the next minute.
 */
@Injectable()
export class AnalyticsSnapshotsScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly snapshots: AnalyticsSnapshots,
    private readonly jobs: JobQueue,
    @Inject(PLATFORM_RESOURCES) private readonly res: PlatformResources,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!runsBackgroundWork(this.res.role)) return;
    this.timer = setInterval(() => void this.tick(), this.res.config.jobs.sweepMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  @JobHandler('analytics.snapshots')
  async snapshotsJob(): Promise<void> {
    const stored = await this.snapshots.sweep(new Date());
    if (stored > 0) this.log.info({ stored }, 'analytics: metric snapshots taken');
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    const minute = Math.floor(Date.now() / MINUTE_MS);
    this.running = this.jobs
      .enqueue('analytics.snapshots', { minute, orgId: null, correlationId: randomUUID(), idempotencyKey: `s${minute}` })
      .catch((err: unknown) => this.log.error({ err }, 'analytics: enqueueing snapshots failed; the next sweep retries'))
      .finally(() => {
        this.running = undefined;
      });
    await this.running;
  }
}
