import { Inject, Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context.js';
import { Transactor } from '../../platform/database/transactor.js';
import type { EventEnvelope } from '../../platform/events/events.types.js';
import { OnEvent } from '../../platform/events/on-event.decorator.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import { MessageRelease } from '../messages/message-release.service.js';
import '../messages/messages.events.js';
import { DeliveriesRepository, type NewDelivery } from './deliveries.repository.js';
import { deliveryKey } from './delivery-input.js';
import { DeliverySettlement } from './delivery-settlement.js';
import { DeliveryTransitions } from './delivery-transitions.js';

/** One release of a message by the gate: the version whose deliveries go out. */
export interface Release {
  orgId: string;
  messageId: string;
  version: number;
  contentHash: string;
}

/**
 * Turns a message the gate let out into deliveries: one per (version, target channel), created
 * in the gate's own transaction with one job each, enqueued after its commit (decision 0035:
 * planning used to wait for the outbox to carry `messages.publish_requested` here, behind every
 * other event of a busy server). A message retried as a whole (`retry`) comes back through the
 * gate: its failed deliveries go again, the ones already out stay out.
 */
@Injectable()
export class DeliveryPlanner {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: DeliveriesRepository,
    private readonly messages: MessageRelease,
    private readonly moves: DeliveryTransitions,
    private readonly settlement: DeliverySettlement,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** In the gate's transaction, right after the message started publishing. */
  async planRelease(ctx: RequestContext, r: Release): Promise<void> {
    const targets = await this.targetsOf(r);
    if (targets.length === 0) return;
    const rows = await this.repo.insertMany(targets.map((channelId) => this.newDelivery(r, channelId)));
    let queued = 0;
    for (const d of rows) {
      if (d.state === 'pending' && d.dispatch === 0) {
        await this.moves.requeue(d, null);
        queued += 1;
      } else if (d.state === 'failed') {
        // An unknown outcome stays marked: the next run looks for the post before it sends again.
        const again = await this.moves.move(ctx, d, 'pending', { attempts: 0, failure_class: d.failure_class === 'unknown_outcome' ? 'unknown_outcome' : null, failure_reason: null }, { reason: 'the message was retried' });
        await this.moves.requeue(again, null);
        queued += 1;
      }
    }
    if (queued === 0) this.tx.afterCommit(() => this.settlement.settle({ message_id: r.messageId, version: r.version, org_id: r.orgId }));
  }

  /**
   * The event the release also announces. The gate has planned the release in the event's own
   * transaction, so this finds every delivery there and does nothing; it creates and queues only
   * deliveries that are missing (an event a server before decision 0035 emitted and did not
   * plan). It never re-sends a failed delivery: the event arrives at least once, and late, so a
   * failure it finds may be this very release's.
   */
  @OnEvent('messages.publish_requested', 'publishing.plan-deliveries')
  async plan(event: EventEnvelope<'messages.publish_requested'>): Promise<void> {
    const r = { orgId: event.orgId, messageId: event.payload.messageId, version: event.payload.version, contentHash: event.payload.contentHash };
    const targets = await this.targetsOf(r);
    if (targets.length === 0) return;
    const rows = await this.repo.insertMany(targets.map((channelId) => this.newDelivery(r, channelId)));
    const fresh = rows.filter((d) => d.state === 'pending' && d.dispatch === 0);
    for (const d of fresh) await this.moves.requeue(d, null);
    if (fresh.length === 0) this.tx.afterCommit(() => this.settlement.settle({ message_id: r.messageId, version: r.version, org_id: r.orgId }));
  }

  private async targetsOf(r: Release): Promise<string[]> {
    const content = await this.messages.contentOf(r.messageId, r.version);
    const targets = content?.targets ?? [];
    // Content from before targets names networks, not accounts: nothing to deliver to.
    if (targets.length === 0) this.log.warn({ messageId: r.messageId, version: r.version }, 'publishing: message has no target channels; nothing is delivered');
    return targets;
  }

  private newDelivery(r: Release, channelId: string): NewDelivery {
    return { orgId: r.orgId, messageId: r.messageId, version: r.version, contentHash: r.contentHash, channelId, network: null, idempotencyKey: deliveryKey(r.messageId, r.version, channelId) };
  }

  /**
   * Withdrawn while publishing: what has not gone out is cancelled; a call already out finishes.
   * One whose earlier call may have landed is not cancelled blind: it goes to the runner, which
   * reconciles (a post found is recorded, and can be retracted) and cancels only if none is.
   */
  @OnEvent('messages.status_changed', 'publishing.cancel-withdrawn')
  async cancelWithdrawn(event: EventEnvelope<'messages.status_changed'>, ctx: RequestContext): Promise<void> {
    if (event.payload.to !== 'withdrawn' || event.payload.from !== 'publishing') return;
    for (const d of await this.repo.forMessage(event.payload.messageId)) {
      const mayBeOut = d.state === 'unknown' || d.failure_class === 'unknown_outcome';
      if ((d.state === 'pending' || d.state === 'held') && !mayBeOut) await this.moves.move(ctx, d, 'cancelled', { failure_class: 'cancelled', failure_reason: 'The message was withdrawn before this went out', next_attempt_at: null });
      else if (d.state === 'held' && mayBeOut) await this.moves.requeue(await this.moves.move(ctx, d, 'pending', { held_by_suspension: null }, { reason: 'withdrawn: reconcile first' }), null);
      else if (d.state === 'unknown' || (d.state === 'pending' && mayBeOut)) await this.moves.requeue(d, null);
    }
  }

  /** A resume: deliveries held by the suspension go again (each re-checks the gate when it runs). */
  @OnEvent('messages.publishing_resumed', 'publishing.release-held')
  async releaseHeld(event: EventEnvelope<'messages.publishing_resumed'>, ctx: RequestContext): Promise<void> {
    for (const d of await this.repo.heldBelow(event.payload.organisationId)) {
      const again = await this.moves.move(ctx, d, 'pending', { held_by_suspension: null }, { reason: 'publishing resumed' });
      await this.moves.requeue(again, null);
    }
  }
}
