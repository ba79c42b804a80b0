import { type EventDelivery } from './event-delivery.js';
import { type EventSubscribers } from './event-subscribers.js';
import { aggregateKey, type EventTransport, type PublishOutcome } from './event-transport.js';
import type { EventEnvelope } from './events.types.js';

/**
 * Embedded mode: "publishing" is running every subscriber of the event before the relay marks the
 * event published. The subscribers of one event run side by side, as their JetStream consumers do
 * in distributed mode (each is its own consumer, with its own transaction and dedup row): the
 * console's live feed does not wait for the notifications' recipients to be resolved (decision
 * 0034). A subscriber that fails fails the event (an attempt, named after the consumer in the
 * event's last error) and the rest of its aggregate waits; on the next attempt the subscribers
 * that had succeeded see a duplicate and skip it. The events of a batch go one at a time: the
 * relay's other lanes take the aggregates that commit meanwhile.
 *
 * The pool is shared, and a round holds a connection while its deliveries take others (a handler
 * may open one more of its own): at most `slots` deliveries run at once across the relay's lanes,
 * which the module sizes so that lanes + 2 × slots fits in the pool (no round can then wait on a
 * connection that only another waiting round would free).
 */
export class InProcessTransport implements EventTransport {
  readonly kind = 'in-process';
  private running = 0;
  private readonly queued: (() => void)[] = [];

  constructor(
    private readonly subscribers: EventSubscribers,
    private readonly delivery: EventDelivery,
    private readonly slots = 1,
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
    const settled = await Promise.allSettled(
      this.subscribers.of(event.name).map(async (subscriber) => {
        try {
          await this.inSlot(() => this.delivery.deliver(subscriber, event));
        } catch (err) {
          throw new Error(`${subscriber.consumer}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
        }
      }),
    );
    // The first failure in subscriber order names the event's error, as when they ran in turn.
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    return failed ? { status: 'failed', fault: 'event', error: failed.reason as Error } : { status: 'published' };
  }

  private async inSlot(fn: () => Promise<unknown>): Promise<void> {
    if (this.running >= this.slots) await new Promise<void>((resolve) => this.queued.push(resolve));
    else this.running += 1;
    try {
      await fn();
    } finally {
      // The slot passes straight to the next in line, or is given back.
      const next = this.queued.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
