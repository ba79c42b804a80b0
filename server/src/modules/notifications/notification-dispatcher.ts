import { Inject, Injectable } from '@nestjs/common';
import { Transactor } from '../../platform/database/transactor.js';
import { JobHandler } from '../../platform/jobs/job-handler.decorator.js';
import { JobQueue } from '../../platform/jobs/job-queue.js';
import type { GudduJobs } from '../../platform/jobs/jobs.types.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import { pairKey, planChannels } from './channel-plan.js';
import { NotificationDeliveriesRepository } from './notification-deliveries.repository.js';
import { NotificationBounces } from './notification-bounces.service.js';
import { NotificationPreferencesRepository } from './notification-preferences.repository.js';
import { NotificationChannels } from './notification-channels.js';
import { NotificationsRepository } from './notifications.repository.js';
import './notifications.jobs.js';

/**
 * Plans a recorded notification's outside channels, as its person has them set now, and queues
 * one send each (deferred ones for when quiet hours end or the digest is due). Runs once in
 * effect: deliveries are unique per (event, person, channel), so a second run finds them planned
 * and queues the same job ids again, which the queue ignores.
 */
@Injectable()
export class NotificationDispatcher {
  constructor(
    private readonly tx: Transactor,
    private readonly notifications: NotificationsRepository,
    private readonly prefs: NotificationPreferencesRepository,
    private readonly deliveries: NotificationDeliveriesRepository,
    private readonly channels: NotificationChannels,
    private readonly queue: JobQueue,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly bounces: NotificationBounces,
  ) {}

  @JobHandler('notifications.dispatch')
  async dispatch(p: GudduJobs['notifications.dispatch']): Promise<void> {
    await this.tx.withTenantBypass('notifications: plan the channels of one person’s notification', async () => {
      const n = await this.notifications.forDispatch(p.notificationId);
      if (!n) return;
      const [settings, choices, mandatory, pushSubs, bouncing] = await Promise.all([
        this.prefs.settings(n.user_id),
        this.prefs.choices(n.user_id),
        this.prefs.mandatoryOn(n.org_path),
        this.prefs.pushSubscriptions(n.user_id),
        this.bounces.bouncesHard(n.user_id),
      ]);
      const reachable = new Set<'email' | 'push' | 'sms'>(bouncing ? [] : ['email']);
      if (pushSubs.length > 0) reachable.add('push');
      if (settings?.phone_sealed) reachable.add('sms');
      const plan = planChannels({
        kind: n.kind,
        now: new Date(),
        configured: this.channels.configured(),
        choices: new Map(choices.map((c) => [pairKey(c.kind, c.channel), c.enabled])),
        mandatory: new Set(mandatory.map((m) => pairKey(m.kind, m.channel))),
        settings: {
          zone: settings?.time_zone ?? 'UTC',
          quiet: settings && settings.quiet_start !== null && settings.quiet_end !== null ? { start: settings.quiet_start, end: settings.quiet_end } : null,
          digest: settings?.digest ?? 'off',
        },
        reachable,
      });
      const rows = await this.deliveries.plan(
        plan.map((d) => ({ notificationId: n.id, orgId: n.org_id, userId: n.user_id, eventId: n.event_id, kind: n.kind, channel: d.channel, state: d.state, notBefore: d.notBefore, reason: d.reason })),
      );
      await this.notifications.markDispatched(n.id);
      const open = rows.filter((r) => r.state === 'pending' || r.state === 'deferred');
      this.tx.afterCommit(() =>
        this.queue.enqueueMany(
          'notifications.deliver',
          open.map((r) => ({
            payload: { deliveryId: r.id, orgId: r.org_id, correlationId: p.correlationId, idempotencyKey: `notification-delivery:${r.id}` },
            opts: r.state === 'deferred' && r.not_before ? { runAt: r.not_before } : {},
          })),
        ),
      );
      if (plan.length === 0) this.log.debug({ notificationId: n.id }, 'notifications: in-app only');
    });
  }

}
