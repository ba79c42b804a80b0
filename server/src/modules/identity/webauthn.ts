import { Inject, Injectable } from '@nestjs/common';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Config } from '../../platform/config/config.js';
import { CONFIG } from '../../platform/config/config.tokens.js';
import { identityError } from './identity.errors.js';
import type { Passkey } from './passkeys.repository.js';

/** How long the browser may take (the user finding their key); the stored challenge lives a little longer. */
export const CEREMONY_TIMEOUT_MS = 120_000;
export const CEREMONY_TTL_MS = CEREMONY_TIMEOUT_MS + 30_000;

export interface NewCredential {
  credentialId: Buffer;
  publicKey: Buffer;
  counter: number;
  transports: string[];
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
}

/** The challenge the browser signed, as it put it in its client data (base64url). */
export function challengeOf(response: { response: { clientDataJSON: string } }): string {
  try {
    const data = JSON.parse(Buffer.from(response.response.clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    if (typeof data.challenge === 'string' && data.challenge.length > 0) return data.challenge;
  } catch {
    // Not JSON: refused below like any other malformed response.
  }
  throw identityError('passkey_rejected', 'The passkey response is malformed');
}

/** A UUID as the 16 bytes WebAuthn carries as the user handle. */
export const userHandleOf = (userId: string) => new Uint8Array(Buffer.from(userId.replace(/-/g, ''), 'hex'));
export const userIdOfHandle = (handle: string): string | undefined => {
  const hex = Buffer.from(handle, 'base64url').toString('hex');
  return hex.length === 32 ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` : undefined;
};

/**
 * The relying party is this installation: its id is the host of GUDDU_PUBLIC_URL and the only
 * origin accepted is that URL's origin, so an assertion made for any other site (phishing
 * look-alike included) does not verify here.
 */
@Injectable()
export class WebAuthn {
  readonly rpId: string;
  readonly origin: string;

  constructor(@Inject(CONFIG) config: Config) {
    const url = new URL(config.publicUrl);
    this.rpId = url.hostname;
    this.origin = url.origin;
  }

  registrationOptions(user: { id: string; email: string; displayName: string }, existing: Passkey[]): Promise<PublicKeyCredentialCreationOptionsJSON> {
    return generateRegistrationOptions({
      rpName: 'Guddu',
      rpID: this.rpId,
      userID: userHandleOf(user.id),
      userName: user.email,
      userDisplayName: user.displayName,
      timeout: CEREMONY_TIMEOUT_MS,
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p.credentialId.toString('base64url'), transports: p.transports as AuthenticatorTransport[] })),
      // Discoverable, so the same passkey also signs in without a password.
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    });
  }

  authenticationOptions(allow: Passkey[] | undefined, userVerification: 'required' | 'preferred'): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return generateAuthenticationOptions({
      rpID: this.rpId,
      timeout: CEREMONY_TIMEOUT_MS,
      userVerification,
      ...(allow ? { allowCredentials: allow.map((p) => ({ id: p.credentialId.toString('base64url'), transports: p.transports as AuthenticatorTransport[] })) } : {}),
    });
  }

  async verifyRegistration(response: RegistrationResponseJSON, expectedChallenge: string): Promise<NewCredential> {
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: this.origin,
      expectedRPID: this.rpId,
      requireUserVerification: false,
    }).catch((err: unknown) => {
      throw identityError('passkey_rejected', 'The passkey could not be verified', { reason: reasonOf(err) });
    });
    if (!result.verified) throw identityError('passkey_rejected', 'The passkey could not be verified');
    const { credential, credentialDeviceType, credentialBackedUp } = result.registrationInfo;
    return {
      credentialId: Buffer.from(credential.id, 'base64url'),
      publicKey: Buffer.from(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports ?? response.response.transports ?? [],
      deviceType: credentialDeviceType,
      backedUp: credentialBackedUp,
    };
  }

  /**
   * Checks the signature against the stored key. The counter is compared here rather than by
   * the library, after the signature holds: only then is a counter that went back evidence of
   * a cloned authenticator rather than noise from a forged response.
   */
  async verifyAssertion(
    response: AuthenticationResponseJSON,
    expectedChallenge: string,
    passkey: Passkey,
    requireUserVerification: boolean,
  ): Promise<{ counter: number; backedUp: boolean; userVerified: boolean }> {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: this.origin,
      expectedRPID: this.rpId,
      requireUserVerification,
      credential: {
        id: passkey.credentialId.toString('base64url'),
        publicKey: new Uint8Array(passkey.publicKey),
        counter: 0,
        transports: passkey.transports,
      },
    }).catch((err: unknown) => {
      throw identityError('passkey_rejected', 'The passkey could not be verified', { reason: reasonOf(err) });
    });
    if (!result.verified) throw identityError('passkey_rejected', 'The passkey could not be verified');
    const { newCounter, credentialBackedUp, userVerified } = result.authenticationInfo;
    // Authenticators that keep no counter send 0 every time (multi-device passkeys do).
    if ((newCounter > 0 || passkey.counter > 0) && newCounter <= passkey.counter) {
      return { counter: -1, backedUp: credentialBackedUp, userVerified };
    }
    return { counter: newCounter, backedUp: credentialBackedUp, userVerified };
  }
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message.slice(0, 200) : 'unknown';
}
