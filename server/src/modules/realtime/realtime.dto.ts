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
  events: z.array(LiveEventView).describe('after the position, preceded by the last 30 seconds up to it again (a transaction that commits late puts its event below positions already seen): drop events whose id you have'),
  position: z.number().int().describe('send as `after` next time'),
  resync: z.boolean().describe('true: events were lost to pruning or too many to replay; reload what is shown'),
});
