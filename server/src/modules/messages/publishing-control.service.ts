import { Injectable } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import { Transactor } from '../../platform/database/transactor.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import { orgOf, systemContext, userOf, type RequestContext } from '../../platform/context/request-context.js';
import { JobHandler } from '../../platform/jobs/job-handler.decorator.js';
import type { GudduJobs } from '../../platform/jobs/jobs.types.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import { AuditService } from '../audit/audit.service.js';
import { ApprovalLedger } from './approval-ledger.js';
import { MessageLifecycle, type ScheduleInput } from './message-lifecycle.service.js';
import { MessageTransitions } from './message-transitions.js';
import { messageError } from './messages.errors.js';
import { MessagesRepository } from './messages.repository.js';
import { PublishingControlRepository, type SuspensionRow } from './publishing-control.repository.js';
import { isIanaZone, zonedRange } from './wall-time.js';

export type ResumeDecision = { messageId: string; action: 'publish' } | { messageId: string; action: 'withdraw' } | { messageId: string; action: 'reschedule'; schedule: ScheduleInput };

/**
 * Crisis suspend and resume, blackout days, and the publishing gate every due message passes.
 *
 * The gate and a suspend serialise on advisory locks per organisation: the gate takes a shared
 * lock for each organisation of the message's path and holds it to its commit; a suspend takes
 * its organisation's lock exclusively before recording itself. So a suspend commits only after every publish
 * already cleared has committed, and every gate that runs after it sees it: from the commit of
 * the suspend, nothing below it starts publishing.
 */
@Injectable()
export class PublishingControlService {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: PublishingControlRepository,
    private readonly messages: MessagesRepository,
    private readonly ledger: ApprovalLedger,
    private readonly lifecycle: MessageLifecycle,
    private readonly transitions: MessageTransitions,
    private readonly audit: AuditService,
    private readonly events: EventOutbox,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async suspend(ctx: RequestContext, reason: string): Promise<SuspensionRow> {
    const orgId = orgOf(ctx);
    await this.repo.lockOrganisationForSuspend(orgId);
    const s = await this.repo.insertSuspension({ orgId, reason, by: userOf(ctx).id });
    if (!s) throw messageError('already_suspended', 'Publishing is already suspended here');
    await this.audit.record(ctx, { action: 'publishing.suspended', targetType: 'organisation', targetId: orgId, after: { suspensionId: s.id, reason } });
    await this.events.emit(ctx, 'messages.publishing_suspended', { suspensionId: s.id, organisationId: orgId, reason }, { aggregateType: 'organisation', aggregateId: orgId });
    return s;
  }

  async status(ctx: RequestContext) {
    const path = await this.orgPath(orgOf(ctx));
    return this.repo.activeSuspension(path);
  }

  list(limit: number) {
    return this.repo.listSuspensions(limit);
  }

  async held(id: string) {
    const s = await this.repo.findSuspension(id);
    if (!s) throw messageError('suspension_not_found', 'No such suspension');
    return { suspension: s, held: await this.repo.heldBy(id) };
  }

  /**
   * Ends a suspension. Every message it held needs a decision (publish now, reschedule, withdraw):
   * nothing held goes out by default.
   */
  async resume(ctx: RequestContext, id: string, decisions: ResumeDecision[]) {
    const s = await this.repo.findSuspension(id, { lock: true });
    if (!s || s.org_id !== orgOf(ctx)) throw messageError('suspension_not_found', 'No such suspension here (resume it from the organisation that suspended)');
    if (s.resumed_at) throw messageError('not_suspended', 'This suspension has already ended');
    // As a suspend does: wait for gates in flight below, so none can hold a message under this
    // suspension after the list below is read. Then lock every held message (id order) before
    // writing anything, so a concurrent edit cannot deadlock with this loop.
    await this.repo.lockOrganisationForSuspend(s.org_id);
    const held = await this.repo.heldBy(id, { lock: true });
    const given = new Map(decisions.map((d) => [d.messageId, d]));
    const missing = held.filter((m) => !given.has(m.id)).map((m) => m.id);
    const unknown = decisions.filter((d) => !held.some((m) => m.id === d.messageId)).map((d) => d.messageId);
    if (missing.length || unknown.length) throw messageError('resume_decisions_incomplete', 'Give one decision for each held message, and only for those', { missing, unknown });
    const resumed = (await this.repo.markResumed(id, userOf(ctx).id))!;
    const outcomes = [];
    for (const m of held) {
      const d = given.get(m.id)!;
      const msg = await this.lifecycle.load(m.id);
      const cleared = (await this.messages.update(msg.id, msg.revision, { held_by_suspension: null, held_reason: null }))!;
      if (d.action === 'withdraw') await this.transitions.apply(ctx, cleared, 'withdraw', { reason: `withdrawn at resume: ${s.reason}`, patch: { schedule_entry_id: null, schedule_key: null } });
      else if (d.action === 'publish') await this.lifecycle.arm(ctx, cleared, new Date());
      else await this.lifecycle.setSchedule(ctx, cleared.id, cleared.revision, d.schedule);
      outcomes.push({ messageId: m.id, action: d.action });
    }
    await this.audit.record(ctx, { action: 'publishing.resumed', targetType: 'organisation', targetId: s.org_id, before: { suspensionId: id, reason: s.reason }, after: { decisions: outcomes } });
    await this.events.emit(ctx, 'messages.publishing_resumed', { suspensionId: id, organisationId: s.org_id, held: held.length }, { aggregateType: 'organisation', aggregateId: s.org_id });
    return { suspension: resumed, outcomes };
  }

