import { z } from 'zod';
import { DELIVERY_STATES } from './delivery-state.js';

export const IdParams = z.strictObject({ id: z.uuid() });
export const RetractBody = z.strictObject({ reason: z.string().trim().min(1).max(2000).describe('Why it is taken down: kept in the audit trail') });

const iso = z.string();

export const AttemptView = z.object({
  kind: z.enum(['publish', 'reconcile', 'retract']),
  number: z.number().int(),
  startedAt: iso,
  endedAt: iso.nullable(),
  outcome: z.string().nullable().describe('succeeded, found, not_found, failed, retry, delayed, held, lost (the worker stopped mid-call); null while the call is out'),
  errorClass: z.string().nullable(),
  httpStatus: z.number().int().nullable(),
  vendorCode: z.string().nullable(),
  detail: z.string().nullable(),
});

export const DeliveryView = z.object({
  id: z.uuid(),
  messageId: z.uuid(),
  version: z.number().int(),
  channelId: z.uuid(),
  network: z.string().nullable(),
  state: z.enum(DELIVERY_STATES),
  attempts: z.number().int(),
  nextAttemptAt: iso.nullable(),
  externalId: z.string().nullable(),
  url: z.string().nullable(),
  publishedAt: iso.nullable(),
  failureClass: z.string().nullable(),
  failureReason: z.string().nullable().describe('A sentence a person understands'),
  retractReason: z.string().nullable(),
  attemptLog: z.array(AttemptView),
});

export const DeliveryList = z.object({ items: z.array(DeliveryView) });
export const RetractView = z.object({
  messageId: z.uuid(),
  items: z.array(z.object({ deliveryId: z.uuid(), channelId: z.uuid(), network: z.string().nullable(), state: z.enum(DELIVERY_STATES), detail: z.string() })),
});
