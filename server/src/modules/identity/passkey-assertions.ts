import { Inject, Injectable } from '@nestjs/common';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { sha256 } from '../../platform/crypto/tokens.js';
import { Transactor } from '../../platform/database/transactor.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import { identityError } from './identity.errors.js';
import { PasskeysRepository } from './passkeys.repository.js';
import { CEREMONY_TTL_MS, WebAuthn, userIdOfHandle } from './webauthn.js';
import { WebauthnChallengesRepository, type CeremonyBinding } from './webauthn-challenges.repository.js';

/**
 * The steps every passkey ceremony shares: issue a challenge bound to what asked for it, spend
 * it once, and check an assertion against the stored credential, advancing its counter.
 */
@Injectable()
export class PasskeyAssertions {
  constructor(
    private readonly tx: Transactor,
    private readonly passkeys: PasskeysRepository,
    private readonly ceremonies: WebauthnChallengesRepository,
    private readonly webauthn: WebAuthn,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async issue(challenge: string, binding: CeremonyBinding): Promise<void> {
    await this.tx.withTenantBypass('WebAuthn challenges are a system table', () =>
      this.ceremonies.create(sha256(challenge), binding, new Date(Date.now() + CEREMONY_TTL_MS)),
    );
  }

  /** Spent in a transaction of its own, so a failed ceremony does not leave it usable. */
  async claim(challenge: string, binding: CeremonyBinding): Promise<string> {
    const ok = await this.tx.withTenantBypass('WebAuthn challenges are a system table', () => this.ceremonies.claim(sha256(challenge), binding));
    if (!ok) throw identityError('passkey_challenge_invalid', 'The passkey challenge has expired, was used, or was not issued for this; start again');
    return challenge;
  }

  /**
   * The passkey that signed, when its signature holds (for `userId` when one is expected; for
   * whoever owns it in a passwordless sign-in). A counter that did not move forward means two
   * authenticators hold the same key: refused, and the credential keeps its counter.
   */
  async verify(
    response: AuthenticationResponseJSON,
    challenge: string,
    expect: { userId?: string | undefined; requireUserVerification: boolean },
  ): Promise<{ passkeyId: string; userId: string }> {
    const outcome = await this.tx.withTenantBypass('a passkey is found by its credential id before the user is known', async () => {
      const passkey = await this.passkeys.findByCredentialId(Buffer.from(response.rawId || response.id, 'base64url'));
      if (!passkey || (expect.userId && passkey.userId !== expect.userId)) return { kind: 'unknown' as const };
      // A discoverable credential names its user; it must be the one the passkey was registered to.
      const handle = response.response.userHandle;
      if (handle && userIdOfHandle(handle) !== passkey.userId) return { kind: 'unknown' as const };
      const result = await this.webauthn.verifyAssertion(response, challenge, passkey, expect.requireUserVerification);
      if (result.counter < 0) return { kind: 'regressed' as const, passkeyId: passkey.id, userId: passkey.userId };
      await this.passkeys.recordUse(passkey.id, result.counter, result.backedUp);
      return { kind: 'ok' as const, passkeyId: passkey.id, userId: passkey.userId };
    });
    if (outcome.kind === 'unknown') throw identityError('passkey_rejected', 'This passkey is not registered here');
    if (outcome.kind === 'regressed') {
      this.log.warn({ passkeyId: outcome.passkeyId, userId: outcome.userId }, 'passkey signature counter went back: possibly a cloned authenticator');
      throw identityError('passkey_counter_regressed', 'This passkey’s signature counter went back; it may have been copied. Use another factor and remove it.');
    }
    return { passkeyId: outcome.passkeyId, userId: outcome.userId };
  }
}
