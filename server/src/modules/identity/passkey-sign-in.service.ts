import { Injectable } from '@nestjs/common';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { RequestContext } from '../../platform/context/request-context.js';
import { sha256 } from '../../platform/crypto/tokens.js';
import { Transactor } from '../../platform/database/transactor.js';
import { AuditService } from '../audit/audit.service.js';
import { AuthService, type TokenPair } from './auth.service.js';
import { identityError } from './identity.errors.js';
import { MembershipsRepository } from './memberships.repository.js';
import { MFA_CHALLENGE_MAX_ATTEMPTS, MfaChallengesRepository, type MfaChallenge } from './mfa-challenges.repository.js';
import { PasskeyAssertions } from './passkey-assertions.js';
import { LoginThrottle } from './login-throttle.js';
import { PasskeysRepository } from './passkeys.repository.js';
import { UsersRepository } from './users.repository.js';
import { challengeOf, WebAuthn } from './webauthn.js';

/**
 * Signing in with a passkey: as the second step after a password (or an identity provider),
 * bound to that step's challenge; or with no password at all, where the discoverable credential
 * names its user and user verification (PIN, biometrics) is required, so the passkey alone is
 * two factors. Either way the session records `passkey` and the sign-in policy applies to it on
 * every request as to any other session.
 */
@Injectable()
export class PasskeySignInService {
  constructor(
    private readonly tx: Transactor,
    private readonly assertions: PasskeyAssertions,
    private readonly passkeys: PasskeysRepository,
    private readonly challenges: MfaChallengesRepository,
    private readonly memberships: MembershipsRepository,
    private readonly users: UsersRepository,
    private readonly webauthn: WebAuthn,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly throttle: LoginThrottle,
  ) {}

  /** Options for the second step: only the passkeys of the user whose password was right. */
  async secondStepOptions(challengeToken: string) {
    const found = await this.tx.withTenantBypass('the second step of sign-in precedes any tenant', async () => {
      const challenge = await this.liveChallenge(challengeToken);
      return challenge && { challenge, keys: await this.passkeys.listForUser(challenge.userId) };
    });
    if (!found) throw identityError('mfa_challenge_invalid', 'The sign-in challenge has expired or was used; sign in again');
    if (found.keys.length === 0) throw identityError('mfa_not_enrolled', 'This account has no passkey; use a code');
    const options = await this.webauthn.authenticationOptions(found.keys, 'preferred');
    await this.assertions.issue(options.challenge, { purpose: 'second_step', userId: found.challenge.userId, mfaChallengeId: found.challenge.id });
    return options;
  }

  async completeSecondStep(ctx: RequestContext, challengeToken: string, response: AuthenticationResponseJSON): Promise<TokenPair> {
    const challenge = await this.tx.withTenantBypass('the second step of sign-in precedes any tenant', () => this.liveChallenge(challengeToken));
    if (!challenge) throw identityError('mfa_challenge_invalid', 'The sign-in challenge has expired or was used; sign in again');
    const signed = await this.assertions.claim(challengeOf(response), { purpose: 'second_step', userId: challenge.userId, mfaChallengeId: challenge.id });
    try {
      await this.assertions.verify(response, signed, { userId: challenge.userId, requireUserVerification: false });
    } catch (err) {
      await this.tx.withTenantBypass('a failed second step counts against its challenge', () => this.challenges.countFailure(challenge.id));
      throw err;
    }
    // The password's challenge is spent with the passkey: one first factor, one session.
    const spent = await this.tx.withTenantBypass('the second step of sign-in precedes any tenant', async () => {
      const again = await this.challenges.findForUpdate(sha256(challengeToken));
      if (!again || again.usedAt) return false;
      await this.challenges.markUsed(again.id);
      return (await this.users.findById(again.userId))?.status === 'active';
    });
    if (!spent) throw identityError('mfa_challenge_invalid', 'The sign-in challenge has expired or was used; sign in again');
    // The session records the first step's way in (a password or a provider), the passkey as its second factor.
    return this.auth.signIn(ctx, challenge.userId, challenge.orgId, { method: challenge.signInMethod, ssoProviderId: challenge.ssoProviderId, secondFactor: 'passkey' }, { secondFactor: 'passkey' });
  }

  /** Options for a passwordless sign-in: no user is known, so no credentials are listed. */
  async signInOptions(ip: string | undefined) {
    // Public and unauthenticated, and each call stores a challenge: counted per IP like sign-in.
    const refused = await this.tx.withTenantBypass('sign-in precedes any tenant', () => this.throttle.admitIp(ip));
    if (refused) throw refused;
    const options = await this.webauthn.authenticationOptions(undefined, 'required');
    await this.assertions.issue(options.challenge, { purpose: 'sign_in' });
    return options;
  }

  async signIn(ctx: RequestContext, response: AuthenticationResponseJSON, organisationId: string | undefined): Promise<TokenPair> {
    const signed = await this.assertions.claim(challengeOf(response), { purpose: 'sign_in' });
    const { userId } = await this.assertions.verify(response, signed, { requireUserVerification: true });
    const orgId = await this.tx.withTenantBypass('sign-in precedes any tenant', async () => {
      const user = await this.users.findById(userId);
      if (user?.status !== 'active') throw identityError('invalid_credentials', 'This account cannot sign in');
      if (organisationId) return (await this.memberships.effectiveRoles(userId, organisationId)).length > 0 ? organisationId : undefined;
      return (await this.memberships.listForUser(userId))[0]?.orgId;
    });
    if (!orgId) throw identityError('no_membership', 'This account has no role in that organisation');
    return this.auth.signIn(ctx, userId, orgId, { method: 'passkey', secondFactor: 'passkey' }, { secondFactor: 'passkey', passwordless: true });
  }

  private async liveChallenge(token: string): Promise<MfaChallenge | undefined> {
    const c = await this.challenges.findForUpdate(sha256(token));
    return c && !c.usedAt && c.expiresAt > new Date() && c.attempts < MFA_CHALLENGE_MAX_ATTEMPTS ? c : undefined;
  }
}
