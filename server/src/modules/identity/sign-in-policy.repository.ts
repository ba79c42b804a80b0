import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import type { MfaRequiredFor } from './identity.tables.js';
import './identity.tables.js';

export interface SignInPolicy {
  orgId: string;
  mfaRequiredFor: MfaRequiredFor;
  ssoRequiredFor: MfaRequiredFor;
  stepUpMinutes: number;
  revision: number;
  updatedBy: string | null;
  updatedAt: Date;
}

const COLUMNS = ['org_id', 'mfa_required_for', 'sso_required_for', 'step_up_minutes', 'revision', 'updated_by', 'updated_at'] as const;

/** Sign-in policies: an organisation's own, and (readable from below) those of its ancestors. */
@Injectable()
export class SignInPolicyRepository {
  constructor(private readonly tx: Transactor) {}

  /** Every policy on the organisation's path, the organisation's own included. */
  async onPath(orgId: string): Promise<SignInPolicy[]> {
    const rows = await this.tx
      .current()
      .selectFrom('sign_in_policies')
      .select(COLUMNS)
      .where(sql<boolean>`org_id = ANY (guddu_org_path(${orgId}::uuid))`)
      .execute();
    return rows.map((r) => ({
      orgId: r.org_id,
      mfaRequiredFor: r.mfa_required_for,
      ssoRequiredFor: r.sso_required_for,
      stepUpMinutes: r.step_up_minutes,
      revision: r.revision,
      updatedBy: r.updated_by,
      updatedAt: r.updated_at,
    }));
  }

  async upsert(orgId: string, p: { mfaRequiredFor: MfaRequiredFor; ssoRequiredFor: MfaRequiredFor; stepUpMinutes: number; updatedBy: string | null }): Promise<void> {
    const values = {
      mfa_required_for: p.mfaRequiredFor,
      sso_required_for: p.ssoRequiredFor,
      step_up_minutes: p.stepUpMinutes,
      updated_by: p.updatedBy,
      updated_at: new Date(),
    };
    await this.tx
      .current()
      .insertInto('sign_in_policies')
      .values({ org_id: orgId, ...values })
      .onConflict((oc) => oc.column('org_id').doUpdateSet((eb) => ({ ...values, revision: eb('sign_in_policies.revision', '+', 1) })))
      .execute();
  }
}
