import { startAuthentication, startRegistration } from '@simplewebauthn/browser';

/**
 * The browser side of a passkey ceremony: the server's options in, the authenticator's signed
 * answer out, both as WebAuthn JSON. The server checks everything; nothing here is trusted.
 */
type Options = Record<string, unknown> & { challenge: string };

export function createPasskey(options: Options) {
  return startRegistration({ optionsJSON: options as unknown as Parameters<typeof startRegistration>[0]['optionsJSON'] });
}

export function getPasskey(options: Options) {
  return startAuthentication({ optionsJSON: options });
}

/** A person who closed the browser's passkey prompt did not fail; they changed their mind. */
export function passkeyCancelled(err: unknown): boolean {
  return err instanceof Error && (err.name === 'NotAllowedError' || err.name === 'AbortError');
}
