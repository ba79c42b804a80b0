import { Injectable } from '@nestjs/common';
import { Transactor } from '../../../platform/database/transactor.js';
import { EventOutbox } from '../../../platform/events/event-outbox.js';
import { systemContext, orgOf, userOf, type RequestContext } from '../../../platform/context/request-context.js';
import { JobHandler } from '../../../platform/jobs/job-handler.decorator.js';
import type { GudduJobs } from '../../../platform/jobs/jobs.types.js';
import { AuditService } from '../../audit/audit.service.js';
import { ApprovalLedger } from './approval-ledger.js';
import { DEFAULT_POLICY, stageLanguages, type ApprovalPolicy } from './approval-policy.js';
import { ApprovalsRepository, type PolicyRow } from './approvals.repository.js';
import { MessageLifecycle } from '../message-lifecycle.service.js';
import { MessageTransitions } from '../message-transitions.js';
import { messageError } from '../messages.errors.js';
import { MessagesRepository, type MessageRow } from '../messages.repository.js';

export interface Decision {
  decision: 'approved' | 'changes_requested';
  /** The content the approver read; a decision on anything else is refused. */
  contentHash: string;
  stage?: number | undefined;
  language?: string | undefined;
  comment: string;
}

/** Approval policies per organisation (inherited down the tree) and the decisions on messages. */
@Injectable()
export class ApprovalsService {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: ApprovalsRepository,
    private readonly messages: MessagesRepository,
    private readonly ledger: ApprovalLedger,
    private readonly lifecycle: MessageLifecycle,
    private readonly transitions: MessageTransitions,
    private readonly audit: AuditService,
    private readonly events: EventOutbox,
  ) {}

  /** The organisation's own policy if it has one, else the one it inherits (or the default). */
  async effective(orgPath: string[]): Promise<{ policy: ApprovalPolicy; source: PolicyRow | undefined }> {
    const row = await this.repo.effectivePolicy(orgPath);
    return { policy: row?.policy ?? DEFAULT_POLICY, source: row };
  }

  async setPolicy(ctx: RequestContext, policy: ApprovalPolicy): Promise<PolicyRow> {
    const orgId = orgOf(ctx);
    const before = await this.repo.findPolicy(orgId);
    const row = await this.repo.upsertPolicy(orgId, policy, userOf(ctx).id);
    await this.audit.record(ctx, { action: 'approval_policy.set', targetType: 'organisation', targetId: orgId, before: before?.policy ?? null, after: policy });
    return row;
  }

  /** Back to inheriting from the parent. */
  async clearPolicy(ctx: RequestContext): Promise<boolean> {
    const orgId = orgOf(ctx);
    const before = await this.repo.findPolicy(orgId);
    if (!before) return false;
    await this.repo.deletePolicy(orgId);
    await this.audit.record(ctx, { action: 'approval_policy.cleared', targetType: 'organisation', targetId: orgId, before: before.policy });
    return true;
  }

  async history(id: string) {
    const msg = await this.messages.find(id);
    if (!msg) throw messageError('message_not_found', 'No such message');
    return { msg, decisions: await this.repo.list(id), progress: await this.ledger.progress(msg) };
  }

  /**
   * One approver's decision on the message's current content, for the stage open now (and one
   * language of a translation stage). The last sign-off of the last stage approves the message.
   */
  async decide(ctx: RequestContext, id: string, d: Decision): Promise<MessageRow> {
    const msg = await this.messages.find(id, { lock: true });
    if (!msg) throw messageError('message_not_found', 'No such message');
    const name = d.decision === 'approved' ? 'approve' : 'request_changes';
    if (msg.status !== 'in_review') return this.transitions.apply(ctx, msg, name); // refused: names the transition
    if (d.contentHash !== msg.content_hash) {
      throw messageError('content_changed', 'The message changed since you read it; review the current version', { contentHash: msg.content_hash, version: msg.version });
    }
    const policy = this.ledger.policyOf(msg) ?? DEFAULT_POLICY;
    const progress = await this.ledger.progress(msg);
    const stage = d.stage ?? progress.currentStage ?? 0;
    if (stage !== progress.currentStage) throw messageError('stage_not_current', `Stage ${stage} is not open; stage ${progress.currentStage} is`, { currentStage: progress.currentStage });
    const spec = policy.stages[stage]!;
    const me = userOf(ctx).id;
    const { eligible, authors } = await this.ledger.eligible(msg, policy, stage);
    if (!eligible.includes(me)) {
      if (!policy.allowSelfApproval && authors.includes(me)) throw messageError('self_approval_not_allowed', 'You wrote this message; someone else must approve it');
      throw messageError('not_an_approver', `You are not an approver of stage "${spec.name}"`);
    }
    const languages = stageLanguages(spec, msg.languages);
    const language = spec.perLanguage ? d.language : null;
    if (spec.perLanguage ? !languages.includes(language ?? '') : d.language !== undefined) {
      throw messageError('language_not_in_stage', spec.perLanguage ? `Stage "${spec.name}" signs one of: ${languages.join(', ')}` : `Stage "${spec.name}" is not per language`, { languages });
    }
    const row = await this.repo.insert({
      messageId: id,
      orgId: msg.org_id,
      reviewRound: msg.review_round,
      stage,
      language: language ?? null,
      decision: d.decision,
      approverId: me,
      version: msg.version,
      contentHash: msg.content_hash,
      comment: d.comment,
    });
    if (!row) throw messageError('already_decided', 'You have already decided on this content at this stage');
    await this.audit.record(ctx, {
      action: `message.${d.decision === 'approved' ? 'approval' : 'changes_requested'}`,
      targetType: 'message',
      targetId: id,
      after: { stage, stageName: spec.name, language: language ?? null, version: msg.version, contentHash: msg.content_hash, comment: d.comment },
    });
    await this.events.emit(ctx, 'messages.approval_recorded', { messageId: id, stage, language: language ?? null, decision: d.decision, approverId: me, contentHash: msg.content_hash }, { aggregateType: 'message', aggregateId: id });
    if (d.decision === 'changes_requested') return this.transitions.apply(ctx, msg, 'request_changes', { reason: d.comment || null });

    const after = await this.ledger.progress(msg);
    if (after.complete) return this.lifecycle.approve(ctx, msg);
    if (after.currentStage !== null && after.currentStage !== stage) await this.lifecycle.armSla(ctx, msg, policy, after.currentStage);
    return msg;
  }

  /** A stage's SLA ran out: escalate (an event for notifications) if that stage is still the open one. */
  @JobHandler('messages.approval_sla')
  async slaExpired(p: GudduJobs['messages.approval_sla']): Promise<void> {
    await this.tx.withTenantBypass('messages: approval SLA check', async () => {
      const msg = await this.messages.find(p.messageId);
      if (!msg || msg.status !== 'in_review' || msg.review_round !== p.reviewRound) return;
      if ((await this.ledger.progress(msg)).currentStage !== p.stage) return;
      const spec = this.ledger.policyOf(msg)?.stages[p.stage];
      const ctx = systemContext('messages.approval_sla', msg.org_id, p.correlationId);
      await this.audit.record(ctx, { action: 'message.approval_overdue', targetType: 'message', targetId: msg.id, after: { stage: p.stage, reviewRound: p.reviewRound } });
      await this.events.emit(ctx, 'messages.approval_overdue', { messageId: msg.id, reviewRound: p.reviewRound, stage: p.stage, stageName: spec?.name ?? '', slaHours: spec?.slaHours ?? 0 }, { aggregateType: 'message', aggregateId: msg.id });
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
}
