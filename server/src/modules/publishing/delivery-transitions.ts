import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import { Transactor } from '../../platform/database/transactor.js';
import { JobQueue } from '../../platform/jobs/job-queue.js';
import { AuditService } from '../audit/audit.service.js';
import { DeliveriesRepository, type DeliveryPatch, type DeliveryRow } from './deliveries.repository.js';
import { assertDeliveryTransition, DeliveryTransitionError, type DeliveryState } from './delivery-state.js';
import './deliveries.events.js';
import './deliveries.jobs.js';

/**
 * The one way a delivery changes state: checks the transition (delivery-state.ts), writes it,
 * one audit record and the event a subscriber needs, in the caller's transaction. Re-queueing
 * bumps the dispatch number and enqueues after the commit, so a stale job finds another number
 * and leaves.
 */
@Injectable()
export class DeliveryTransitions {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: DeliveriesRepository,
    private readonly audit: AuditService,
    private readonly events: EventOutbox,
    private readonly queue: JobQueue,
  ) {}

  async move(ctx: RequestContext, d: DeliveryRow, to: DeliveryState, patch: DeliveryPatch = {}, note?: Record<string, unknown>): Promise<DeliveryRow> {
    assertDeliveryTransition(d.state, to);
    // Only from the state it was read in: a withdraw or a second run that got there first wins,
    // and this run fails (its job retries and finds the delivery as it now is).
    const next = await this.repo.move(d.id, [d.state], { ...patch, state: to });
    if (!next) throw new DeliveryTransitionError(`delivery ${d.id} changed while it was being moved from ${d.state} to ${to}`);
    await this.audit.record(ctx, {
      action: `delivery.${to}`,
      orgId: d.org_id,
      targetType: 'delivery',
      targetId: d.id,
      before: { state: d.state },
      after: { state: to, messageId: d.message_id, channelId: d.channel_id, network: next.network, attempts: next.attempts, externalId: next.external_id, failureClass: next.failure_class, reason: next.failure_reason, ...note },
    });
    await this.emitFor(ctx, next);
    return next;
  }

  /** Back in the queue at `at` (now when absent), as a new dispatch. */
  async requeue(d: DeliveryRow, at: Date | null, patch: DeliveryPatch = {}): Promise<DeliveryRow> {
    const next = await this.repo.update(d.id, { ...patch, dispatch: d.dispatch + 1, next_attempt_at: at });
    this.enqueueAfterCommit(next);
    return next;
  }

  enqueueAfterCommit(d: DeliveryRow): void {
    const delayMs = d.next_attempt_at ? Math.max(0, d.next_attempt_at.getTime() - Date.now()) : 0;
    this.tx.afterCommit(() =>
      this.queue.enqueue('publishing.deliver', { deliveryId: d.id, dispatch: d.dispatch, orgId: d.org_id, correlationId: `delivery:${d.id}`, idempotencyKey: `${d.id}.d${d.dispatch}` }, delayMs > 0 ? { delayMs } : {}),
    );
  }

  private async emitFor(ctx: RequestContext, d: DeliveryRow): Promise<void> {
    const ref = { aggregateType: 'message', aggregateId: d.message_id };
    const base = { deliveryId: d.id, messageId: d.message_id, channelId: d.channel_id };
    if (d.state === 'succeeded') await this.events.emit(ctx, 'publishing.delivery_succeeded', { ...base, network: d.network ?? '', externalId: d.external_id ?? '', url: d.external_url }, ref);
    else if (d.state === 'failed') await this.events.emit(ctx, 'publishing.delivery_failed', { ...base, network: d.network ?? '', failureClass: d.failure_class ?? 'internal', reason: d.failure_reason ?? '' }, ref);
    else if (d.state === 'held') await this.events.emit(ctx, 'publishing.delivery_held', { ...base, suspensionId: d.held_by_suspension ?? '' }, ref);
    else if (d.state === 'retracted' || d.state === 'retract_failed') await this.events.emit(ctx, 'publishing.delivery_retracted', { ...base, network: d.network ?? '', state: d.state, reason: d.failure_reason ?? d.retract_reason ?? '' }, ref);
  }
}
