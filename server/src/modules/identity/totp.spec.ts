import { describe, expect, it } from 'vitest';
import { matchTotp, newTotpSecret, totpCode, totpStep, totpUri } from './totp.js';

describe('TOTP', () => {
  const secret = newTotpSecret();
  const now = Date.UTC(2026, 11, 7, 12, 0, 10);
  const step = totpStep(now);

  it('matches the RFC 6238 test vector (SHA-1, T = 59 s)', async () => {
    // RFC 6238 appendix B: secret "12345678901234567890", 8 digits 94287082 → its last 6.
    const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(await totpCode(rfcSecret, totpStep(59_000))).toBe('287082');
  });

  it('accepts the codes of the previous, current and next step, and no further', async () => {
    for (const offset of [-1, 0, 1]) expect(await matchTotp(secret, await totpCode(secret, step + offset), null, now)).toBe(step + offset);
    for (const offset of [-2, 2]) expect(await matchTotp(secret, await totpCode(secret, step + offset), null, now)).toBeUndefined();
  });

  it('refuses a code of a step already used, or of an earlier one', async () => {
    const code = await totpCode(secret, step);
    expect(await matchTotp(secret, code, step, now)).toBeUndefined();
    expect(await matchTotp(secret, await totpCode(secret, step - 1), step, now)).toBeUndefined();
    expect(await matchTotp(secret, await totpCode(secret, step + 1), step, now)).toBe(step + 1);
  });

  it('refuses what is not six digits', async () => {
    expect(await matchTotp(secret, '12345', null, now)).toBeUndefined();
    expect(await matchTotp(secret, 'abcdef', null, now)).toBeUndefined();
  });

  it('builds an otpauth URI an authenticator app can scan', () => {
    const uri = new URL(totpUri(secret, 'ana@example.org', 'Guddu'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Guddu');
  });
});
