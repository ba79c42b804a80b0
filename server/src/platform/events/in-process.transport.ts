import { type EventDelivery } from './event-delivery.js';
import { type EventSubscribers } from './event-subscribers.js';
import type { EventTransport } from './event-transport.js';
import type { EventEnvelope } from './events.types.js';

/**
 * Embedded mode: "publishing" is running every subscriber of the event, one after another,
 * before the relay marks the event published. A subscriber that fails makes the relay retry the
 * event later; those that had succeeded see a duplicate and skip it.
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

  async publish(event: EventEnvelope): Promise<void> {
    for (const subscriber of this.subscribers.of(event.name)) await this.delivery.deliver(subscriber, event);
  }

  describe(): string {
    return 'in-process';
  }
}
