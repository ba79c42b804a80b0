import { z } from 'zod';

export const EventsQuery = z.strictObject({
  state: z.enum(['dead_lettered']).default('dead_lettered').describe('Only dead-lettered events are listed for now'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type EventsQuery = z.infer<typeof EventsQuery>;

export const EventIdParams = z.strictObject({ id: z.uuid() });
export type EventIdParams = z.infer<typeof EventIdParams>;

export const DeadLetterView = z.object({
  id: z.uuid(),
  name: z.string(),
  aggregateType: z.string(),
  aggregateId: z.string(),
  attempts: z.number().int().describe('Deliveries tried before the relay gave up'),
  lastError: z.string().nullable().describe('Why the last one failed; in embedded mode it starts with the failing consumer'),
  correlationId: z.string().nullable(),
  occurredAt: z.string(),
  deadLetteredAt: z.string(),
  heldBack: z.number().int().describe('Later events of the same aggregate waiting behind this one'),
  payload: z.record(z.string(), z.unknown()).describe('The payload: ids, never whole rows'),
});
export type DeadLetterView = z.infer<typeof DeadLetterView>;

export const DeadLetterList = z.object({ items: z.array(DeadLetterView) });
