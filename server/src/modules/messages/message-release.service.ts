import { Injectable } from '@nestjs/common';
import { type RequestContext } from '../../platform/context/request-context.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import { AuditService } from '../audit/audit.service.js';
import { ApprovalLedger } from './approvals/approval-ledger.js';
import { MessageLifecycle, type ScheduleInput } from './message-lifecycle.service.js';
import { MessageTransitions } from './message-transitions.js';
import type { MessageContent } from './message-content.js';
import { messageError } from './messages.errors.js';
import { MessagesRepository, type MessageRow } from './messages.repository.js';

export type HeldDecision = { action: 'publish' } | { action: 'withdraw' } | { action: 'reschedule'; schedule: ScheduleInput };

/**
 * What the publishing module may do to a message. Publishing decides whether and when a message
 * goes out (the gate, a resume); the message's status, hold and audit trail change only here,
 * through the lifecycle and the transitions. Every method runs in the caller's transaction.
 */
@Injectable()
export class MessageRelease {
  constructor(
    private readonly repo: MessagesRepository,
    private readonly ledger: ApprovalLedger,
    private readonly lifecycle: MessageLifecycle,
    private readonly transitions: MessageTransitions,
    private readonly audit: AuditService,
    private readonly events: EventOutbox,
  ) {}

  /** The message a due entry names, locked for the gate's transaction. */
  findLocked(id: string): Promise<MessageRow | undefined> {
    return this.repo.find(id, { lock: true });
  }

  /** Fell due while publishing is suspended above it: waits, scheduled, for a decision at resume. */
  async holdForSuspension(ctx: RequestContext, msg: MessageRow, suspension: { id: string; reason: string }): Promise<void> {
    await this.repo.update(msg.id, msg.revision, { held_by_suspension: suspension.id, held_reason: 'suspended' });
    await this.audit.record(ctx, { action: 'message.held', targetType: 'message', targetId: msg.id, after: { suspensionId: suspension.id, reason: suspension.reason } });
    await this.events.emit(ctx, 'messages.publishing_held', { messageId: msg.id, suspensionId: suspension.id }, { aggregateType: 'message', aggregateId: msg.id });
  }

  /** Fell due inside blackout days: unscheduled, approved, until someone sets a new time. */
  async holdForBlackout(ctx: RequestContext, msg: MessageRow, reason: string): Promise<void> {
    await this.lifecycle.holdForBlackout(ctx, msg, reason);
  }

  /** Fell due before its embargo lifted: due again when it lifts. */
  async waitForEmbargo(ctx: RequestContext, msg: MessageRow, until: Date): Promise<void> {
    await this.lifecycle.arm(ctx, msg, until);
    await this.audit.record(ctx, { action: 'message.embargo_wait', targetType: 'message', targetId: msg.id, after: { embargoUntil: until } });
  }

  /**
   * Cleared by the gate: publishing starts if the approval set is still complete for this
   * content (the message as it now stands is returned), otherwise the message goes back to
   * review (undefined).
   */
  async release(ctx: RequestContext, msg: MessageRow): Promise<MessageRow | undefined> {
    if (!(await this.ledger.isPublishable(msg))) {
      await this.transitions.apply(ctx, msg, 'reopen_review', { system: true, reason: 'approval set incomplete at publish time', patch: { schedule_entry_id: null, schedule_key: null, approved_at: null, approved_hash: null, review_round: msg.review_round + 1 } });
      return undefined;
    }
    return this.transitions.startPublishing(ctx, msg);
  }

  /** A message as it stands, unlocked: deliveries read its status and path without blocking its changes. */
  peek(id: string): Promise<MessageRow | undefined> {
    return this.repo.find(id);
  }

  /** The content of one version: what its deliveries send. */
  async contentOf(id: string, version: number): Promise<MessageContent | undefined> {
    return (await this.repo.findVersion(id, version))?.content;
  }

  /**
   * Every delivery of the version being published is settled: published, partially published or
   * failed. Locks the message, so concurrent settlements serialise and only the first moves it.
   */
  async settle(ctx: RequestContext, id: string, version: number, counts: { succeeded: number; failed: number }): Promise<boolean> {
    const msg = await this.repo.find(id, { lock: true });
    if (!msg || msg.status !== 'publishing' || msg.version !== version) return false;
    const name = counts.failed === 0 ? 'mark_published' : counts.succeeded === 0 ? 'mark_failed' : 'mark_partially_published';
    const reason = counts.failed === 0 ? null : `${counts.failed} of ${counts.succeeded + counts.failed} deliveries failed`;
    await this.transitions.apply(ctx, msg, name, { system: true, reason });
    const ref = { aggregateType: 'message', aggregateId: id };
    if (name === 'mark_published') await this.events.emit(ctx, 'messages.published', { messageId: id, version, succeeded: counts.succeeded }, ref);
    else if (name === 'mark_failed') await this.events.emit(ctx, 'messages.publish_failed', { messageId: id, version, failed: counts.failed }, ref);
    else await this.events.emit(ctx, 'messages.partially_published', { messageId: id, version, ...counts }, ref);
    return true;
  }

  /** A person retries a failed delivery: the message is publishing again (for that channel). */
  async reopenForDelivery(ctx: RequestContext, id: string): Promise<MessageRow> {
    const msg = await this.repo.find(id, { lock: true });
    if (!msg) throw messageError('message_not_found', 'No such message');
    if (msg.status === 'publishing') return msg;
    return this.transitions.apply(ctx, msg, 'retry_delivery', { reason: 'a delivery is retried' });
  }

  /** Recorded on the message: who took it down and why (the deliveries carry the per-network answers). */
  async recordRetraction(ctx: RequestContext, id: string, reason: string, deliveries: number): Promise<void> {
    await this.audit.record(ctx, { action: 'message.retracted', targetType: 'message', targetId: id, after: { reason, deliveries } });
    await this.events.emit(ctx, 'messages.retracted', { messageId: id, reason, deliveries }, { aggregateType: 'message', aggregateId: id });
  }

  /** Messages a suspension holds; `lock` takes them in id order, as a resume must. */
  heldBy(suspensionId: string, opts: { lock?: boolean } = {}) {
    return this.repo.heldBy(suspensionId, opts);
  }

  /** Messages of an organisation's subtree already scheduled into [from, to). */
  scheduledWithin(orgId: string, from: Date, to: Date) {
    return this.repo.scheduledWithin(orgId, from, to);
  }

  /** A resume's decision for one held message: the hold is lifted, then publish, reschedule or withdraw. */
  async decideHeld(ctx: RequestContext, id: string, d: HeldDecision, suspensionReason: string): Promise<void> {
    const msg = await this.lifecycle.load(id);
    const cleared = (await this.repo.update(msg.id, msg.revision, { held_by_suspension: null, held_reason: null }))!;
    if (d.action === 'withdraw') await this.transitions.apply(ctx, cleared, 'withdraw', { reason: `withdrawn at resume: ${suspensionReason}`, patch: { schedule_entry_id: null, schedule_key: null } });
    else if (d.action === 'publish') await this.lifecycle.arm(ctx, cleared, new Date());
    else await this.lifecycle.setSchedule(ctx, cleared.id, cleared.revision, d.schedule);
  }
}
