import { Injectable } from '@nestjs/common';
import { Transactor } from '../database/transactor.js';
import { systemContext } from '../context/request-context.js';
import type { EventEnvelope } from './events.types.js';
import type { Subscriber } from './event-subscribers.js';
import { OutboxRepository } from './outbox.repository.js';
import { ParkedEventsRepository, type Claim } from './parked-events.repository.js';

export type DeliveryOutcome = 'processed' | 'duplicate' | 'parked';

/**
 * Runs one subscriber on one event, at most once per (consumer, event id) whatever the number of
 * deliveries: the dedup row and the handler's effect share one transaction, so either both
 * commit or the next delivery tries again. Both transports (in-process and NATS) go through here.
 *
 * An event whose aggregate has a dead letter for this consumer (decision 0013) is parked behind
 * it instead of handled, so the subscriber sees each aggregate in order; the parked-event
 * redelivery hands it over once what comes before it is done.
 */
@Injectable()
export class EventDelivery {
  constructor(
    private readonly tx: Transactor,
    private readonly outbox: OutboxRepository,
    private readonly parked: ParkedEventsRepository,
  ) {}

  async deliver(subscriber: Subscriber, event: EventEnvelope): Promise<DeliveryOutcome> {
    // Set inside the transaction; a holder object, as TypeScript does not follow closures.
    const seen: { claim: Claim } = { claim: 'duplicate' };
    const result = await this.tx.systemThenTenant(
      'event delivery: the dedup and dead-letter tables are system tables',
      async () => {
        seen.claim = await this.parked.claimOrPark(subscriber.consumer, event);
        return seen.claim === 'claimed';
      },
      { orgId: event.orgId },
      () => subscriber.handle(event, contextOf(subscriber, event)),
    );
    return result.ran ? 'processed' : seen.claim === 'parked' ? 'parked' : 'duplicate';
  }

  /** The subscriber gave up on the event after `attempts` deliveries: it becomes a dead letter. */
  async deadLetter(subscriber: Subscriber, event: EventEnvelope, attempts: number, error: Error): Promise<void> {
    await this.tx.withTenantBypass('event delivery: a subscriber dead-letters an event', () =>
      this.parked.deadLetter(subscriber.consumer, event, attempts, error.message || String(error)),
    );
  }

  /**
   * Delivers a parked (or redriven) event: the row leaves the table in the transaction of the
   * handler's effect, so a failure leaves it in place for the next attempt. 'skipped' when
   * another process took it or it is no longer due.
   */
  async redeliver(subscriber: Subscriber, head: { id: string; orgId: string }): Promise<DeliveryOutcome | 'skipped'> {
    let outcome: DeliveryOutcome | 'skipped' = 'skipped';
    let event: EventEnvelope | undefined;
    await this.tx.systemThenTenant(
      'event delivery: a parked event leaves the dead-letter table with its effect',
      async () => {
        const row = await this.parked.lockDue(head.id);
        if (!row) return false;
        event = row.event;
        await this.parked.remove(row.id);
        const claimed = await this.outbox.claimConsumption(subscriber.consumer, row.event.id);
        outcome = claimed ? 'processed' : 'duplicate';
        return claimed;
      },
      { orgId: head.orgId },
      () => subscriber.handle(event!, contextOf(subscriber, event!)),
    );
    return outcome;
  }
}

const contextOf = (subscriber: Subscriber, event: EventEnvelope) =>
  systemContext(`event:${subscriber.consumer}`, event.orgId, event.correlationId ?? `event:${event.id}`);
