import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import type { SecondFactorMethod, SignInMethod } from './identity.tables.js';

export interface SessionRecord {
  id: string;
  orgId: string;
  userId: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  ip: string | null;
  userAgent: string | null;
  signInMethod: SignInMethod | 'unknown';
  /** The provider that signed an SSO session in (kept across refresh: the session row is the family). */
  ssoProviderId: string | null;
}

type SessionRow = {
  id: string;
  org_id: string;
  user_id: string;
  created_at: Date;
  last_used_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  ip: string | null;
  user_agent: string | null;
  sign_in_method: SignInMethod | 'unknown';
  sso_provider_id: string | null;
};
const COLUMNS = ['id', 'org_id', 'user_id', 'created_at', 'last_used_at', 'expires_at', 'revoked_at', 'ip', 'user_agent', 'sign_in_method', 'sso_provider_id'] as const;
const toSession = (r: SessionRow): SessionRecord => ({
  id: r.id,
  orgId: r.org_id,
  userId: r.user_id,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  ip: r.ip,
  userAgent: r.user_agent,
  signInMethod: r.sign_in_method,
  ssoProviderId: r.sso_provider_id,
});

/** Sessions (refresh-token families) and their refresh tokens, stored as SHA-256 hashes. */
@Injectable()
export class SessionsRepository {
  constructor(private readonly tx: Transactor) {}

  async create(s: {
    orgId: string;
    userId: string;
    expiresAt: Date;
    ip: string | null;
    userAgent: string | null;
    signInMethod: SignInMethod;
    ssoProviderId?: string | null | undefined;
    secondFactor?: SecondFactorMethod | undefined;
  }): Promise<string> {
    const factor = s.secondFactor ? { mfa_at: new Date(), mfa_method: s.secondFactor } : {};
    const row = await this.tx
      .current()
      .insertInto('sessions')
      .values({ org_id: s.orgId, user_id: s.userId, expires_at: s.expiresAt, ip: s.ip, user_agent: s.userAgent, sign_in_method: s.signInMethod, sso_provider_id: s.ssoProviderId ?? null, ...factor })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async addRefreshToken(orgId: string, sessionId: string, tokenHash: Buffer): Promise<void> {
    await this.tx.current().insertInto('refresh_tokens').values({ org_id: orgId, session_id: sessionId, token_hash: tokenHash }).execute();
  }

  /**
   * Marks a refresh token used, atomically: of two concurrent uses exactly one sees `fresh`,
   * the other sees `reused` (and the caller revokes the family).
   */
  async consumeRefreshToken(tokenHash: Buffer): Promise<{ state: 'fresh' | 'reused'; session: SessionRecord } | undefined> {
    const trx = this.tx.current();
    const claimed = await trx
      .updateTable('refresh_tokens')
      .set({ rotated_at: new Date() })
      .where('token_hash', '=', tokenHash)
      .where('rotated_at', 'is', null)
      .returning('session_id')
      .executeTakeFirst();
    const sessionId =
      claimed?.session_id ??
      (await trx.selectFrom('refresh_tokens').select('session_id').where('token_hash', '=', tokenHash).executeTakeFirst())?.session_id;
    if (!sessionId) return undefined;
    const session = await trx.selectFrom('sessions').select(COLUMNS).where('id', '=', sessionId).executeTakeFirstOrThrow();
    return { state: claimed ? 'fresh' : 'reused', session: toSession(session) };
  }

  /** The session has just shown a second factor (step-up, or the enrolment it confirmed). */
  async markSecondFactor(sessionId: string, method: SecondFactorMethod): Promise<Date> {
    const at = new Date();
    await this.tx.current().updateTable('sessions').set({ mfa_at: at, mfa_method: method }).where('id', '=', sessionId).execute();
    return at;
  }

  async touch(sessionId: string): Promise<void> {
    await this.tx.current().updateTable('sessions').set({ last_used_at: new Date() }).where('id', '=', sessionId).execute();
  }

  async revoke(sessionId: string, reason: string): Promise<boolean> {
    const r = await this.tx
      .current()
      .updateTable('sessions')
      .set({ revoked_at: new Date(), revoke_reason: reason })
      .where('id', '=', sessionId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /** Revokes every live session of the user but `keep`; returns how many. */
  async revokeAllForUser(userId: string, reason: string, keep?: string): Promise<number> {
    let q = this.tx
      .current()
      .updateTable('sessions')
      .set({ revoked_at: new Date(), revoke_reason: reason })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null);
    if (keep) q = q.where('id', '!=', keep);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Ends the user's sessions everywhere (a security-definer function: other users' sessions are hidden). */
  async revokeEverywhere(userId: string, reason: string): Promise<number> {
    const { rows } = await sql<{ n: number }>`SELECT guddu_revoke_user_sessions(${userId}::uuid, ${reason}) AS n`.execute(this.tx.current());
    return rows[0]?.n ?? 0;
  }

  async listLive(userId: string, now: Date): Promise<SessionRecord[]> {
    const rows = await this.tx
      .current()
      .selectFrom('sessions')
      .select(COLUMNS)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('last_used_at', 'desc')
      .execute();
    return rows.map(toSession);
  }

  async findById(sessionId: string): Promise<SessionRecord | undefined> {
    const row = await this.tx.current().selectFrom('sessions').select(COLUMNS).where('id', '=', sessionId).executeTakeFirst();
    return row && toSession(row);
  }
}
