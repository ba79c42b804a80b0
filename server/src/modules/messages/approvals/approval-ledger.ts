import { Injectable } from '@nestjs/common';
import { ApprovalPolicyInput, evaluate, type ApprovalPolicy, type ApprovalProgress } from './approval-policy.js';
import { ApprovalsRepository } from './approvals.repository.js';
import type { MessageRow } from '../messages.repository.js';

/**
 * Reads where a message stands against the policy of its review round: who may sign each stage
 * and which sign-offs count (this round, this exact content hash). Shared by the approve route
 * and by publishing, which refuses content without a complete set.
 */
@Injectable()
export class ApprovalLedger {
  constructor(private readonly repo: ApprovalsRepository) {}

  policyOf(msg: MessageRow): ApprovalPolicy | undefined {
    return msg.review_policy ? ApprovalPolicyInput.parse(msg.review_policy) : undefined;
  }

  /** The people who may sign `stage`, authors removed when the policy forbids self-approval. */
  async eligible(msg: MessageRow, policy: ApprovalPolicy, stage: number, authors?: string[]): Promise<{ eligible: string[]; authors: string[] }> {
    const spec = policy.stages[stage];
    if (!spec) return { eligible: [], authors: authors ?? [] };
    const who = await this.repo.stageApprovers(msg.org_id, spec.approvers.roles, spec.approvers.users);
    const writers = authors ?? (policy.allowSelfApproval ? [] : await this.authors(msg));
    return { eligible: policy.allowSelfApproval ? who : who.filter((u) => !writers.includes(u)), authors: writers };
  }

  async progress(msg: MessageRow): Promise<ApprovalProgress> {
    const policy = this.policyOf(msg);
    if (!policy) return { complete: false, currentStage: null, stages: [] };
    const authors = policy.allowSelfApproval ? [] : await this.authors(msg);
    const eligibleByStage = await Promise.all(policy.stages.map((_, i) => this.eligible(msg, policy, i, authors).then((r) => r.eligible)));
    const counting = (await this.repo.counting(msg.id, msg.review_round, msg.content_hash))
      // A sign-off counts only while its author is still eligible for its stage.
      .filter((a) => eligibleByStage[a.stage]?.includes(a.approver_id));
    return evaluate(policy, msg.languages, counting.map((a) => ({ stage: a.stage, language: a.language, approverId: a.approver_id })), (i) => eligibleByStage[i]?.length ?? 0);
  }

  /** True only for the exact content that was approved, with its set still complete. */
  async isPublishable(msg: MessageRow): Promise<boolean> {
    if (msg.approved_hash !== msg.content_hash) return false;
    return (await this.progress(msg)).complete;
  }

  private authors(msg: MessageRow): Promise<string[]> {
    return this.repo.versionAuthors(msg.id);
  }
}
