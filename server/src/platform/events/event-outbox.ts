import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../context/request-context.js';
import type { AggregateRef, EventName, GudduEvents } from './events.types.js';
import { OutboxRepository } from './outbox.repository.js';

/**
 * How a service emits an event: a row in the outbox, in the current transaction, so the state
 * change and its events commit (or roll back) together. Nothing is sent from here; the relay
 * publishes after commit, and subscribers never run inside the emitting request.
 */
@Injectable()
export class EventOutbox {
  constructor(private readonly repo: OutboxRepository) {}

  async emit<N extends EventName>(ctx: RequestContext, name: N, payload: GudduEvents[N], aggregate: AggregateRef & { orgId?: string }): Promise<string> {
    const orgId = aggregate.orgId ?? ctx.orgId;
    if (!orgId) throw new Error(`event ${name}: no organisation`);
    const id = randomUUID();
    await this.repo.append({
      id,
      name,
      orgId,
      aggregateType: aggregate.aggregateType,
      aggregateId: aggregate.aggregateId,
      correlationId: ctx.correlationId,
      payload,
    });
    return id;
  }
}