  async addBlackout(ctx: RequestContext, b: { startsOn: string; endsOn: string; zone: string; reason: string }) {
    if (!isIanaZone(b.zone)) throw messageError('invalid_zone', `"${b.zone}" is not an IANA time zone`);
    const next = new Date(`${b.endsOn}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    const { from, to } = zonedRange(b.startsOn, next.toISOString().slice(0, 10), b.zone);
    const orgId = orgOf(ctx);
    const row = await this.repo.insertBlackout({ orgId, startsOn: b.startsOn, endsOn: b.endsOn, zone: b.zone, startsAt: from, endsAt: to, reason: b.reason, by: userOf(ctx).id });
    await this.audit.record(ctx, { action: 'blackout.created', targetType: 'blackout', targetId: row.id, after: b });
    // Already scheduled into the new blackout: not moved silently; the caller is told.
    return { blackout: row, conflicts: await this.repo.scheduledWithin(orgId, from, to) };
  }

  listBlackouts(range: { from: Date; to: Date }) {
    return this.repo.listBlackouts(range);
  }

  async removeBlackout(ctx: RequestContext, id: string): Promise<void> {
    const row = await this.repo.deleteBlackout(id);
    if (!row) throw messageError('blackout_not_found', 'No such blackout here (an inherited one is removed where it was declared)');
    await this.audit.record(ctx, { action: 'blackout.removed', targetType: 'blackout', targetId: id, before: { startsOn: row.starts_on, endsOn: row.ends_on, zone: row.zone, reason: row.reason } });
  }

  /**
   * A scheduled message is due. In one transaction: lock the message and the organisation path
   * (the gate), then publish-request it, or hold it if publishing is suspended above it. A stale
   * fire (content changed, unscheduled) does nothing.
   */
  @JobHandler('messages.due')
  async due(p: GudduJobs['messages.due']): Promise<void> {
    await this.tx.withTenantBypass('messages: due message through the publishing gate', async () => {
      const msg = await this.messages.find(p.messageId, { lock: true });
      // Only the current arming counts: an entry superseded by a reschedule, an unschedule, an
      // edit or a resume carries another key, and a held message waits for its resume decision.
      if (!msg || msg.status !== 'scheduled' || msg.schedule_key !== p.idempotencyKey || msg.content_hash !== p.contentHash || msg.held_by_suspension) {
        this.log.info({ messageId: p.messageId, status: msg?.status }, 'messages: due fire no longer applies');
        return;
      }
      const ctx = systemContext('messages.due', msg.org_id, p.correlationId);
      await this.repo.lockPathForPublishing(msg.org_path);
      const suspension = await this.repo.activeSuspension(msg.org_path);
      if (suspension) {
        await this.messages.update(msg.id, msg.revision, { held_by_suspension: suspension.id, held_reason: 'suspended' });
        await this.audit.record(ctx, { action: 'message.held', targetType: 'message', targetId: msg.id, after: { suspensionId: suspension.id, reason: suspension.reason } });
        await this.events.emit(ctx, 'messages.publishing_held', { messageId: msg.id, suspensionId: suspension.id }, { aggregateType: 'message', aggregateId: msg.id });
        return;
      }
      const blackout = await this.repo.blackoutAt(msg.org_path, new Date());
      if (blackout) {
        await this.lifecycle.holdForBlackout(ctx, msg, blackout.reason);
        return;
      }
      if (msg.embargo_until && msg.embargo_until.getTime() > Date.now()) {
        await this.lifecycle.arm(ctx, msg, msg.embargo_until);
        await this.audit.record(ctx, { action: 'message.embargo_wait', targetType: 'message', targetId: msg.id, after: { embargoUntil: msg.embargo_until } });
        return;
      }
      if (!(await this.ledger.isPublishable(msg))) {
        await this.transitions.apply(ctx, msg, 'reopen_review', { system: true, reason: 'approval set incomplete at publish time', patch: { schedule_entry_id: null, schedule_key: null, approved_at: null, approved_hash: null, review_round: msg.review_round + 1 } });
        return;
      }
      const started = await this.transitions.apply(ctx, msg, 'start_publishing', { system: true, patch: { publishing_started_at: new Date() } });
      await this.events.emit(ctx, 'messages.publish_requested', { messageId: msg.id, version: started.version, contentHash: started.content_hash, channels: started.channels }, { aggregateType: 'message', aggregateId: msg.id });
    });
  }

  /** A late approval held under an "expire" policy: withdrawn if still waiting for a new time. */
  @JobHandler('messages.expire')
  async expire(p: GudduJobs['messages.expire']): Promise<void> {
    await this.tx.withTenantBypass('messages: expire a late approval', async () => {
      const msg = await this.messages.find(p.messageId, { lock: true });
      if (!msg || msg.status !== 'approved' || msg.held_reason !== 'late_approval' || msg.review_round !== p.reviewRound) return;
      const ctx = systemContext('messages.expire', msg.org_id, p.correlationId);
      await this.transitions.apply(ctx, msg, 'expire', { system: true, reason: 'late approval expired before a new time was set' });
    });
  }

  private async orgPath(orgId: string): Promise<string[]> {
    return this.messages.orgPath(orgId);
  }
}
