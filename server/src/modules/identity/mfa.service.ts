import { Injectable } from '@nestjs/common';
import { permissionsOf } from '../../platform/access/permissions.js';
import { secondFactorRequired } from '../../platform/auth/second-factor-rule.js';
import { userOf, type RequestContext } from '../../platform/context/request-context.js';
import { sha256 } from '../../platform/crypto/tokens.js';
import { Transactor } from '../../platform/database/transactor.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import { AuditService } from '../audit/audit.service.js';
import { AuthService, type TokenPair } from './auth.service.js';
import { FactorsRepository } from './factors.repository.js';
import { identityError } from './identity.errors.js';
import type { SecondFactorMethod } from './identity.tables.js';
import { LoginThrottle } from './login-throttle.js';
import { MFA_CHALLENGE_MAX_ATTEMPTS, MfaChallengesRepository } from './mfa-challenges.repository.js';
import { assertFreshFactorToAdd, SecondFactors } from './second-factors.js';
import { SessionsRepository } from './sessions.repository.js';
import { totpUri } from './totp.js';
import { UsersRepository } from './users.repository.js';

const TOTP_ISSUER = 'Guddu';

/**
 * A user's own second factors: TOTP enrolment and confirmation, recovery codes, step-up for the
 * current session, and the second step of a two-step sign-in.
 */
@Injectable()
export class MfaService {
  constructor(
    private readonly tx: Transactor,
    private readonly factors: FactorsRepository,
    private readonly second: SecondFactors,
    private readonly challenges: MfaChallengesRepository,
    private readonly sessions: SessionsRepository,
    private readonly users: UsersRepository,
    private readonly throttle: LoginThrottle,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly events: EventOutbox,
  ) {}

  async status(ctx: RequestContext) {
    const { id } = userOf(ctx);
    const totp = await this.factors.findTotp(id);
    const { passkeys } = await this.factors.enrolled(id);
    const state = ctx.secondFactor;
    return {
      passkeys,
      totp: { state: totp?.confirmedAt ? ('confirmed' as const) : totp ? ('pending' as const) : ('none' as const), confirmedAt: totp?.confirmedAt?.toISOString() ?? null },
      recoveryCodesLeft: await this.factors.countUnusedRecoveryCodes(id),
      requiredHere: state ? secondFactorRequired(state, permissionsOf(ctx.roles)) : false,
      session: { verifiedAt: state?.verifiedAt?.toISOString() ?? null, method: state?.method ?? null },
      stepUpMinutes: state?.stepUpMinutes ?? 10,
    };
  }

  /** A new secret to scan; a confirmed factor is not replaced this way (an admin resets it). */
  async startTotp(ctx: RequestContext): Promise<{ secret: string; otpauthUri: string }> {
    const { id } = userOf(ctx);
    const user = await this.users.findById(id);
    if (!user) throw identityError('user_not_found', 'No such user');
    if ((await this.factors.findTotp(id))?.confirmedAt) throw identityError('mfa_already_enrolled', 'An authenticator is already enrolled');
    assertFreshFactorToAdd(ctx, await this.factors.enrolled(id));
    const secret = await this.second.startTotp(id);
    await this.audit.record(ctx, { action: 'auth.mfa_enrolment_started', targetType: 'user', targetId: id, after: { factor: 'totp' } });
    return { secret, otpauthUri: totpUri(secret, user.email, TOTP_ISSUER) };
  }

  /**
   * The first code from the app proves the secret was scanned: the factor is confirmed, ten
   * recovery codes are issued (shown this once), and this session counts as having shown it.
   */
  async confirmTotp(ctx: RequestContext, code: string): Promise<{ recoveryCodes: string[] }> {
    const { id, sessionId } = userOf(ctx);
    await this.admit(id);
    const match = await this.second.matchPending(id, code);
    if (match === 'not_pending') throw identityError('mfa_not_pending', 'There is no authenticator enrolment to confirm; start one first');
    if (match === 'wrong_code') throw identityError('mfa_code_invalid', 'The code is not valid');
    await this.factors.confirmTotp(id, match.step);
    const recoveryCodes = await this.second.issueRecoveryCodes(id);
    await this.sessions.markSecondFactor(sessionId, 'totp');
    await this.forgiveAttempts(id);
    await this.audit.record(ctx, { action: 'auth.mfa_enrolled', targetType: 'user', targetId: id, after: { factor: 'totp', recoveryCodes: recoveryCodes.length } });
    await this.events.emit(ctx, 'identity.second_factor_enrolled', { userId: id, factor: 'totp' }, { aggregateType: 'user', aggregateId: id });
    return { recoveryCodes };
  }

