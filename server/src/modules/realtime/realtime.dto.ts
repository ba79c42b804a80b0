import { z } from 'zod';

export const EventsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional().describe('the position of the last event seen; omitted: start from now'),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const LiveEventView = z.object({
  id: z.uuid(),
  position: z.number().int(),
  name: z.string(),
  orgId: z.uuid(),
  aggregateType: z.string(),
  aggregateId: z.string(),
  occurredAt: z.iso.datetime({ offset: true }),
  payload: z.record(z.string(), z.unknown()),
});

export const EventsPage = z.object({
  events: z.array(LiveEventView),
  position: z.number().int().describe('send as `after` next time'),
  resync: z.boolean().describe('true: events were lost to pruning or too many to replay; reload what is shown'),
});
