import { Inject, Injectable } from '@nestjs/common';
import { userOf, type RequestContext } from '../../platform/context/request-context.js';
import { platformError } from '../../platform/errors/app-error.js';
import { SchedulerService } from '../../platform/scheduler/scheduler.service.js';
import { AuditService } from '../audit/audit.service.js';
import { PublishingSchedule, type DueMessage } from '../publishing/publishing-schedule.service.js';
import { PublishingValidation } from '../publishing/publishing-validation.service.js';
import { ApprovalLedger } from './approvals/approval-ledger.js';
import { DEFAULT_POLICY, type ApprovalPolicy } from './approvals/approval-policy.js';
import { ApprovalsRepository } from './approvals/approvals.repository.js';
import { MEDIA_ATTACHMENTS, type MediaAttachmentsPort } from './media-attachments.port.js';
import { type TransitionName } from './message-status.js';
import { MessageTransitions } from './message-transitions.js';
import { messageError } from './messages.errors.js';
import { MessagesRepository, type MessageRow } from './messages.repository.js';
import './messages.jobs.js';
import { ScheduleHorizon } from './schedule-horizon.js';
import { channelProblems } from './channel-checks.js';
import { languagesOf, mediaOf, renditionPicks } from './message-content.js';
import { instantFromWallTime, isIanaZone, wallTimeOf } from '../../platform/time/wall-time.js';

export type ScheduleInput = { local: string; zone: string } | { at: Date; zone: string };

const DAY_MS = 86_400_000;

/**
 * Moves messages through their lifecycle (message-status.ts): submit for review, schedule and
 * unschedule, withdraw, archive, and what follows a complete approval (on time, or late per
 * policy). The entry that makes a message due is publishing's (PublishingSchedule); it is armed
 * and disarmed from here, in the caller's transaction.
 */
@Injectable()
export class MessageLifecycle {
  constructor(
    private readonly repo: MessagesRepository,
    private readonly approvals: ApprovalsRepository,
    private readonly ledger: ApprovalLedger,
    private readonly transitions: MessageTransitions,
    private readonly publishing: PublishingSchedule,
    private readonly scheduler: SchedulerService,
    private readonly audit: AuditService,
    private readonly horizon: ScheduleHorizon,
    @Inject(MEDIA_ATTACHMENTS) private readonly media: MediaAttachmentsPort,
    private readonly validation: PublishingValidation,
  ) {}

  async load(id: string, revision?: number): Promise<MessageRow> {
    const msg = await this.repo.find(id, { lock: true });
    if (!msg) throw messageError('message_not_found', 'No such message');
    if (revision !== undefined && msg.revision !== revision) throw messageError('stale_revision', `The message is at revision ${msg.revision}, not ${revision}; reload it`, { current: msg.revision });
    return msg;
  }

  /** Into review under the policy in force now (copied onto the message for this round). */
  async submit(ctx: RequestContext, id: string, revision?: number): Promise<MessageRow> {
    const msg = await this.load(id, revision);
    const current = await this.repo.findVersion(id, msg.version);
    const problems = current ? channelProblems(current.content) : [];
    if (problems.length > 0) throw messageError('channel_text_too_long', 'Some text is too long for its network', { problems });
    if (current) {
      // An asset can expire or be deleted after it was attached; then every image needs its alt text.
      await this.media.assertAttachable(mediaOf(current.content), { orgId: msg.org_id, orgPath: msg.org_path });
      await this.media.assertRenditions(renditionPicks(current.content));
      await this.media.assertAltText(mediaOf(current.content), languagesOf(current.content));
      const refused = await this.validation.check(current.content);
      if (refused.length > 0) throw messageError('content_not_publishable', `${refused.length === 1 ? 'A network' : 'Networks'} would refuse this content: ${refused.map((p) => p.message).join('; ')}`, { problems: refused });
    }
    const policy: ApprovalPolicy = (await this.approvals.effectivePolicy(msg.org_path))?.policy ?? DEFAULT_POLICY;
    const submitted = await this.transitions.apply(ctx, msg, 'submit', {
      patch: {
        review_policy: JSON.stringify(policy),
        review_round: msg.review_round + 1,
        submitted_by: userOf(ctx).id,
        submitted_at: new Date(),
        approved_at: null,
        approved_hash: null,
        held_reason: null,
      },
    });
    if (policy.stages.length === 0) return this.approve(ctx, submitted, true);
    await this.armSla(ctx, submitted, policy, 0);
    return submitted;
  }

