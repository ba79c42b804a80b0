import { type EventDelivery } from './event-delivery.js';
import { type EventSubscribers } from './event-subscribers.js';
import { aggregateKey, type EventTransport, type PublishOutcome } from './event-transport.js';
import type { EventEnvelope } from './events.types.js';

/**
 * Embedded mode: "publishing" is running every subscriber of the event, one after another,
 * before the relay marks the event published. A subscriber that fails fails the event (an
 * attempt, named after the consumer in the event's last error) and the rest of its aggregate
 * waits; on the next attempt the subscribers that had succeeded see a duplicate and skip it.
 * Events go one at a time: each delivery is a database transaction, and the pool is shared.
 */
export class InProcessTransport implements EventTransport {
  readonly kind = 'in-process';

  constructor(
    private readonly subscribers: EventSubscribers,
    private readonly delivery: EventDelivery,
  ) {}

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  available(): boolean {
    return true;
  }

  async publish(batch: readonly EventEnvelope[]): Promise<PublishOutcome[]> {
    const failed = new Set<string>();
    const outcomes: PublishOutcome[] = [];
    for (const event of batch) {
      const key = aggregateKey(event);
      if (failed.has(key)) {
        outcomes.push({ status: 'skipped' });
        continue;
      }
      const outcome = await this.deliver(event);
      if (outcome.status !== 'published') failed.add(key);
      outcomes.push(outcome);
    }
    return outcomes;
  }

  describe(): string {
    return 'in-process';
  }

  private async deliver(event: EventEnvelope): Promise<PublishOutcome> {
    for (const subscriber of this.subscribers.of(event.name)) {
      try {
        await this.delivery.deliver(subscriber, event);
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        return { status: 'failed', fault: 'event', error: new Error(`${subscriber.consumer}: ${error.message}`, { cause: error }) };
      }
    }
    return { status: 'published' };
  }
}
