import { Injectable } from '@nestjs/common';
import { Transactor } from '../../../platform/database/transactor.js';
import './sso.tables.js';

export interface SsoLoginState {
  id: string;
  nonce: string;
  codeVerifierSealed: string | null;
  providerId: string;
  orgId: string;
  purpose: 'sign_in' | 'link';
  userId: string | null;
  /** The invitation this sign-in accepts, if it was started with one. */
  invitationId: string | null;
  expiresAt: Date;
  usedAt: Date | null;
}

/** Linked provider identities and authorization requests in flight (sign-in: bypass transactions). */
@Injectable()
export class SsoIdentitiesRepository {
  constructor(private readonly tx: Transactor) {}

  async findUserBySubject(providerId: string, subject: string): Promise<string | undefined> {
    const row = await this.tx
      .current()
      .selectFrom('sso_identities')
      .select('user_id')
      .where('provider_id', '=', providerId)
      .where('subject', '=', subject)
      .executeTakeFirst();
    return row?.user_id;
  }

  async hasLink(providerId: string, userId: string): Promise<boolean> {
    const row = await this.tx.current().selectFrom('sso_identities').select('id').where('provider_id', '=', providerId).where('user_id', '=', userId).executeTakeFirst();
    return row !== undefined;
  }

  async link(p: { userId: string; providerId: string; subject: string; email: string | null }): Promise<void> {
    await this.tx.current().insertInto('sso_identities').values({ user_id: p.userId, provider_id: p.providerId, subject: p.subject, email: p.email }).execute();
  }

  async createState(s: Omit<SsoLoginState, 'id' | 'usedAt'> & { stateHash: Buffer }): Promise<void> {
    await this.tx
      .current()
      .insertInto('sso_login_states')
      .values({
        state_hash: s.stateHash,
        nonce: s.nonce,
        code_verifier_sealed: s.codeVerifierSealed,
        provider_id: s.providerId,
        org_id: s.orgId,
        purpose: s.purpose,
        user_id: s.userId,
        invitation_id: s.invitationId,
        expires_at: s.expiresAt,
      })
      .execute();
  }

  /** Claims the state: single use, so of two callbacks with the same state one gets it. */
  async consumeState(stateHash: Buffer): Promise<SsoLoginState | undefined> {
    const row = await this.tx
      .current()
      .updateTable('sso_login_states')
      .set({ used_at: new Date() })
      .where('state_hash', '=', stateHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', new Date())
      .returning(['id', 'nonce', 'code_verifier_sealed', 'provider_id', 'org_id', 'purpose', 'user_id', 'invitation_id', 'expires_at', 'used_at'])
      .executeTakeFirst();
    return (
      row && {
        id: row.id,
        nonce: row.nonce,
        codeVerifierSealed: row.code_verifier_sealed,
        providerId: row.provider_id,
        orgId: row.org_id,
        purpose: row.purpose,
        userId: row.user_id,
        invitationId: row.invitation_id,
        expiresAt: row.expires_at,
        usedAt: row.used_at,
      }
    );
  }

  async pruneExpiredStates(): Promise<void> {
    await this.tx.current().deleteFrom('sso_login_states').where('expires_at', '<', new Date(Date.now() - 3600_000)).execute();
  }
}
