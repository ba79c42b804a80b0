import { describe, expect, it } from 'vitest';
import type { RequestContext } from '../../platform/context/request-context.js';
import { assertFreshFactorToAdd } from './second-factors.js';
import { challengeOf, userHandleOf, userIdOfHandle } from './webauthn.js';

const clientData = (o: unknown) => ({ response: { clientDataJSON: Buffer.from(JSON.stringify(o)).toString('base64url') } });

describe('WebAuthn helpers', () => {
  it('reads the challenge the browser signed, and refuses client data without one', () => {
    expect(challengeOf(clientData({ type: 'webauthn.get', challenge: 'abc_-1' }))).toBe('abc_-1');
    expect(() => challengeOf(clientData({ type: 'webauthn.get' }))).toThrow(/malformed/);
    expect(() => challengeOf({ response: { clientDataJSON: Buffer.from('not json').toString('base64url') } })).toThrow(/malformed/);
  });

  it('carries a user id as a 16-byte handle and back, and rejects a handle of another length', () => {
    const id = '0190e3a2-7b1c-7d4e-9f00-1234567890ab';
    const handle = Buffer.from(userHandleOf(id)).toString('base64url');
    expect(Buffer.from(handle, 'base64url')).toHaveLength(16);
    expect(userIdOfHandle(handle)).toBe(id);
    expect(userIdOfHandle(Buffer.alloc(15).toString('base64url'))).toBeUndefined();
  });
});

describe('adding a factor', () => {
  const ctx = (verifiedAt: Date | null): RequestContext =>
    ({ secondFactor: { verifiedAt, method: verifiedAt ? 'totp' : null, enrolled: true, requiredFor: 'nobody', stepUpMinutes: 10 } }) as unknown as RequestContext;
  const now = Date.parse('2026-12-07T12:00:00Z');

  it('asks nothing of a user with no factor yet', () => {
    expect(() => assertFreshFactorToAdd(ctx(null), { totp: false, passkeys: 0 }, now)).not.toThrow();
  });

  it('needs a factor shown within the step-up minutes when the user has one', () => {
    expect(() => assertFreshFactorToAdd(ctx(new Date(now - 9 * 60_000)), { totp: true, passkeys: 0 }, now)).not.toThrow();
    expect(() => assertFreshFactorToAdd(ctx(new Date(now - 11 * 60_000)), { totp: false, passkeys: 1 }, now)).toThrow(/within the last 10 minutes/);
    expect(() => assertFreshFactorToAdd(ctx(null), { totp: true, passkeys: 0 }, now)).toThrow();
  });
});