  /** The current session shows a second factor now: step-up, or a session opened before enrolment. */
  async stepUp(ctx: RequestContext, code: string): Promise<{ method: SecondFactorMethod; verifiedAt: string; recoveryCodesLeft: number }> {
    const { id, sessionId } = userOf(ctx);
    await this.admit(id);
    const method = await this.second.verify(id, code);
    if (!method) throw identityError('mfa_code_invalid', 'The code is not valid');
    const at = await this.sessions.markSecondFactor(sessionId, method);
    await this.forgiveAttempts(id);
    const recoveryCodesLeft = await this.factors.countUnusedRecoveryCodes(id);
    await this.audit.record(ctx, { action: 'auth.mfa_verified', targetType: 'session', targetId: sessionId, after: { method, recoveryCodesLeft } });
    return { method, verifiedAt: at.toISOString(), recoveryCodesLeft };
  }

  /** A fresh set of recovery codes (the old ones stop working), against a current code. */
  async regenerateRecoveryCodes(ctx: RequestContext, code: string): Promise<{ recoveryCodes: string[] }> {
    const { id } = userOf(ctx);
    if (!(await this.factors.findTotp(id))?.confirmedAt) throw identityError('mfa_not_enrolled', 'Enrol an authenticator first');
    await this.admit(id);
    const method = await this.second.verify(id, code);
    if (!method) throw identityError('mfa_code_invalid', 'The code is not valid');
    await this.forgiveAttempts(id);
    const recoveryCodes = await this.second.issueRecoveryCodes(id);
    await this.audit.record(ctx, { action: 'auth.mfa_recovery_codes_regenerated', targetType: 'user', targetId: id, after: { method } });
    return { recoveryCodes };
  }

  /** The second step of sign-in: the challenge from the right password, and a code. */
  async completeSignIn(ctx: RequestContext, challengeToken: string, code: string): Promise<TokenPair> {
    const outcome = await this.tx.withTenantBypass('the second step of sign-in precedes any tenant', async () => {
      const challenge = await this.challenges.findForUpdate(sha256(challengeToken));
      if (!challenge || challenge.usedAt || challenge.expiresAt <= new Date() || challenge.attempts >= MFA_CHALLENGE_MAX_ATTEMPTS) {
        return { kind: 'invalid' as const };
      }
      // Counted before the code is checked, and committed with the outcome: returned, not thrown.
      const refused = await this.throttle.admitSecondFactor(challenge.userId);
      if (refused) return { kind: 'refused' as const, error: refused };
      const user = await this.users.findById(challenge.userId);
      if (user?.status !== 'active') return { kind: 'invalid' as const };
      const method = await this.second.verify(challenge.userId, code);
      if (!method) {
        await this.challenges.countFailure(challenge.id);
        return { kind: 'wrong' as const };
      }
      await this.challenges.markUsed(challenge.id);
      await this.throttle.recordSecondFactorSuccess(challenge.userId);
      return { kind: 'ok' as const, userId: challenge.userId, orgId: challenge.orgId, method, firstFactor: challenge.signInMethod, ssoProviderId: challenge.ssoProviderId };
    });
    if (outcome.kind === 'invalid') throw identityError('mfa_challenge_invalid', 'The sign-in challenge has expired or was used; sign in again');
    if (outcome.kind === 'refused') throw outcome.error;
    if (outcome.kind === 'wrong') throw identityError('mfa_code_invalid', 'The code is not valid');
    const { userId, orgId, method, firstFactor, ssoProviderId } = outcome;
    return this.auth.signIn(ctx, userId, orgId, { method: firstFactor, ssoProviderId, secondFactor: method }, { secondFactor: method });
  }

  /** Second-factor attempts count in a transaction of their own: a wrong code rolls back the rest. */
  private async admit(userId: string): Promise<void> {
    const refused = await this.tx.withTenantBypass('second-factor attempts count whatever the outcome', () => this.throttle.admitSecondFactor(userId));
    if (refused) throw refused;
  }

  private async forgiveAttempts(userId: string): Promise<void> {
    await this.tx.withTenantBypass('a right second factor clears its attempt count', () => this.throttle.recordSecondFactorSuccess(userId));
  }
}
