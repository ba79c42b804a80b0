import { type Transactor } from '../database/transactor.js';
import type { Logger } from '../logging/logger.js';
import { type EventDelivery } from './event-delivery.js';
import { type EventSubscribers } from './event-subscribers.js';
import { type RetryPolicy } from './outbox.repository.js';
import { type ParkedEventsRepository } from './parked-events.repository.js';

const POLL_MS = 1000;
const HEADS_PER_ROUND = 50;

/**
 * Delivers the events subscribers parked (decision 0013): a redriven dead letter, then the events
 * of its aggregate parked behind it, in order, straight to the subscriber (the stream has moved
 * on: they were acknowledged when parked). Runs in every process that does background work; any
 * number may run, each row is locked by the one delivering it. A failure waits with the outbox's
 * backoff and, after the set attempts, is a dead letter again.
 */
export class ParkedEventRedelivery {
  private stopping = false;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly unknownConsumers = new Set<string>();

  constructor(
    private readonly tx: Transactor,
    private readonly repo: ParkedEventsRepository,
    private readonly subscribers: EventSubscribers,
    private readonly delivery: EventDelivery,
    private readonly log: Logger,
    private readonly retry: RetryPolicy,
  ) {}

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
  }

  /** Delivers what is due now; the number of events handed over (or found already processed). */
  async round(): Promise<number> {
    const heads = await this.tx.withTenantBypass('parked events of every tenant', () => this.repo.dueHeads(HEADS_PER_ROUND));
    let delivered = 0;
    for (const head of heads) {
      if (this.stopping) break;
      const subscriber = this.subscribers.named(head.consumer);
      if (!subscriber) {
        // A consumer renamed or removed: its rows wait for an admin (discard) or its return.
        if (!this.unknownConsumers.has(head.consumer)) this.log.warn({ consumer: head.consumer }, 'parked events of a consumer this process does not have');
        this.unknownConsumers.add(head.consumer);
        continue;
      }
      try {
        if ((await this.delivery.redeliver(subscriber, head)) !== 'skipped') delivered += 1;
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        const { attempts, deadLettered } = await this.tx.withTenantBypass('a parked event failed again', () => this.repo.markFailed(head.id, error.message, this.retry));
        const about = { err: error, consumer: head.consumer, parkedId: head.id, orgId: head.orgId, attempts };
        if (deadLettered) this.log.error(about, 'parked event dead-lettered again: its subscriber keeps failing');
        else this.log.warn(about, 'parked event delivery failed; will retry');
      }
    }
    return delivered;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let delivered = 0;
      try {
        delivered = await this.round();
      } catch (err) {
        this.log.warn({ err }, 'parked-event redelivery round failed; retrying');
      }
      if (delivered > 0 || this.stopping) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
