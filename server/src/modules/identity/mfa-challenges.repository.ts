import { Injectable } from '@nestjs/common';
import { Transactor } from '../../platform/database/transactor.js';
import type { FirstFactor } from './identity.tables.js';
import './identity.tables.js';

/** Wrong codes a challenge takes before it is spent (the per-account throttle also applies). */
export const MFA_CHALLENGE_MAX_ATTEMPTS = 5;

export interface MfaChallenge {
  id: string;
  userId: string;
  orgId: string;
  expiresAt: Date;
  attempts: number;
  usedAt: Date | null;
  /** The first step's factor, which the session the second step opens records. */
  signInMethod: FirstFactor;
  /** The provider of an SSO first step, which the session records too. */
  ssoProviderId: string | null;
}

/** The password-was-right step of a two-step sign-in. System table: bypass transactions only. */
@Injectable()
export class MfaChallengesRepository {
  constructor(private readonly tx: Transactor) {}

  async create(c: { tokenHash: Buffer; userId: string; orgId: string; expiresAt: Date; signInMethod: FirstFactor; ssoProviderId?: string | null | undefined }): Promise<void> {
    await this.tx
      .current()
      .insertInto('mfa_challenges')
      .values({ token_hash: c.tokenHash, user_id: c.userId, org_id: c.orgId, expires_at: c.expiresAt, sign_in_method: c.signInMethod, sso_provider_id: c.ssoProviderId ?? null })
      .execute();
  }

  /** The challenge, locked: its attempts and its single use are decided one caller at a time. */
  async findForUpdate(tokenHash: Buffer): Promise<MfaChallenge | undefined> {
    const row = await this.tx
      .current()
      .selectFrom('mfa_challenges')
      .select(['id', 'user_id', 'org_id', 'expires_at', 'attempts', 'used_at', 'sign_in_method', 'sso_provider_id'])
      .where('token_hash', '=', tokenHash)
      .forUpdate()
      .executeTakeFirst();
    return (
      row && {
        id: row.id,
        userId: row.user_id,
        orgId: row.org_id,
        expiresAt: row.expires_at,
        attempts: row.attempts,
        usedAt: row.used_at,
        signInMethod: row.sign_in_method,
        ssoProviderId: row.sso_provider_id,
      }
    );
  }

  async countFailure(id: string): Promise<void> {
    await this.tx
      .current()
      .updateTable('mfa_challenges')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }

  async markUsed(id: string): Promise<void> {
    await this.tx.current().updateTable('mfa_challenges').set({ used_at: new Date() }).where('id', '=', id).execute();
  }

  /** Challenges are worth nothing once expired; sign-in clears a user's old ones as it goes. */
  async pruneExpired(userId: string): Promise<void> {
    await this.tx.current().deleteFrom('mfa_challenges').where('user_id', '=', userId).where('expires_at', '<', new Date()).execute();
  }
}
