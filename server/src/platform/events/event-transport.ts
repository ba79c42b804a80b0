import type { EventEnvelope } from './events.types.js';

/**
 * What became of one event of a batch handed to a transport.
 * - `published`: safely handed over.
 * - `failed`: not handed over. `fault: 'event'` means this event failed (a subscriber threw, the
 *   broker refused this message): it counts as an attempt and, repeated, dead-letters the event.
 *   `fault: 'transport'` means the broker failed (unreachable, timed out): no attempt is counted,
 *   the relay backs off and tries again, as while the broker is down.
 * - `skipped`: not tried, because an earlier event of its aggregate in the batch failed.
 */
export type PublishOutcome = { status: 'published' } | { status: 'failed'; fault: 'event' | 'transport'; error: Error } | { status: 'skipped' };

/**
 * Where the relay hands events over. In-process (embedded mode) delivers straight to this
 * process's subscribers; NATS (distributed mode) publishes to JetStream and runs a durable
 * consumer per subscriber.
 */
export interface EventTransport {
  readonly kind: 'in-process' | 'nats';
  /** Connects and starts consuming; must not fail when the broker is down (it retries). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** False while the broker is unreachable: the relay waits instead of failing every event. */
  available(): boolean;
  /**
   * Hands a batch over; one outcome per event, in the batch's order. The events of one aggregate
   * come in position order, and the transport must keep it: it hands over an event only once the
   * aggregate's earlier events in the batch have been, and after a failure it skips the rest of
   * that aggregate. Events of different aggregates may go concurrently. Never throws.
   */
  publish(batch: readonly EventEnvelope[]): Promise<PublishOutcome[]>;
  describe(): string;
}

export const EVENT_TRANSPORT = Symbol('guddu.event-transport');

/** The batch's events grouped by aggregate, each group in batch (position) order, with indexes. */
export function byAggregate<E extends EventEnvelope>(batch: readonly E[]): { index: number; event: E }[][] {
  const groups = new Map<string, { index: number; event: E }[]>();
  batch.forEach((event, index) => {
    const key = aggregateKey(event);
    const group = groups.get(key);
    if (group) group.push({ index, event });
    else groups.set(key, [{ index, event }]);
  });
  return [...groups.values()];
}

// NUL cannot occur in a PostgreSQL text value, so no two aggregates share a key.
export const aggregateKey = (e: Pick<EventEnvelope, 'aggregateType' | 'aggregateId'>): string => `${e.aggregateType}\u0000${e.aggregateId}`;
