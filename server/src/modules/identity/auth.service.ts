import { Inject, Injectable } from '@nestjs/common';
import { AccessTokens } from '../../platform/auth/access-tokens.js';
import type { Config } from '../../platform/config/config.js';
import { CONFIG } from '../../platform/config/config.tokens.js';
import { randomToken, sha256 } from '../../platform/crypto/tokens.js';
import { Transactor } from '../../platform/database/transactor.js';
import { userOf, type RequestContext } from '../../platform/context/request-context.js';
import { AuditService } from '../audit/audit.service.js';
import { FactorsRepository } from './factors.repository.js';
import { identityError } from './identity.errors.js';
import type { FirstFactor, SecondFactorMethod, SignInMethod } from './identity.tables.js';
import { LoginThrottle } from './login-throttle.js';
import { MembershipsRepository } from './memberships.repository.js';
import { MfaChallengesRepository } from './mfa-challenges.repository.js';
import { Passwords } from './passwords.js';
import { hasFactor } from './second-factors.js';
import { SessionsRepository, type SessionRecord } from './sessions.repository.js';
import { SsoRequirement } from './sso-requirement.js';
import { UsersRepository } from './users.repository.js';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
  organisationId: string;
}

/** The answer to a right password when the user has a second factor: prove it next. */
export interface MfaChallengeView {
  mfaRequired: true;
  challengeToken: string;
  expiresIn: number;
  methods: SecondFactorMethod[];
}

export type LoginOutcome = TokenPair | MfaChallengeView;

/** How a session is signed in: its first factor, the provider behind an SSO one, any second factor. */
export interface SignInHow {
  method: SignInMethod;
  ssoProviderId?: string | null | undefined;
  secondFactor?: SecondFactorMethod | undefined;
}

export function isChallenge(outcome: LoginOutcome): outcome is MfaChallengeView {
  return 'mfaRequired' in outcome;
}

