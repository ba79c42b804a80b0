import { Inject, Injectable } from '@nestjs/common';
import type { Config } from '../../platform/config/config.js';
import { CONFIG } from '../../platform/config/config.tokens.js';
import { SecretBox } from '../../platform/crypto/secret-box.js';
import { Transactor } from '../../platform/database/transactor.js';
import { jobOptionsOf } from '../../platform/jobs/job-catalog.js';
import { JobHandler } from '../../platform/jobs/job-handler.decorator.js';
import { JobQueue } from '../../platform/jobs/job-queue.js';
import type { GudduJobs, JobContext } from '../../platform/jobs/jobs.types.js';
import { EmailChannel, PermanentSendError } from './email.channel.js';
import { NotificationDeliveriesRepository, type DeliveryRow } from './notification-deliveries.repository.js';
import { consoleLink } from './notification-links.js';
import { NotificationPreferencesRepository } from './notification-preferences.repository.js';
import { renderDigest } from './notification-digest.js';
import { NotificationBounces } from './notification-bounces.service.js';
import { languageFor, renderEmail, renderLine, renderSms } from './notification-templates.js';
import { NotificationsRepository, type NotificationRow } from './notifications.repository.js';
import { PushChannel, SubscriptionGoneError, type PushSubscription } from './push.channel.js';
import { SmsChannel } from './sms.channel.js';
import './notifications.jobs.js';

export const phoneContext = (userId: string) => `notifications.phone:${userId}`;

type Outcome = { kind: 'done' } | { kind: 'later'; at: Date } | { kind: 'retry'; reason: string };

class Refused extends Error {}
class Bouncing extends Refused {}

/**
 * Sends one planned delivery. The row is locked for the whole send and settled in the same
 * transaction: a second run (a retry, a worker taking over after a crash) waits for the lock,
 * then finds it sent and does nothing. A process that dies mid-send rolls back, so the row is
 * still pending and the next run sends it; the only window for a duplicate is a server that
 * accepted the mail just before the process died, and that copy carries the same Message-ID.
 */
@Injectable()
export class NotificationSender {
  constructor(
    private readonly tx: Transactor,
    private readonly deliveries: NotificationDeliveriesRepository,
    private readonly notifications: NotificationsRepository,
    private readonly prefs: NotificationPreferencesRepository,
    private readonly email: EmailChannel,
    private readonly push: PushChannel,
    private readonly sms: SmsChannel,
    private readonly queue: JobQueue,
    private readonly box: SecretBox,
    @Inject(CONFIG) private readonly config: Config,
    private readonly bounces: NotificationBounces,
  ) {}

  @JobHandler('notifications.deliver')
  async deliver(p: GudduJobs['notifications.deliver'], job: JobContext): Promise<void> {
    const outcome = await this.tx.withTenantBypass('notifications: send one delivery', () => this.sendLocked(p.deliveryId, job.attempt));
    if (outcome.kind === 'later') {
      await this.queue.enqueue('notifications.deliver', { ...p, idempotencyKey: `notification-delivery:${p.deliveryId}:${outcome.at.getTime()}` }, { runAt: outcome.at });
    } else if (outcome.kind === 'retry') {
      throw new Error(`notification delivery ${p.deliveryId}: ${outcome.reason}`);
    }
  }

