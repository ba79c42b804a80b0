import { NotPublicError } from '../../platform/net/public-address.js';
import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import type { RequestContext } from '../../platform/context/request-context.js';
import { SecretBox } from '../../platform/crypto/secret-box.js';
import { AuditService } from '../audit/audit.service.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { pairKey } from './channel-plan.js';
import { KIND_NAMES, isOnByDefault, urgencyOf, type NotificationChannel, type NotificationKind } from './notification-kinds.js';
import { NotificationChannels } from './notification-channels.js';
import { NotificationDeliveriesRepository } from './notification-deliveries.repository.js';
import { NotificationPreferencesRepository, type SettingsRow } from './notification-preferences.repository.js';
import { phoneContext, pushContext } from './notification-sender.js';
import type * as dto from './notifications.dto.js';
import { notificationsError } from './notifications.errors.js';
import { NotificationsRepository } from './notifications.repository.js';
import { notificationView } from './notifications.views.js';
import { PushChannel } from './push.channel.js';
import { PUSH_ENDPOINTS, type PushEndpoints } from './push-endpoints.js';
import { formatClock, isTimeZone, parseClock } from './quiet-hours.js';

function userOf(ctx: RequestContext): string {
  if (ctx.actor?.type !== 'user') throw new Error('notifications: a signed-in person is needed');
  return ctx.actor.id;
}

function orgOf(ctx: RequestContext): string {
  if (!ctx.orgId) throw new Error('notifications: no organisation');
  return ctx.orgId;
}

const encodeCursor = (at: Date, id: string) => Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
function decodeCursor(c: string | undefined): { at: Date; id: string } | undefined {
  if (!c) return undefined;
  const [at, id] = Buffer.from(c, 'base64url').toString().split('|');
  const date = new Date(at ?? '');
  return Number.isNaN(date.getTime()) || !id || !/^[0-9a-f-]{36}$/.test(id) ? undefined : { at: date, id };
}