  /** The approval set is complete: approved, then scheduled if it has a time (late per policy). */
  async approve(ctx: RequestContext, msg: MessageRow, system = false): Promise<MessageRow> {
    const approved = await this.transitions.apply(ctx, msg, 'approve', { system, patch: { approved_at: new Date(), approved_hash: msg.content_hash } });
    if (!approved.scheduled_at) return approved;
    if (approved.scheduled_at.getTime() > Date.now()) {
      // One question to publishing: blackout days declared after the time was chosen take
      // nothing scheduled into them, so it arms the entry only if none covers the time.
      const due = await this.publishing.armUnlessBlackout(this.dueOf(approved), approved.org_path, approved.scheduled_at, ctx.correlationId);
      if ('blackout' in due) return this.holdForBlackout(ctx, approved, due.blackout.reason);
      return this.transitions.apply(ctx, approved, 'schedule', { system: true, patch: { schedule_entry_id: due.armed.entryId, schedule_key: due.armed.key } });
    }
    const policy = this.ledger.policyOf(approved) ?? DEFAULT_POLICY;
    const late = policy.lateApproval;
    if (late.mode === 'publish_now') return this.arm(ctx, approved, new Date(), 'schedule', true, 'late approval: published at once per policy');
    if (late.mode === 'expire' && Date.now() - approved.scheduled_at.getTime() > late.afterDays * DAY_MS) {
      return this.transitions.apply(ctx, approved, 'expire', { system: true, reason: `approved more than ${late.afterDays} days after its time` });
    }
    const held = (await this.repo.update(approved.id, approved.revision, { held_reason: 'late_approval', status_reason: `approved after its time; waiting for a new time (late approval: ${late.mode})` }))!;
    await this.audit.record(ctx, { action: 'message.held', targetType: 'message', targetId: held.id, after: { reason: 'late_approval', policy: late } });
    if (late.mode === 'expire') {
      const at = new Date(approved.scheduled_at.getTime() + late.afterDays * DAY_MS);
      await this.scheduler.schedule(at, 'messages.expire', this.envelope(ctx, held, `expire:${held.id}:${held.review_round}`, { reviewRound: held.review_round }), `message-expire:${held.id}:${held.review_round}`);
    }
    return held;
  }

  /**
   * Sets (or clears, with null) when the message goes out. Checked against blackout days and the
   * embargo; an approved message becomes scheduled, a scheduled one moves.
   */
  async setSchedule(ctx: RequestContext, id: string, revision: number, input: ScheduleInput | null): Promise<MessageRow> {
    const msg = await this.load(id, revision);
    if (input === null) {
      if (msg.status === 'scheduled') return this.unschedule(ctx, msg, { clear: true });
      // A late approval stays late (its expiry still applies) until it is given a new time.
      const heldReason = msg.held_reason === 'late_approval' ? msg.held_reason : null;
      return this.patch(ctx, msg, { scheduled_at: null, schedule_local: null, schedule_zone: null, held_reason: heldReason }, 'message.schedule_cleared');
    }
    const { at, local, zone } = this.resolve(input);
    if (at.getTime() <= Date.now()) throw messageError('schedule_in_past', 'That time has already passed');
    this.horizon.assertSchedule(at);
    await this.checkSlot(msg, at);
    const patch = { scheduled_at: at, schedule_local: local, schedule_zone: zone, held_reason: null, held_by_suspension: null };
    if (msg.status === 'approved') {
      const ready = (await this.repo.update(msg.id, msg.revision, patch))!;
      return this.arm(ctx, ready, at, 'schedule');
    }
    if (msg.status === 'scheduled') {
      // Moving what is already due to go out is a publishing decision, like scheduling it.
      if (!ctx.permissions.has('content.publish') && ctx.actor?.type === 'user') throw platformError('forbidden', 'Your role cannot move a scheduled message');
      const moved = await this.patch(ctx, msg, patch, 'message.rescheduled');
      return this.arm(ctx, moved, at);
    }
    if (!['draft', 'in_review', 'changes_requested'].includes(msg.status)) throw messageError('message_not_editable', `A ${msg.status} message cannot be scheduled`);
    return this.patch(ctx, msg, patch, 'message.schedule_set');
  }

