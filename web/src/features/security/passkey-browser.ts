import type { startRegistration } from '@simplewebauthn/browser';

/**
 * The browser side of a passkey ceremony: the server's options in, the authenticator's signed
 * answer out, both as WebAuthn JSON. The server checks everything; nothing here is trusted.
 * The WebAuthn library is fetched at the ceremony: every screen's shell can ask for a factor,
 * few ever do, and the first page should not carry it.
 */
type Options = Record<string, unknown> & { challenge: string };

export async function createPasskey(options: Options) {
  const { startRegistration: start } = await import('@simplewebauthn/browser');
  return start({ optionsJSON: options as unknown as Parameters<typeof startRegistration>[0]['optionsJSON'] });
}

export async function getPasskey(options: Options) {
  const { startAuthentication } = await import('@simplewebauthn/browser');
  return startAuthentication({ optionsJSON: options });
}

/** A person who closed the browser's passkey prompt did not fail; they changed their mind. */
export function passkeyCancelled(err: unknown): boolean {
  return err instanceof Error && (err.name === 'NotAllowedError' || err.name === 'AbortError');
}