  private async sendLocked(id: string, attempt: number): Promise<Outcome> {
    const d = await this.deliveries.lockForSend(id);
    if (!d || (d.state !== 'pending' && d.state !== 'deferred')) return { kind: 'done' };
    const now = new Date();
    if (d.state === 'deferred' && d.not_before && d.not_before.getTime() > now.getTime() + 1000) return { kind: 'later', at: d.not_before };
    const [n] = await this.notifications.findMany([d.notification_id]);
    const contact = await this.notifications.contactOf(d.user_id);
    if (!n || !contact || contact.status !== 'active') {
      await this.deliveries.settle(d.id, 'skipped', { attempts: d.attempts, reason: 'the person is no longer active' });
      return { kind: 'done' };
    }
    if (n.urgency !== 'urgent' && (await this.deliveries.sentSince(d.user_id, d.channel, new Date(now.getTime() - 60_000))) >= this.config.notifications.maxPerMinute) {
      // Not a failure: the rest of this minute's burst waits for the next one.
      return { kind: 'later', at: new Date(now.getTime() + 60_000) };
    }
    const attempts = d.attempts + 1;
    try {
      const refs = await this.sendBy(d, n, contact);
      for (const r of refs.rows) await this.deliveries.settle(r, 'sent', { attempts: r === d.id ? attempts : 1, providerRef: refs.ref });
      return { kind: 'done' };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      // The row's count, not the job's: the sweep may start a new job for a row, and the cap
      // must hold across them. The next try is recorded so the sweep leaves the row until then.
      const { attempts: max, backoffMs } = jobOptionsOf('notifications.deliver');
      const final = err instanceof PermanentSendError || err instanceof Refused || Math.max(attempt, attempts) >= max;
      const notBefore = final ? undefined : new Date(Date.now() + Math.min(3_600_000, backoffMs * 2 ** (attempts - 1)));
      // An email refused for good came back: recorded as bounced (the admins' failure list shows it),
      // and a refused recipient marks the address so nothing more is sent to it.
      const bounced = d.channel === 'email' && ((err instanceof PermanentSendError && err.bounce !== undefined) || err instanceof Bouncing);
      if (err instanceof PermanentSendError && err.bounce === 'recipient') await this.bounces.refusedAtSend(contact.email, reason);
      await this.deliveries.settle(d.id, final ? 'failed' : d.state, { attempts, reason, bounced, ...(notBefore ? { notBefore } : {}) });
      return final ? { kind: 'done' } : { kind: 'retry', reason };
    }
  }

  private async sendBy(d: DeliveryRow, n: NotificationRow, contact: { email: string; locale: string }): Promise<{ ref: string; rows: string[] }> {
    const lang = languageFor(contact.locale);
    const link = consoleLink(this.config.publicUrl, { type: n.subject_type, id: n.subject_id });
    switch (d.channel) {
      case 'email': {
        if (await this.bounces.bouncesHard(d.user_id)) throw new Bouncing('the address bounces: email to it has stopped');
        if (d.state === 'deferred' && d.reason?.startsWith('in the ')) return this.sendDigest(d, contact.email, lang);
        const mail = renderEmail(n.kind, lang, n.params, link);
        const { ref } = await this.email.send({ to: contact.email, ...mail, messageId: this.messageId(d.id) });
        return { ref, rows: [d.id] };
      }
      case 'push': {
        const subs = await this.prefs.pushSubscriptions(d.user_id);
        const line = renderLine(n.kind, lang, n.params);
        let delivered = 0;
        for (const s of subs) {
          try {
            await this.push.send(JSON.parse(this.box.open(s.subscription_sealed, pushContext(d.user_id))) as PushSubscription, { ...line, url: link });
            delivered += 1;
          } catch (err) {
            if (!(err instanceof SubscriptionGoneError)) throw err;
            await this.prefs.dropPushSubscription(s.id);
          }
        }
        if (delivered === 0) throw new Refused('no browser accepted the push (every subscription is gone)');
        return { ref: `${delivered} browsers`, rows: [d.id] };
      }
      case 'sms': {
        const settings = await this.prefs.settings(d.user_id);
        if (!settings?.phone_sealed) throw new Refused('no phone number on file');
        const phone = this.box.open(settings.phone_sealed, phoneContext(d.user_id));
        const { ref } = await this.sms.send(phone, renderSms(n.kind, lang, n.params, link), `notification-delivery:${d.id}`);
        return { ref, rows: [d.id] };
      }
    }
  }

  /** One email for everything of this person's that waits for the digest now; all of it settles together. */
  private async sendDigest(d: DeliveryRow, to: string, lang: 'en' | 'hi'): Promise<{ ref: string; rows: string[] }> {
    const due = await this.deliveries.dueDigest(d.user_id, new Date(Date.now() + 1000));
    const rows = due.some((r) => r.id === d.id) ? due : [d, ...due];
    const items = await this.notifications.findMany(rows.map((r) => r.notification_id));
    const mail = renderDigest(lang, items.map((n) => ({ kind: n.kind, params: n.params, link: consoleLink(this.config.publicUrl, { type: n.subject_type, id: n.subject_id }) })), `${this.config.publicUrl.replace(/\/+$/, '')}/notifications/`);
    const { ref } = await this.email.send({ to, ...mail, messageId: this.messageId(d.id) });
    return { ref, rows: rows.map((r) => r.id) };
  }

  private messageId(deliveryId: string): string {
    return `<notification-${deliveryId}@${new URL(this.config.publicUrl).hostname}>`;
  }
}

export const pushContext = (userId: string) => `notifications.push:${userId}`;
