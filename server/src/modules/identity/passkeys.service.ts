import { Injectable } from '@nestjs/common';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { permissionsOf } from '../../platform/access/permissions.js';
import { secondFactorRequired } from '../../platform/auth/second-factor-rule.js';
import { userOf, type RequestContext } from '../../platform/context/request-context.js';
import { Transactor } from '../../platform/database/transactor.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import { AuditService } from '../audit/audit.service.js';
import { FactorsRepository } from './factors.repository.js';
import { identityError } from './identity.errors.js';
import { PasskeyAssertions } from './passkey-assertions.js';
import { PasskeysRepository, type Passkey } from './passkeys.repository.js';
import { assertFreshFactorToAdd, SecondFactors } from './second-factors.js';
import { SessionsRepository } from './sessions.repository.js';
import { UsersRepository } from './users.repository.js';
import { challengeOf, WebAuthn } from './webauthn.js';

export const passkeyView = (p: Passkey) => ({
  id: p.id,
  name: p.name,
  transports: p.transports,
  backedUp: p.backedUp,
  createdAt: p.createdAt.toISOString(),
  lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
});

/**
 * A user's own passkeys: registration (bound to the session that asked), rename, removal, and
 * step-up with a passkey for the current session.
 */
@Injectable()
export class PasskeysService {
  constructor(
    private readonly tx: Transactor,
    private readonly passkeys: PasskeysRepository,
    private readonly factors: FactorsRepository,
    private readonly second: SecondFactors,
    private readonly assertions: PasskeyAssertions,
    private readonly sessions: SessionsRepository,
    private readonly users: UsersRepository,
    private readonly webauthn: WebAuthn,
    private readonly audit: AuditService,
    private readonly events: EventOutbox,
  ) {}

  async list(ctx: RequestContext) {
    return { items: (await this.passkeys.listForUser(userOf(ctx).id)).map(passkeyView) };
  }

  async registrationOptions(ctx: RequestContext) {
    const { id, sessionId } = userOf(ctx);
    assertFreshFactorToAdd(ctx, await this.factors.enrolled(id));
    const user = await this.users.findById(id);
    if (!user) throw identityError('user_not_found', 'No such user');
    const options = await this.webauthn.registrationOptions(user, await this.passkeys.listForUser(id));
    await this.assertions.issue(options.challenge, { purpose: 'register', userId: id, sessionId });
    return options;
  }

  /**
   * The browser's new credential: verified against the challenge this session was given, then
   * stored. A user's first factor also brings ten recovery codes (shown once), as TOTP does,
   * and the session counts as having shown a passkey.
   */
  async register(ctx: RequestContext, name: string | undefined, response: RegistrationResponseJSON) {
    const { id, sessionId } = userOf(ctx);
    const challenge = await this.assertions.claim(challengeOf(response), { purpose: 'register', userId: id, sessionId });
    const credential = await this.webauthn.verifyRegistration(response, challenge);
    const taken = await this.tx.withTenantBypass('a credential id is unique across all users', () => this.passkeys.credentialTaken(credential.credentialId));
    if (taken) throw identityError('passkey_already_registered', 'This passkey is already registered');
    const before = await this.factors.enrolled(id);
    const passkey = await this.passkeys.insert({ userId: id, name: name ?? defaultName(before.passkeys), ...credential });
    const recoveryCodes = !before.totp && before.passkeys === 0 ? await this.second.issueRecoveryCodes(id) : undefined;
    await this.sessions.markSecondFactor(sessionId, 'passkey');
    await this.audit.record(ctx, { action: 'auth.passkey_registered', targetType: 'passkey', targetId: passkey.id, after: { name: passkey.name, backedUp: passkey.backedUp } });
    await this.events.emit(ctx, 'identity.second_factor_enrolled', { userId: id, factor: 'passkey' }, { aggregateType: 'user', aggregateId: id });
    return { passkey: passkeyView(passkey), ...(recoveryCodes ? { recoveryCodes } : {}) };
  }

  async rename(ctx: RequestContext, passkeyId: string, name: string) {
    // Row-level security: another user's passkey is not found.
    const before = await this.passkeys.findById(passkeyId);
    if (!before || !(await this.passkeys.rename(passkeyId, name))) throw identityError('passkey_not_found', 'No such passkey');
    await this.audit.record(ctx, { action: 'auth.passkey_renamed', targetType: 'passkey', targetId: passkeyId, before: { name: before.name }, after: { name } });
    return passkeyView({ ...before, name });
  }

  /**
   * Removes a passkey (a step-up route). The last factor of someone an organisation requires
   * one of cannot be removed: that would lock the session out at its next request.
   */
  async remove(ctx: RequestContext, passkeyId: string) {
    const { id } = userOf(ctx);
    const passkey = await this.passkeys.findById(passkeyId);
    if (!passkey) throw identityError('passkey_not_found', 'No such passkey');
    const enrolled = await this.factors.enrolled(id);
    const required = ctx.secondFactor ? secondFactorRequired(ctx.secondFactor, permissionsOf(ctx.roles)) : false;
    if (required && !enrolled.totp && enrolled.passkeys <= 1) {
      throw identityError('mfa_last_factor', 'This organisation requires a second factor: add another before removing your last');
    }
    await this.passkeys.remove(passkeyId);
    await this.audit.record(ctx, { action: 'auth.passkey_removed', targetType: 'passkey', targetId: passkeyId, before: { name: passkey.name } });
  }

  async stepUpOptions(ctx: RequestContext) {
    const { id, sessionId } = userOf(ctx);
    const mine = await this.passkeys.listForUser(id);
    if (mine.length === 0) throw identityError('mfa_not_enrolled', 'Register a passkey first');
    const options = await this.webauthn.authenticationOptions(mine, 'preferred');
    await this.assertions.issue(options.challenge, { purpose: 'step_up', userId: id, sessionId });
    return options;
  }

  /** The current session shows a passkey now: step-up, as a code does through /auth/mfa/step-up. */
  async stepUp(ctx: RequestContext, response: AuthenticationResponseJSON) {
    const { id, sessionId } = userOf(ctx);
    const challenge = await this.assertions.claim(challengeOf(response), { purpose: 'step_up', userId: id, sessionId });
    const verified = await this.assertions.verify(response, challenge, { userId: id, requireUserVerification: false });
    const at = await this.sessions.markSecondFactor(sessionId, 'passkey');
    const recoveryCodesLeft = await this.factors.countUnusedRecoveryCodes(id);
    await this.audit.record(ctx, { action: 'auth.mfa_verified', targetType: 'session', targetId: sessionId, after: { method: 'passkey', passkeyId: verified.passkeyId } });
    return { method: 'passkey' as const, verifiedAt: at.toISOString(), recoveryCodesLeft };
  }
}

const defaultName = (count: number) => (count === 0 ? 'Passkey' : `Passkey ${count + 1}`);
