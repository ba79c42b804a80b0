import { z } from 'zod';

export const EventsQuery = z.strictObject({
  state: z.enum(['dead_lettered']).default('dead_lettered').describe('Only dead-lettered events are listed for now'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type EventsQuery = z.infer<typeof EventsQuery>;

export const EventIdParams = z.strictObject({ id: z.uuid() });
export type EventIdParams = z.infer<typeof EventIdParams>;

export const DiscardQuery = z.strictObject({
  reason: z.string().trim().min(1).max(500).describe('Why the event is given up; kept in the audit log'),
});
export type DiscardQuery = z.infer<typeof DiscardQuery>;

export const DeadLetterView = z.object({
  id: z.uuid().describe('The dead letter: the event id when the relay gave up, a subscriber dead letter id otherwise'),
  eventId: z.uuid(),
  consumer: z.string().nullable().describe('The subscriber that gave up on the event; null when the relay could not publish it'),
  name: z.string(),
  aggregateType: z.string(),
  aggregateId: z.string(),
  attempts: z.number().int().describe('Deliveries tried before giving up'),
  lastError: z.string().nullable().describe('Why the last one failed; in embedded mode it starts with the failing consumer'),
  correlationId: z.string().nullable(),
  occurredAt: z.string(),
  deadLetteredAt: z.string(),
  heldBack: z.number().int().describe('Later events of the same aggregate waiting behind this one (for a subscriber: parked for it)'),
  payload: z.record(z.string(), z.unknown()).describe('The payload: ids, never whole rows'),
});
export type DeadLetterView = z.infer<typeof DeadLetterView>;

export const DeadLetterList = z.object({ items: z.array(DeadLetterView) });