/** Long enough to open the authenticator app, short enough that a stolen token is worth little. */
const MFA_CHALLENGE_TTL_SECONDS = 300;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Sign-in, token refresh with rotation and reuse detection, sign-out, own sessions. */
@Injectable()
export class AuthService {
  constructor(
    private readonly tx: Transactor,
    private readonly users: UsersRepository,
    private readonly memberships: MembershipsRepository,
    private readonly sessions: SessionsRepository,
    private readonly passwords: Passwords,
    private readonly throttle: LoginThrottle,
    private readonly tokens: AccessTokens,
    private readonly audit: AuditService,
    private readonly factors: FactorsRepository,
    private readonly challenges: MfaChallengesRepository,
    private readonly ssoRule: SsoRequirement,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async login(ctx: RequestContext, input: { email: string; password: string; organisationId?: string | undefined }): Promise<LoginOutcome> {
    const email = normaliseEmail(input.email);
    // 1. Count the attempt and find the account (no tenant is known yet).
    const { refused, account } = await this.tx.withTenantBypass('sign-in precedes any tenant', async () => ({
      refused: await this.throttle.admit(email, ctx.ip),
      account: await this.users.findCredentialsByEmail(email),
    }));
    if (refused) throw refused;
    // 2. Check the password outside any transaction: argon2 is slow by design.
    const ok = await this.passwords.verify(account?.passwordHash, input.password);
    // A failure was already counted by admit(); only a success needs recording.
    if (!ok || !account || account.status !== 'active') throw identityError('invalid_credentials', 'The email or password is incorrect');
    // 3. Choose the organisation: the one asked for if the user has a role there, else their first.
    const orgId = await this.tx.withTenantBypass('sign-in precedes any tenant', async () => {
      await this.throttle.recordSuccess(email);
      if (input.organisationId) {
        const roles = await this.memberships.effectiveRoles(account.id, input.organisationId);
        return roles.length > 0 ? input.organisationId : undefined;
      }
      return (await this.memberships.listForUser(account.id))[0]?.orgId;
    });
    if (!orgId) throw identityError('no_membership', 'This account has no role in that organisation');
    // 4. Where the organisation requires SSO of this user, a password opens nothing (before any
    // second factor is asked for: the answer is the same whatever the code).
    await this.assertMethodAllowed(ctx, { id: account.id, email }, orgId, 'password');
    // 5. With a second factor enrolled the password alone opens nothing: a challenge to answer.
    const challenge = await this.challengeIfEnrolled(account.id, orgId, 'password');
    if (challenge) return challenge;
    // 6. Open the session and record it, in the organisation's tenant.
    return this.signIn(ctx, account.id, orgId, { method: 'password' });
  }

  /**
   * Every door that opens a session ends here: the SSO rule is checked against how the user
   * signed in (a refusal is recorded and thrown), then the session is opened and audited in the
   * organisation's tenant.
   */
  async signIn(
    ctx: RequestContext,
    userId: string,
    orgId: string,
    how: SignInHow,
    after?: Record<string, unknown>,
  ): Promise<TokenPair> {
    const user = await this.tx.withTenantBypass('sign-in precedes any tenant', () => this.users.findById(userId));
    if (!user) throw identityError('invalid_credentials', 'This account cannot sign in');
    await this.assertMethodAllowed(ctx, user, orgId, how.method, how.ssoProviderId);
    return this.tx.inTenant({ orgId, userId }, async () => {
      const userCtx: RequestContext = { ...ctx, orgId, actor: { type: 'user', id: userId, sessionId: '' } };
      const pair = await this.openSession(userCtx, userId, orgId, how);
      await this.audit.record(userCtx, { action: 'auth.signed_in', targetType: 'session', targetId: pair.sessionId, ...(after ? { after } : {}) });
      return pair.tokens;
    });
  }

  /**
   * The SSO rule at a door: a refusal names the providers that would let the user in, and is
   * recorded in the organisation's audit log (the password, passkey or token was right; the
   * way in was not) before it is thrown.
   */
  async assertMethodAllowed(
    ctx: RequestContext,
    user: { id: string; email: string },
    orgId: string,
    method: SignInMethod | 'unknown',
    ssoProviderId?: string | null,
  ): Promise<void> {
    const refused = await this.tx.withTenantBypass('sign-in precedes any tenant', () => this.ssoRule.refusal(user, orgId, method, ssoProviderId));
    if (!refused) return;
    await this.tx.inTenant({ orgId, userId: user.id }, () =>
      this.audit.record(
        { ...ctx, orgId, actor: { type: 'user', id: user.id, sessionId: '' } },
        { action: 'auth.sign_in_refused', targetType: 'user', targetId: user.id, after: { reason: 'sso_required', method } },
      ),
    );
    throw refused;
  }

  /**
   * The second step every first factor (a password, an identity provider) leads to when the user
   * has a confirmed second factor; undefined when they have none.
   */
  async challengeIfEnrolled(userId: string, orgId: string, firstFactor: FirstFactor, ssoProviderId?: string): Promise<MfaChallengeView | undefined> {
    const issued = await this.tx.withTenantBypass('sign-in precedes any tenant', async () => {
      const enrolled = await this.factors.enrolled(userId);
      if (!hasFactor(enrolled)) return undefined;
      await this.challenges.pruneExpired(userId);
      const token = randomToken();
      const expiresAt = new Date(Date.now() + MFA_CHALLENGE_TTL_SECONDS * 1000);
      await this.challenges.create({ tokenHash: sha256(token), userId, orgId, expiresAt, signInMethod: firstFactor, ssoProviderId });
      // Recovery codes are offered whatever the factor: they are the way back from a lost one.
      const methods: SecondFactorMethod[] = [...(enrolled.totp ? (['totp'] as const) : []), 'recovery_code', ...(enrolled.passkeys > 0 ? (['passkey'] as const) : [])];
      return { token, methods };
    });
    return issued ? { mfaRequired: true, challengeToken: issued.token, expiresIn: MFA_CHALLENGE_TTL_SECONDS, methods: issued.methods } : undefined;
  }

  async refresh(ctx: RequestContext, refreshToken: string): Promise<TokenPair> {
    const outcome = await this.tx.withTenantBypass('a refresh token names its own tenant', async () => {
      const found = await this.sessions.consumeRefreshToken(sha256(refreshToken));
      if (!found) return { kind: 'invalid' as const };
      const { session } = found;
      const actorCtx: RequestContext = { ...ctx, orgId: session.orgId, actor: { type: 'user', id: session.userId, sessionId: session.id } };
      if (found.state === 'reused') {
        // A rotated token came back: someone holds a copy. End the whole family.
        if (await this.sessions.revoke(session.id, 'refresh_token_reuse')) {
          await this.audit.record(actorCtx, { action: 'auth.refresh_token_reused', targetType: 'session', targetId: session.id });
        }
        return { kind: 'reused' as const };
      }
      const user = await this.users.findById(session.userId);
      if (!isLive(session) || user?.status !== 'active') return { kind: 'invalid' as const };
      // A session the SSO rule now refuses (opened by password before the rule, say) can never
      // become usable in its organisation: it ends here rather than rotate on.
      const refused = await this.ssoRule.refusal(user, session.orgId, session.signInMethod, session.ssoProviderId);
      if (refused) {
        await this.sessions.revoke(session.id, 'sso_required');
        await this.audit.record(actorCtx, { action: 'auth.sign_in_refused', targetType: 'session', targetId: session.id, after: { reason: 'sso_required', method: session.signInMethod } });
        return { kind: 'refused' as const, error: refused };
      }
      const next = randomToken();
      await this.sessions.addRefreshToken(session.orgId, session.id, sha256(next));
      await this.sessions.touch(session.id);
      await this.audit.record(actorCtx, { action: 'auth.token_refreshed', targetType: 'session', targetId: session.id });
      return { kind: 'ok' as const, session, refreshToken: next };
    });
    if (outcome.kind === 'reused') throw identityError('refresh_token_reused', 'This refresh token was already used; the session has been ended');
    if (outcome.kind === 'invalid') throw identityError('refresh_token_invalid', 'The refresh token is not valid');
    if (outcome.kind === 'refused') throw outcome.error;
    const { session } = outcome;
    return {
      accessToken: await this.tokens.issue({ sub: session.userId, sid: session.id, org: session.orgId }),
      refreshToken: outcome.refreshToken,
      expiresIn: this.tokens.ttlSeconds,
      tokenType: 'Bearer',
      organisationId: session.orgId,
    };
  }

  /** Ends the caller's own session (runs in the request's tenant transaction). */
  async logout(ctx: RequestContext, sessionId: string): Promise<void> {
    if (await this.sessions.revoke(sessionId, 'logout')) {
      await this.audit.record(ctx, { action: 'auth.signed_out', targetType: 'session', targetId: sessionId });
    }
  }

  /** Ends every session of the caller, on every device and in every organisation, this one too. */
  async signOutEverywhere(ctx: RequestContext): Promise<number> {
    const { id } = userOf(ctx);
    // Row-level security shows a user their own sessions whatever the organisation.
    const ended = await this.sessions.revokeAllForUser(id, 'signed_out_everywhere');
    await this.audit.record(ctx, { action: 'auth.signed_out_everywhere', targetType: 'user', targetId: id, after: { sessionsEnded: ended } });
    return ended;
  }

  listSessions(userId: string): Promise<SessionRecord[]> {
    return this.sessions.listLive(userId, new Date());
  }

  async revokeSession(ctx: RequestContext, sessionId: string): Promise<void> {
    // Row-level security limits this to the caller's own sessions; anything else is not found.
    const session = await this.sessions.findById(sessionId);
    if (!session || !isLive(session)) throw identityError('session_not_found', 'No such session');
    await this.sessions.revoke(sessionId, 'revoked_by_user');
    await this.audit.record(ctx, { action: 'auth.session_revoked', targetType: 'session', targetId: sessionId });
  }

  /** Issues a session for a user in an organisation; the caller owns the transaction. Use signIn(), which checks the SSO rule first. */
  private async openSession(
    ctx: RequestContext,
    userId: string,
    orgId: string,
    how: SignInHow,
  ): Promise<{ sessionId: string; tokens: TokenPair }> {
    const sessionId = await this.sessions.create({
      orgId,
      userId,
      signInMethod: how.method,
      ssoProviderId: how.ssoProviderId,
      secondFactor: how.secondFactor,
      expiresAt: new Date(Date.now() + this.config.refreshTokenTtlSeconds * 1000),
      ip: ctx.ip ?? null,
      userAgent: ctx.userAgent ?? null,
    });
    const refreshToken = randomToken();
    await this.sessions.addRefreshToken(orgId, sessionId, sha256(refreshToken));
    return {
      sessionId,
      tokens: {
        accessToken: await this.tokens.issue({ sub: userId, sid: sessionId, org: orgId }),
        refreshToken,
        expiresIn: this.tokens.ttlSeconds,
        tokenType: 'Bearer',
        organisationId: orgId,
      },
    };
  }
}

function isLive(session: SessionRecord): boolean {
  return session.revokedAt === null && session.expiresAt > new Date();
}
