import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Transactor } from '../../platform/database/transactor.js';
import { JobQueue } from '../../platform/jobs/job-queue.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import { PLATFORM_RESOURCES, runsBackgroundWork, type PlatformResources } from '../../platform/platform.module.js';
import { NotificationDeliveriesRepository } from './notification-deliveries.repository.js';
import { NotificationsRepository } from './notifications.repository.js';
import './notifications.jobs.js';

const PAGE = 500;
/** Older than this and still undispatched or unsent: its job was lost (queued after a commit, by a process that died). */
const LOST_AFTER_MS = 60_000;

/**
 * Finds work whose job went missing and queues it again. Cheap to over-queue: a dispatch plans
 * nothing new, a send of something already sent does nothing (the row's lock and state).
 */
@Injectable()
export class NotificationSweep implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly tx: Transactor,
    private readonly notifications: NotificationsRepository,
    private readonly deliveries: NotificationDeliveriesRepository,
    private readonly queue: JobQueue,
    @Inject(PLATFORM_RESOURCES) private readonly res: PlatformResources,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!runsBackgroundWork(this.res.role)) return;
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .catch((err: unknown) => this.log.warn({ err }, 'notifications: sweep failed; the next one tries again'))
        .finally(() => (this.running = undefined));
    }, this.res.config.jobs.sweepMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async sweep(now = new Date()): Promise<{ dispatched: number; sent: number }> {
    const before = new Date(now.getTime() - LOST_AFTER_MS);
    const [lost, stale] = await this.tx.withTenantBypass('notifications: sweep for lost jobs', () => Promise.all([this.notifications.undispatched(before, PAGE), this.deliveries.stale(before, PAGE)]));
    const bucket = Math.floor(now.getTime() / LOST_AFTER_MS);
    await this.queue.enqueueMany(
      'notifications.dispatch',
      lost.map((n) => ({ payload: { notificationId: n.id, orgId: n.org_id, correlationId: `sweep:${bucket}`, idempotencyKey: `notification:${n.id}:sweep:${bucket}` } })),
    );
    const due = stale.filter((d) => d.state === 'pending' || (d.not_before !== null && d.not_before <= now));
    await this.queue.enqueueMany(
      'notifications.deliver',
      due.map((d) => ({ payload: { deliveryId: d.id, orgId: d.org_id, correlationId: `sweep:${bucket}`, idempotencyKey: `notification-delivery:${d.id}:sweep:${bucket}` } })),
    );
    if (lost.length || due.length) this.log.info({ dispatched: lost.length, sent: due.length }, 'notifications: re-queued work whose job was lost');
    return { dispatched: lost.length, sent: due.length };
  }
}