  async unschedule(ctx: RequestContext, msg: MessageRow, opts: { clear?: boolean } = {}): Promise<MessageRow> {
    await this.disarm(msg);
    return this.transitions.apply(ctx, msg, 'unschedule', {
      patch: { schedule_entry_id: null, schedule_key: null, held_by_suspension: null, ...(opts.clear ? { scheduled_at: null, schedule_local: null, schedule_zone: null } : {}) },
    });
  }

  /** withdraw, archive, reopen, retry: transitions with no more to them than the status and the scheduler. */
  async simple(ctx: RequestContext, id: string, name: Extract<TransitionName, 'withdraw' | 'archive' | 'reopen' | 'unschedule' | 'retry'>, revision?: number, reason?: string): Promise<MessageRow> {
    const msg = await this.load(id, revision);
    if (name === 'unschedule') return this.unschedule(ctx, msg);
    if (name === 'retry') {
      if (!(await this.ledger.isPublishable(msg))) throw messageError('approval_incomplete', 'This content has no complete approval');
      const next = await this.transitions.apply(ctx, msg, 'retry', { patch: { held_reason: null } });
      return this.arm(ctx, next, new Date());
    }
    if (msg.status === 'scheduled') await this.disarm(msg);
    return this.transitions.apply(ctx, msg, name, { reason: reason ?? null, patch: { schedule_entry_id: null, schedule_key: null, held_by_suspension: null, held_reason: null } });
  }

  /** Approved, but its time falls in blackout days: it waits, approved, for a new time. */
  async holdForBlackout(ctx: RequestContext, msg: MessageRow, reason: string): Promise<MessageRow> {
    const patch = { held_reason: 'blackout' as const, schedule_entry_id: null, schedule_key: null, status_reason: `its time falls in blackout days (${reason}); set a new time` };
    if (msg.status === 'scheduled') {
      await this.disarm(msg);
      return this.transitions.apply(ctx, msg, 'unschedule', { system: true, reason: patch.status_reason, patch });
    }
    const held = (await this.repo.update(msg.id, msg.revision, patch))!;
    await this.audit.record(ctx, { action: 'message.held', targetType: 'message', targetId: msg.id, after: { reason: 'blackout', blackout: reason } });
    return held;
  }

  /** Content changed after approval: back to review, and no longer due. */
  async reopenAfterEdit(ctx: RequestContext, msg: MessageRow): Promise<MessageRow> {
    if (msg.status === 'scheduled') await this.disarm(msg);
    const reopened = await this.transitions.apply(ctx, msg, 'reopen_review', {
      reason: 'content changed after approval',
      patch: { schedule_entry_id: null, schedule_key: null, approved_at: null, approved_hash: null, review_round: msg.review_round + 1, held_by_suspension: null, held_reason: null },
    });
    const policy = this.ledger.policyOf(reopened);
    if (policy) await this.armSla(ctx, reopened, policy, 0);
    return reopened;
  }

  /** A scheduled message's embargo moved: its time must still be after it. */
  async checkEmbargo(msg: MessageRow): Promise<void> {
    if (msg.scheduled_at && msg.embargo_until && msg.scheduled_at < msg.embargo_until) {
      throw messageError('embargoed', `The message is embargoed until ${msg.embargo_until.toISOString()}, after its scheduled time`);
    }
  }

