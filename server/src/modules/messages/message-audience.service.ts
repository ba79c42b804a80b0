import { Injectable } from '@nestjs/common';
import { ApprovalLedger } from './approvals/approval-ledger.js';
import { ApprovalsRepository } from './approvals/approvals.repository.js';
import { MessagesRepository } from './messages.repository.js';

export interface MessageAudienceView {
  orgId: string;
  title: string;
  /** Everyone who wrote a version, and who submitted it. */
  authors: string[];
  /** The stage approvers act on now (or the one asked about), and who may sign it; null when none waits. */
  stage: { index: number; name: string; approvers: string[] } | null;
}

/**
 * Who a message concerns, read at the moment of an event: for notifications, which must not
 * reach into the messages tables themselves. Runs in the caller's transaction (the event's
 * organisation: row-level security applies).
 */
@Injectable()
export class MessageAudience {
  constructor(
    private readonly repo: MessagesRepository,
    private readonly approvals: ApprovalsRepository,
    private readonly ledger: ApprovalLedger,
  ) {}

  async of(messageId: string, stageIndex?: number): Promise<MessageAudienceView | undefined> {
    const msg = await this.repo.find(messageId);
    if (!msg) return undefined;
    const authors = new Set(await this.approvals.versionAuthors(msg.id));
    if (msg.submitted_by) authors.add(msg.submitted_by);
    const policy = this.ledger.policyOf(msg);
    let stage: MessageAudienceView['stage'] = null;
    const index = stageIndex ?? (policy && msg.status === 'in_review' ? (await this.ledger.progress(msg)).currentStage : null);
    if (policy && index !== null && index !== undefined && policy.stages[index]) {
      const { eligible } = await this.ledger.eligible(msg, policy, index);
      stage = { index, name: policy.stages[index].name, approvers: eligible };
    }
    return { orgId: msg.org_id, title: msg.title, authors: [...authors], stage };
  }
}
