import { generate, generateSecret, generateURI } from 'otplib';

/** RFC 6238 defaults, which every authenticator app reads: SHA-1, 6 digits, 30 seconds. */
const PERIOD_SECONDS = 30;
/** One step either side: a phone clock up to ~30 s off, or a code typed as it rolled over. */
const WINDOW_STEPS = 1;

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(secret: string, accountName: string, issuer: string): string {
  return generateURI({ issuer, label: accountName, secret, period: PERIOD_SECONDS });
}

export function totpStep(atMs: number): number {
  return Math.floor(atMs / 1000 / PERIOD_SECONDS);
}

/** The code for one time step (HOTP of the step counter, which is what TOTP is). */
export function totpCode(secret: string, step: number): Promise<string> {
  return generate({ secret, strategy: 'hotp', counter: step });
}

/**
 * The time step whose code `code` is, within the window around now and later than
 * `lastUsedStep`; undefined when none. Returning the step lets the caller remember it, so the
 * same code (or an older one) is refused next time: RFC 6238 section 5.2.
 */
export async function matchTotp(secret: string, code: string, lastUsedStep: number | null, nowMs = Date.now()): Promise<number | undefined> {
  if (!/^\d{6}$/.test(code)) return undefined;
  const now = totpStep(nowMs);
  let found: number | undefined;
  // Every step is computed, matched or not, so the time taken says nothing about which matched.
  for (let step = now - WINDOW_STEPS; step <= now + WINDOW_STEPS; step += 1) {
    const expected = await totpCode(secret, step);
    if (constantTimeEqual(expected, code) && (lastUsedStep === null || step > lastUsedStep)) found ??= step;
  }
  return found;
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