  /**
   * Has publishing arm (or move) the entry that makes the message due at `at`, and keeps its id
   * and key on the message; optionally a transition with it.
   */
  async arm(ctx: RequestContext, msg: MessageRow, at: Date, transition?: 'schedule', system = false, reason?: string): Promise<MessageRow> {
    const { entryId, key } = await this.publishing.armDue(this.dueOf(msg), at, ctx.correlationId);
    const patch = { schedule_entry_id: entryId, schedule_key: key };
    if (transition) return this.transitions.apply(ctx, msg, transition, { system, reason: reason ?? null, patch });
    return (await this.repo.update(msg.id, msg.revision, patch))!;
  }

  async armSla(ctx: RequestContext, msg: MessageRow, policy: ApprovalPolicy, stage: number): Promise<void> {
    const hours = policy.stages[stage]?.slaHours;
    if (!hours) return;
    const key = `message-sla:${msg.id}:${msg.review_round}:${stage}`;
    await this.scheduler.schedule(new Date(Date.now() + hours * 3_600_000), 'messages.approval_sla', this.envelope(ctx, msg, key, { reviewRound: msg.review_round, stage }), key);
  }

  resolve(input: ScheduleInput): { at: Date; local: string; zone: string } {
    if (!isIanaZone(input.zone)) throw messageError('invalid_zone', `"${input.zone}" is not an IANA time zone`);
    if ('local' in input) {
      try {
        return { at: instantFromWallTime(input.local, input.zone).instant, local: input.local, zone: input.zone };
      } catch (err) {
        // 2030-02-30T09:00, 24:00, 23:60: well formed but no such time.
        if (err instanceof RangeError) throw messageError('invalid_local_time', `${input.local} is not a time that exists`);
        throw err;
      }
    }
    return { at: input.at, local: wallTimeOf(input.at, input.zone), zone: input.zone };
  }

  /** A time is usable if no blackout of the organisation (or above) covers it and the embargo has lifted by then. */
  async checkSlot(msg: MessageRow, at: Date): Promise<void> {
    const blackout = await this.publishing.blackoutAt(msg.org_path, at);
    if (blackout) throw messageError('schedule_in_blackout', `${blackout.starts_on}–${blackout.ends_on} (${blackout.zone}) is a blackout: ${blackout.reason}`, { blackoutId: blackout.id });
    if (msg.embargo_until && at < msg.embargo_until) throw messageError('embargoed', `The message is embargoed until ${msg.embargo_until.toISOString()}`);
  }

  private async patch(ctx: RequestContext, msg: MessageRow, patch: Parameters<MessagesRepository['update']>[2], action: string): Promise<MessageRow> {
    const updated = await this.repo.update(msg.id, msg.revision, patch);
    if (!updated) throw messageError('stale_revision', 'The message changed meanwhile; reload it');
    await this.audit.record(ctx, {
      action,
      targetType: 'message',
      targetId: msg.id,
      before: { scheduledAt: msg.scheduled_at, zone: msg.schedule_zone },
      after: { scheduledAt: updated.scheduled_at, local: updated.schedule_local, zone: updated.schedule_zone },
    });
    return updated;
  }

  private dueOf(msg: MessageRow): DueMessage {
    return { id: msg.id, orgId: msg.org_id, revision: msg.revision, contentHash: msg.content_hash, entryId: msg.schedule_entry_id, key: msg.schedule_key };
  }

  private async disarm(msg: MessageRow): Promise<void> {
    await this.publishing.disarmDue(msg.schedule_entry_id);
  }

  private envelope<T extends object>(ctx: RequestContext, msg: MessageRow, idempotencyKey: string, extra: T) {
    // The entry belongs to the message's organisation, so that it and every organisation above
    // it can move or cancel it (the scheduled_jobs rules of 0003 and 0005).
    return { messageId: msg.id, orgId: msg.org_id, correlationId: ctx.correlationId, idempotencyKey, ...extra };
  }
}
