import { z } from 'zod';
import { KIND_NAMES, NOTIFICATION_CHANNELS } from './notification-kinds.js';

const Kind = z.enum(KIND_NAMES as [string, ...string[]]);
const Channel = z.enum(NOTIFICATION_CHANNELS);
const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour');

export const IdParams = z.strictObject({ id: z.uuid() });

export const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(30),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  unread: z.enum(['true', 'false']).default('false').transform((v) => v === 'true').describe('only unread ones'),
});

export const NotificationView = z.object({
  id: z.uuid(),
  organisationId: z.uuid(),
  kind: Kind,
  urgency: z.enum(['low', 'normal', 'urgent']),
  subject: z.object({ type: z.string(), id: z.string() }),
  params: z.record(z.string(), z.union([z.string(), z.number()])).describe('what the sentence for this kind fills in (titles, reasons); never a message body'),
  read: z.boolean(),
  createdAt: z.iso.datetime({ offset: true }),
});

export const NotificationPage = z.object({
  items: z.array(NotificationView),
  nextCursor: z.string().nullable(),
  unread: z.number().int(),
});

export const UnreadCount = z.object({ unread: z.number().int() });
export const Marked = z.object({ marked: z.number().int() });

const ChannelState = z.object({ enabled: z.boolean(), mandatory: z.boolean() });

export const PreferencesView = z.object({
  channels: z.object({
    email: z.object({ configured: z.boolean() }),
    push: z.object({ configured: z.boolean(), publicKey: z.string().nullable().describe('the VAPID key a browser subscribes with'), subscriptions: z.number().int() }),
    sms: z.object({ configured: z.boolean(), phone: z.string().nullable().describe('the number on file, all but its last 3 digits hidden') }),
  }),
  timeZone: z.string(),
  quietHours: z.object({ start: Clock, end: Clock }).nullable(),
  digest: z.enum(['off', 'daily', 'weekly']),
  kinds: z.array(z.object({ kind: Kind, urgency: z.enum(['low', 'normal', 'urgent']), email: ChannelState, push: ChannelState, sms: ChannelState })),
});

export const PreferencesBody = z.strictObject({
  timeZone: z.string().min(1).max(64).optional().describe('IANA zone, e.g. Asia/Kolkata; quiet hours and digests follow it'),
  quietHours: z.strictObject({ start: Clock, end: Clock }).nullable().optional().describe('null: none; urgent kinds come through anyway'),
  digest: z.enum(['off', 'daily', 'weekly']).optional().describe('low-urgency email in one message at 08:00 (weekly: Mondays)'),
  phone: z.string().regex(/^\+[1-9]\d{6,14}$/, 'E.164, e.g. +919812345678').nullable().optional().describe('for SMS; null removes it'),
  choices: z.array(z.strictObject({ kind: Kind, channel: Channel, enabled: z.boolean() })).max(200).optional(),
});

export const PushSubscriptionBody = z.strictObject({
  endpoint: z.url().max(2000),
  keys: z.strictObject({ p256dh: z.string().min(1).max(200), auth: z.string().min(1).max(100) }),
});
export const Created = z.object({ id: z.uuid() });

export const MandateParams = z.strictObject({ kind: Kind, channel: Channel });
export const MandatesView = z.object({
  items: z.array(z.object({ organisationId: z.uuid(), kind: Kind, channel: Channel, inherited: z.boolean() })),
});

export const FailuresQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso.datetime({ offset: true }).optional(),
});
export const FailuresView = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      organisationId: z.uuid(),
      userId: z.uuid(),
      recipient: z.string().nullable().describe('the person it did not reach, name and address, when this organisation can see them'),
      kind: Kind,
      channel: Channel,
      state: z.enum(['pending', 'deferred', 'sent', 'failed', 'skipped']),
      attempts: z.number().int(),
      reason: z.string().nullable(),
      bouncedAt: z.iso.datetime({ offset: true }).nullable(),
      updatedAt: z.iso.datetime({ offset: true }),
    }),
  ),
});

export const BounceBody = z.strictObject({
  address: z.email().max(320).describe('the recipient address that bounced'),
  type: z.enum(['hard', 'soft']).describe('hard: the address does not exist or refuses for good (email to it stops); soft: temporary (counted and shown)'),
  reason: z.string().min(1).max(1000).describe('the provider’s diagnostic, e.g. "550 5.1.1 user unknown"'),
});
export const BounceAccepted = z.object({ organisations: z.number().int().describe('how many organisations’ deliveries the bounce was marked on') });
