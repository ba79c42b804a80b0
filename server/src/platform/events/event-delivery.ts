import { Injectable } from '@nestjs/common';
import { Transactor } from '../database/transactor.js';
import { systemContext } from '../context/request-context.js';
import type { EventEnvelope } from './events.types.js';
import type { Subscriber } from './event-subscribers.js';
import { OutboxRepository } from './outbox.repository.js';

export type DeliveryOutcome = 'processed' | 'duplicate';

/**
 * Runs one subscriber on one event, at most once per (consumer, event id) whatever the number of
 * deliveries: the dedup row and the handler's effect share one transaction, so either both
 * commit or the next delivery tries again. Both transports (in-process and NATS) go through here.
 */
@Injectable()
export class EventDelivery {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: OutboxRepository,
  ) {}

  async deliver(subscriber: Subscriber, event: EventEnvelope): Promise<DeliveryOutcome> {
    const ctx = systemContext(`event:${subscriber.consumer}`, event.orgId, event.correlationId ?? `event:${event.id}`);
    const result = await this.tx.systemThenTenant(
      'event delivery: the dedup table is a system table',
      () => this.repo.claimConsumption(subscriber.consumer, event.id),
      { orgId: event.orgId },
      () => subscriber.handle(event, ctx),
    );
    return result.ran ? 'processed' : 'duplicate';
  }
}