/** A person's notification centre and choices, and an organisation's mandatory kinds and failure list. */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly repo: NotificationsRepository,
    private readonly prefs: NotificationPreferencesRepository,
    private readonly deliveries: NotificationDeliveriesRepository,
    private readonly channels: NotificationChannels,
    private readonly push: PushChannel,
    private readonly box: SecretBox,
    private readonly audit: AuditService,
    private readonly organisations: OrganisationsService,
    @Inject(PUSH_ENDPOINTS) private readonly endpoints: PushEndpoints,
  ) {}

  async list(ctx: RequestContext, q: z.infer<typeof dto.ListQuery>) {
    const userId = userOf(ctx);
    const rows = await this.repo.page(userId, q.limit + 1, decodeCursor(q.cursor), q.unread);
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return { items: page.map(notificationView), nextCursor: rows.length > q.limit && last ? encodeCursor(last.created_at, last.id) : null, unread: await this.repo.unreadCount(userId) };
  }

  async unread(ctx: RequestContext) {
    return { unread: await this.repo.unreadCount(userOf(ctx)) };
  }

  // Read marks are not audited: they are a person's own reading state, not a change anyone else
  // relies on (the record of what was sent is the deliveries table).
  async markRead(ctx: RequestContext, id: string): Promise<void> {
    const n = await this.repo.find(id);
    if (!n) throw notificationsError('notification_not_found', 'No such notification of yours');
    await this.repo.markRead(userOf(ctx), [id]);
  }

  async markAllRead(ctx: RequestContext) {
    return { marked: await this.repo.markAllRead(userOf(ctx)) };
  }

  async preferences(ctx: RequestContext) {
    const userId = userOf(ctx);
    const [settings, choices, mandatory, subs] = await Promise.all([this.prefs.settings(userId), this.prefs.choices(userId), this.mandatoryHere(ctx), this.prefs.pushSubscriptions(userId)]);
    const chosen = new Map(choices.map((c) => [pairKey(c.kind, c.channel), c.enabled]));
    const path = new Set(mandatory.map((m) => pairKey(m.kind, m.channel)));
    const state = (kind: NotificationKind, channel: NotificationChannel) => {
      const must = path.has(pairKey(kind, channel));
      return { enabled: must || (chosen.get(pairKey(kind, channel)) ?? isOnByDefault(kind, channel)), mandatory: must };
    };
    const configured = this.channels.configured();
    return {
      channels: {
        email: { configured: configured.has('email') },
        push: { configured: true, publicKey: await this.push.publicKey(), subscriptions: subs.length },
        sms: { configured: configured.has('sms'), phone: settings?.phone_sealed ? maskPhone(this.box.open(settings.phone_sealed, phoneContext(userId))) : null },
      },
      timeZone: settings?.time_zone ?? 'UTC',
      quietHours: settings && settings.quiet_start !== null && settings.quiet_end !== null ? { start: formatClock(settings.quiet_start), end: formatClock(settings.quiet_end) } : null,
      digest: settings?.digest ?? 'off',
      kinds: KIND_NAMES.map((kind) => ({ kind, urgency: urgencyOf(kind), email: state(kind, 'email'), push: state(kind, 'push'), sms: state(kind, 'sms') })),
    };
  }

  async setPreferences(ctx: RequestContext, b: z.infer<typeof dto.PreferencesBody>) {
    const userId = userOf(ctx);
    if (b.timeZone !== undefined && !isTimeZone(b.timeZone)) throw notificationsError('time_zone_unknown', `${b.timeZone} is not a time zone this server knows`);
    if (b.phone && !this.channels.configured().has('sms')) throw notificationsError('channel_not_configured', 'SMS is not configured on this installation');
    const current = await this.prefs.settings(userId);
    const next: SettingsRow = {
      time_zone: b.timeZone ?? current?.time_zone ?? 'UTC',
      quiet_start: b.quietHours === undefined ? (current?.quiet_start ?? null) : b.quietHours === null ? null : parseClock(b.quietHours.start),
      quiet_end: b.quietHours === undefined ? (current?.quiet_end ?? null) : b.quietHours === null ? null : parseClock(b.quietHours.end),
      digest: b.digest ?? current?.digest ?? 'off',
      phone_sealed: b.phone === undefined ? (current?.phone_sealed ?? null) : b.phone === null ? null : this.box.seal(b.phone, phoneContext(userId)),
    };
    await this.prefs.putSettings(userId, next);
    await this.prefs.putChoices(userId, (b.choices ?? []).map((c) => ({ kind: c.kind as NotificationKind, channel: c.channel, enabled: c.enabled })));
    await this.audit.record(ctx, {
      action: 'notifications.preferences_changed',
      targetType: 'user',
      targetId: userId,
      // The phone number stays out of the audit record: only whether one is on file.
      after: { timeZone: next.time_zone, quietHours: b.quietHours, digest: next.digest, phoneOnFile: next.phone_sealed !== null, choices: b.choices ?? [] },
    });
    return this.preferences(ctx);
  }

  async subscribePush(ctx: RequestContext, b: z.infer<typeof dto.PushSubscriptionBody>) {
    const userId = userOf(ctx);
    if (!b.endpoint.startsWith('https://')) throw notificationsError('push_subscription_invalid', 'A push endpoint is an HTTPS URL');
    // Guddu will POST to this URL for every notification: never to a private or reserved address.
    try {
      await this.endpoints.resolve(new URL(b.endpoint).hostname);
    } catch (err) {
      if (err instanceof NotPublicError) throw notificationsError('push_subscription_invalid', `A push endpoint must be on the public internet: ${err.message}`);
      throw err;
    }
    const id = await this.prefs.addPushSubscription(userId, createHash('sha256').update(b.endpoint).digest('hex'), this.box.seal(JSON.stringify(b), pushContext(userId)));
    await this.audit.record(ctx, { action: 'notifications.push_subscribed', targetType: 'push_subscription', targetId: id, after: { endpointHost: new URL(b.endpoint).host } });
    return { id };
  }

  async unsubscribePush(ctx: RequestContext, id: string): Promise<void> {
    if (!(await this.prefs.removePushSubscription(userOf(ctx), id))) throw notificationsError('notification_not_found', 'No such push subscription of yours');
    await this.audit.record(ctx, { action: 'notifications.push_unsubscribed', targetType: 'push_subscription', targetId: id });
  }

  async mandates(ctx: RequestContext) {
    const rows = await this.mandatoryHere(ctx);
    return { items: rows.map((m) => ({ organisationId: m.org_id, kind: m.kind, channel: m.channel, inherited: m.org_id !== orgOf(ctx) })) };
  }

  async setMandate(ctx: RequestContext, kind: NotificationKind, channel: NotificationChannel): Promise<void> {
    if (await this.prefs.addMandatory(orgOf(ctx), kind, channel, userOf(ctx))) {
      await this.audit.record(ctx, { action: 'notifications.mandate_set', targetType: 'organisation', targetId: orgOf(ctx), after: { kind, channel } });
    }
  }

  async clearMandate(ctx: RequestContext, kind: NotificationKind, channel: NotificationChannel): Promise<void> {
    if (await this.prefs.removeMandatory(orgOf(ctx), kind, channel)) {
      await this.audit.record(ctx, { action: 'notifications.mandate_cleared', targetType: 'organisation', targetId: orgOf(ctx), before: { kind, channel } });
    }
  }

  async failures(_ctx: RequestContext, q: z.infer<typeof dto.FailuresQuery>) {
    const rows = await this.deliveries.failures(q.limit, q.before ? new Date(q.before) : undefined);
    return {
      items: rows.map((r) => ({
        id: r.id,
        organisationId: r.org_id,
        userId: r.user_id,
        recipient: r.display_name && r.email ? `${r.display_name} <${r.email}>` : (r.email ?? null),
        kind: r.kind,
        channel: r.channel,
        state: r.state,
        attempts: r.attempts,
        reason: r.reason,
        bouncedAt: r.bounced_at?.toISOString() ?? null,
        updatedAt: r.updated_at.toISOString(),
      })),
    };
  }

  /** Mandates on this organisation and above it: what binds its people (those set below bind only below). */
  private async mandatoryHere(ctx: RequestContext) {
    const org = await this.organisations.find(orgOf(ctx));
    return org ? this.prefs.mandatoryOn([...org.ancestry, org.id]) : [];
  }
}

export function maskPhone(phone: string): string {
  return `${phone.slice(0, 3)}${'•'.repeat(Math.max(0, phone.length - 6))}${phone.slice(-3)}`;
}

