import { z } from 'zod';
import { validPattern } from './webhook-events.js';

export const IdParams = z.strictObject({ id: z.uuid() });
export const DeliveryParams = z.strictObject({ id: z.uuid(), deliveryId: z.uuid() });

const Url = z
  .string()
  .trim()
  .min(8)
  .max(2000)
  .refine((v) => URL.canParse(v) && ['https:', 'http:'].includes(new URL(v).protocol), 'an https URL')
  .describe('Where Guddu POSTs the events: https, on a public address (unless the operator allows private ones)');
const Events = z
  .array(z.string().trim().min(1).max(200).refine(validPattern, 'an event name Guddu sends, <domain>.*, or *'))
  .min(1)
  .max(100)
  .transform((v) => [...new Set(v)].sort())
  .describe('Event names (messages.published), domain wildcards (publishing.*) or * for every event');

export const CreateBody = z.strictObject({
  url: Url,
  events: Events,
  description: z.string().trim().max(500).default(''),
  enabled: z.boolean().default(true),
});

export const UpdateBody = z
  .strictObject({
    url: Url.optional(),
    events: Events.optional(),
    description: z.string().trim().max(500).optional(),
    enabled: z.boolean().optional().describe('false switches it off; true switches it back on and clears the failure count and reason'),
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');

export const WebhookView = z.object({
  id: z.uuid(),
  organisationId: z.uuid(),
  url: z.string(),
  description: z.string(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  disabledReason: z.string().nullable().describe('Why it is off: an admin, or sustained failure'),
  disabledAt: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  failingSince: z.string().nullable(),
  revision: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const WebhookList = z.object({ items: z.array(WebhookView), events: z.array(z.string()).describe('Every event name a webhook can receive') });

export const WebhookWithSecret = z.object({
  webhook: WebhookView,
  secret: z.string().describe('whsec_…: shown this once; Guddu keeps it sealed and never returns it again'),
});
export const SecretView = z.object({ secret: z.string().describe('The new whsec_… secret, shown this once; the old one stops signing at once') });

export const AttemptView = z.object({
  number: z.number().int(),
  trigger: z.enum(['event', 'retry', 'redelivery', 'ping']),
  startedAt: z.string(),
  durationMs: z.number().int(),
  succeeded: z.boolean(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  responseBody: z.string().nullable().describe('The first KiB of the answer'),
});
export const DeliveryView = z.object({
  id: z.uuid().describe('Sent as webhook-id: the same on every attempt, so receivers can drop duplicates'),
  webhookId: z.uuid(),
  eventId: z.uuid(),
  eventName: z.string(),
  state: z.enum(['pending', 'succeeded', 'failed', 'skipped']),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  attemptLog: z.array(AttemptView),
});
export const DeliveryQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  before: z.iso.datetime({ offset: true }).optional().describe('Older than this creation time (paging)'),
});
export const DeliveryList = z.object({ items: z.array(DeliveryView) });

export const PingResult = z.object({
  deliveryId: z.uuid(),
  succeeded: z.boolean(),
  statusCode: z.number().int().nullable(),
  durationMs: z.number().int(),
  error: z.string().nullable(),
});
