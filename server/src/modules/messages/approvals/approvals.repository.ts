import { Injectable } from '@nestjs/common';
import { sql, type Selectable } from 'kysely';
import { Transactor } from '../../../platform/database/transactor.js';
import type { ApprovalPolicy } from './approval-policy.js';
import '../messages.tables.js';
import type { MessageApprovalsTable } from '../messages.tables.js';

export interface PolicyRow {
  orgId: string;
  policy: ApprovalPolicy;
  revision: number;
  updatedBy: string | null;
  updatedAt: Date;
}

const APPROVAL_COLUMNS = ['id', 'review_round', 'stage', 'language', 'decision', 'approver_id', 'version', 'content_hash', 'comment', 'invalidated_at', 'created_at'] as const;
export type ApprovalRow = Pick<Selectable<MessageApprovalsTable>, (typeof APPROVAL_COLUMNS)[number]>;

/** Approval policies (per organisation, inherited) and the sign-offs recorded against content hashes. */
@Injectable()
export class ApprovalsRepository {
  constructor(private readonly tx: Transactor) {}

  private get db() {
    return this.tx.current();
  }

  /** The policy in force for an organisation: its own, else the nearest ancestor's. */
  async effectivePolicy(orgPath: string[]): Promise<PolicyRow | undefined> {
    const row = await this.db
      .selectFrom('approval_policies')
      .select(['org_id', 'stages', 'allow_self_approval', 'late_approval', 'expire_after_days', 'revision', 'updated_by', 'updated_at'])
      .where('org_id', 'in', orgPath)
      .orderBy(sql`cardinality(org_path)`, 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && toPolicy(row);
  }

  async findPolicy(orgId: string): Promise<PolicyRow | undefined> {
    const row = await this.db
      .selectFrom('approval_policies')
      .select(['org_id', 'stages', 'allow_self_approval', 'late_approval', 'expire_after_days', 'revision', 'updated_by', 'updated_at'])
      .where('org_id', '=', orgId)
      .executeTakeFirst();
    return row && toPolicy(row);
  }

  async upsertPolicy(orgId: string, p: ApprovalPolicy, updatedBy: string): Promise<PolicyRow> {
    const values = {
      stages: JSON.stringify(p.stages),
      allow_self_approval: p.allowSelfApproval,
      late_approval: p.lateApproval.mode,
      expire_after_days: p.lateApproval.mode === 'expire' ? p.lateApproval.afterDays : null,
      updated_by: updatedBy,
    };
    const row = await this.db
      .insertInto('approval_policies')
      .values({ org_id: orgId, ...values })
      .onConflict((oc) => oc.column('org_id').doUpdateSet({ ...values, revision: sql`approval_policies.revision + 1`, updated_at: new Date() }))
      .returning(['org_id', 'stages', 'allow_self_approval', 'late_approval', 'expire_after_days', 'revision', 'updated_by', 'updated_at'])
      .executeTakeFirstOrThrow();
    return toPolicy(row);
  }

  async deletePolicy(orgId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('approval_policies').where('org_id', '=', orgId).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }

  /** Who may sign a stage for a message of `orgId` (roles inherited from ancestors, named users who are members). */
  async stageApprovers(orgId: string, roles: readonly string[], users: readonly string[]): Promise<string[]> {
    const r = await sql<{ id: string }>`SELECT guddu_stage_approvers(${orgId}::uuid, ${[...roles]}::text[], ${[...users]}::uuid[]) AS id`.execute(this.db);
    return r.rows.map((x) => x.id);
  }

  async insert(a: { messageId: string; orgId: string; reviewRound: number; stage: number; language: string | null; decision: 'approved' | 'changes_requested'; approverId: string; version: number; contentHash: string; comment: string }): Promise<ApprovalRow | undefined> {
    return this.db
      .insertInto('message_approvals')
      .values({
        message_id: a.messageId,
        org_id: a.orgId,
        review_round: a.reviewRound,
        stage: a.stage,
        language: a.language,
        decision: a.decision,
        approver_id: a.approverId,
        version: a.version,
        content_hash: a.contentHash,
        comment: a.comment,
      })
      .onConflict((oc) => oc.doNothing())
      .returning(APPROVAL_COLUMNS)
      .executeTakeFirst();
  }

  /** Every decision on a message, newest round first; the history an auditor reads. */
  async list(messageId: string): Promise<ApprovalRow[]> {
    return this.db.selectFrom('message_approvals').select(APPROVAL_COLUMNS).where('message_id', '=', messageId).orderBy('created_at').orderBy('id').execute();
  }

  /** The sign-offs that count now: this round, this exact content, not invalidated. */
  async counting(messageId: string, reviewRound: number, contentHash: string): Promise<ApprovalRow[]> {
    return this.db
      .selectFrom('message_approvals')
      .select(APPROVAL_COLUMNS)
      .where('message_id', '=', messageId)
      .where('review_round', '=', reviewRound)
      .where('content_hash', '=', contentHash)
      .where('decision', '=', 'approved')
      .where('invalidated_at', 'is', null)
      .execute();
  }

  /** Everyone who wrote a version: the authors self-approval rules apply to. */
  async versionAuthors(messageId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('message_versions').select('created_by').distinct().where('message_id', '=', messageId).where('created_by', 'is not', null).execute();
    return rows.map((r) => r.created_by as string);
  }

  /** Content changed: sign-offs of any other content stop counting, visibly. */
  async invalidateOtherThan(messageId: string, contentHash: string): Promise<number> {
    const r = await this.db
      .updateTable('message_approvals')
      .set({ invalidated_at: new Date() })
      .where('message_id', '=', messageId)
      .where('content_hash', '<>', contentHash)
      .where('invalidated_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }
}

function toPolicy(r: { org_id: string; stages: unknown; allow_self_approval: boolean; late_approval: 'publish_now' | 'hold' | 'expire'; expire_after_days: number | null; revision: number; updated_by: string | null; updated_at: Date }): PolicyRow {
  const lateApproval: ApprovalPolicy['lateApproval'] =
    r.late_approval === 'expire' ? { mode: 'expire', afterDays: r.expire_after_days ?? 1 } : { mode: r.late_approval };
  return {
    orgId: r.org_id,
    policy: { stages: r.stages as ApprovalPolicy['stages'], allowSelfApproval: r.allow_self_approval, lateApproval },
    revision: r.revision,
    updatedBy: r.updated_by,
    updatedAt: r.updated_at,
  };
}
