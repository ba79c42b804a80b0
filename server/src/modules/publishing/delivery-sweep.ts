import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Transactor } from '../../platform/database/transactor.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import { PLATFORM_RESOURCES, runsBackgroundWork, type PlatformResources } from '../../platform/platform.module.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { DeliveryTransitions } from './delivery-transitions.js';

/** An open delivery untouched this long has lost its job (or its job's retries). */
const QUIET_MS = 20_000;
const EVERY_MS = 10_000;

/**
 * Jobs are enqueued after the commit that makes a delivery due; a worker killed in between, a
 * job whose retries a series of crashes used up, or a Redis that lost its data leaves an open
 * delivery with no job. Every worker process re-queues those (a new dispatch: any old job left
 * becomes stale, and the lease keeps two runs apart anyway).
 */
@Injectable()
export class DeliverySweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(PLATFORM_RESOURCES) private readonly res: PlatformResources,
    private readonly tx: Transactor,
    private readonly repo: DeliveriesRepository,
    private readonly moves: DeliveryTransitions,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!runsBackgroundWork(this.res.role)) return;
    this.timer = setInterval(() => void this.sweep(), EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<number> {
    try {
      return await this.tx.withTenantBypass('publishing: re-queue deliveries that lost their job', async () => {
        const stale = await this.repo.openDue(new Date(Date.now() - QUIET_MS), 200);
        for (const d of stale) await this.moves.requeue(d, null);
        if (stale.length > 0) this.log.warn({ count: stale.length }, 'publishing: re-queued deliveries that had lost their job');
        return stale.length;
      });
    } catch (err) {
      this.log.error({ err }, 'publishing: delivery sweep failed; the next one retries');
      return 0;
    }
  }
}
