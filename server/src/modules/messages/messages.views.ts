import type { FastifyReply } from 'fastify';
import type { PublishingProblem } from '../publishing/publishing-validation.service.js';
import type { ApprovalProgress } from './approvals/approval-policy.js';
import type { ApprovalRow } from './approvals/approvals.repository.js';
import { channelChecks } from './channel-checks.js';
import type { MessageContent } from './message-content.js';
import { messageError } from './messages.errors.js';
import type { MessageRow } from './messages.repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function messageView(m: MessageRow) {
  return {
    id: m.id,
    orgId: m.org_id,
    campaignId: m.campaign_id,
    title: m.title,
    status: m.status,
    statusReason: m.status_reason,
    revision: m.revision,
    version: m.version,
    contentHash: m.content_hash,
    languages: m.languages,
    channels: m.channels,
    tags: m.tags,
    notes: m.notes,
    schedule: m.scheduled_at && m.schedule_local && m.schedule_zone ? { at: m.scheduled_at.toISOString(), local: m.schedule_local, zone: m.schedule_zone } : null,
    embargoUntil: iso(m.embargo_until),
    reviewRound: m.review_round,
    submittedAt: iso(m.submitted_at),
    approvedAt: iso(m.approved_at),
    held: m.held_reason,
    createdBy: m.created_by,
    createdAt: m.created_at.toISOString(),
    updatedAt: m.updated_at.toISOString(),
  };
}

export function messageDetail(m: MessageRow, content: MessageContent, publishing: readonly PublishingProblem[]) {
  return { ...messageView(m), content, checks: channelChecks(content), publishing };
}

/** The ETag of a message is its revision; every change bumps it. */
export function setEtag(reply: FastifyReply, m: MessageRow): void {
  void reply.header('etag', `"${m.revision}"`);
}

/** If-Match: `"7"` (or W/"7"). Required on edits, so that no one overwrites a change they have not seen. */
export function revisionFrom(ifMatch: string | undefined): number {
  if (!ifMatch) throw messageError('precondition_required', 'Send If-Match with the ETag of the message you edited');
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(ifMatch.trim());
  if (!m) throw messageError('stale_revision', 'If-Match does not match the message');
  return Number(m[1]);
}

export function approvalsView(m: MessageRow, progress: ApprovalProgress, decisions: ApprovalRow[]) {
  return {
    reviewRound: m.review_round,
    contentHash: m.content_hash,
    complete: progress.complete,
    currentStage: progress.currentStage,
    stages: progress.stages,
    decisions: decisions.map((d) => ({
      id: d.id,
      reviewRound: d.review_round,
      stage: d.stage,
      language: d.language,
      decision: d.decision,
      approverId: d.approver_id,
      version: d.version,
      contentHash: d.content_hash,
      comment: d.comment,
      counts: d.invalidated_at === null && d.review_round === m.review_round && d.content_hash === m.content_hash,
      invalidatedAt: iso(d.invalidated_at),
      createdAt: d.created_at.toISOString(),
    })),
  };
}
