import { Injectable } from '@nestjs/common';
import { orgOf, userOf, type RequestContext } from '../../platform/context/request-context.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import { isIanaZone, zonedRange } from '../../platform/time/wall-time.js';
import { AuditService } from '../audit/audit.service.js';
import { MessageRelease, type HeldDecision } from '../messages/message-release.service.js';
import { publishingError } from './publishing.errors.js';
import './publishing.events.js';
import { PublishingRepository, type SuspensionRow } from './publishing.repository.js';

export type ResumeDecision = { messageId: string } & HeldDecision;

/**
 * Crisis suspend and resume, and blackout days. A suspend takes its organisation's gate lock
 * exclusively before recording itself, so it commits only after every publish already cleared by
 * the gate below it (PublishingGate) has committed.
 */
@Injectable()
export class PublishingService {
  constructor(
    private readonly repo: PublishingRepository,
    private readonly messages: MessageRelease,
    private readonly audit: AuditService,
    private readonly events: EventOutbox,
  ) {}

  async suspend(ctx: RequestContext, reason: string): Promise<SuspensionRow> {
    const orgId = orgOf(ctx);
    await this.repo.lockOrganisationForSuspend(orgId);
    const s = await this.repo.insertSuspension({ orgId, reason, by: userOf(ctx).id });
    if (!s) throw publishingError('already_suspended', 'Publishing is already suspended here');
    await this.audit.record(ctx, { action: 'publishing.suspended', targetType: 'organisation', targetId: orgId, after: { suspensionId: s.id, reason } });
    await this.events.emit(ctx, 'messages.publishing_suspended', { suspensionId: s.id, organisationId: orgId, reason }, { aggregateType: 'organisation', aggregateId: orgId });
    return s;
  }

  async status(ctx: RequestContext) {
    const path = await this.repo.orgPath(orgOf(ctx));
    return this.repo.activeSuspension(path);
  }

  list(limit: number) {
    return this.repo.listSuspensions(limit);
  }

  async held(id: string) {
    const s = await this.repo.findSuspension(id);
    if (!s) throw publishingError('suspension_not_found', 'No such suspension');
    return { suspension: s, held: await this.messages.heldBy(id) };
  }

  /**
   * Ends a suspension. Every message it held needs a decision (publish now, reschedule, withdraw):
   * nothing held goes out by default.
   */
  async resume(ctx: RequestContext, id: string, decisions: ResumeDecision[]) {
    const s = await this.repo.findSuspension(id, { lock: true });
    if (!s || s.org_id !== orgOf(ctx)) throw publishingError('suspension_not_found', 'No such suspension here (resume it from the organisation that suspended)');
    if (s.resumed_at) throw publishingError('not_suspended', 'This suspension has already ended');
    // As a suspend does: wait for gates in flight below, so none can hold a message under this
    // suspension after the list below is read. Then lock every held message (id order) before
    // writing anything, so a concurrent edit cannot deadlock with this loop.
    await this.repo.lockOrganisationForSuspend(s.org_id);
    const held = await this.messages.heldBy(id, { lock: true });
    const given = new Map(decisions.map((d) => [d.messageId, d]));
    const missing = held.filter((m) => !given.has(m.id)).map((m) => m.id);
    const unknown = decisions.filter((d) => !held.some((m) => m.id === d.messageId)).map((d) => d.messageId);
    if (missing.length || unknown.length) throw publishingError('resume_decisions_incomplete', 'Give one decision for each held message, and only for those', { missing, unknown });
    const resumed = (await this.repo.markResumed(id, userOf(ctx).id))!;
    const outcomes = [];
    for (const m of held) {
      const d = given.get(m.id)!;
      await this.messages.decideHeld(ctx, m.id, d, s.reason);
      outcomes.push({ messageId: m.id, action: d.action });
    }
    await this.audit.record(ctx, { action: 'publishing.resumed', targetType: 'organisation', targetId: s.org_id, before: { suspensionId: id, reason: s.reason }, after: { decisions: outcomes } });
    await this.events.emit(ctx, 'messages.publishing_resumed', { suspensionId: id, organisationId: s.org_id, held: held.length }, { aggregateType: 'organisation', aggregateId: s.org_id });
    return { suspension: resumed, outcomes };
  }

  async addBlackout(ctx: RequestContext, b: { startsOn: string; endsOn: string; zone: string; reason: string }) {
    if (!isIanaZone(b.zone)) throw publishingError('invalid_zone', `"${b.zone}" is not an IANA time zone`);
    const next = new Date(`${b.endsOn}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    const { from, to } = zonedRange(b.startsOn, next.toISOString().slice(0, 10), b.zone);
    const orgId = orgOf(ctx);
    const row = await this.repo.insertBlackout({ orgId, startsOn: b.startsOn, endsOn: b.endsOn, zone: b.zone, startsAt: from, endsAt: to, reason: b.reason, by: userOf(ctx).id });
    await this.audit.record(ctx, { action: 'blackout.created', targetType: 'blackout', targetId: row.id, after: b });
    // Already scheduled into the new blackout: not moved silently; the caller is told.
    return { blackout: row, conflicts: await this.messages.scheduledWithin(orgId, from, to) };
  }

  listBlackouts(range: { from: Date; to: Date }) {
    return this.repo.listBlackouts(range);
  }

  async removeBlackout(ctx: RequestContext, id: string): Promise<void> {
    const row = await this.repo.deleteBlackout(id);
    if (!row) throw publishingError('blackout_not_found', 'No such blackout here (an inherited one is removed where it was declared)');
    await this.audit.record(ctx, { action: 'blackout.removed', targetType: 'blackout', targetId: id, before: { startsOn: row.starts_on, endsOn: row.ends_on, zone: row.zone, reason: row.reason } });
  }
}
