import { randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyStore } from '../src/platform/auth/key-store.js';
import { addUser, call, PASSWORD, seedRootOrg, startTestApp, type TestApp } from './harness.js';

const ACCOUNT_LIMIT = 3;
// The harness signs in from 127.0.0.1 (inject's default address); every attempt this file makes
// itself comes from its own documentation-range address, so only the IP test reaches this limit.
const IP_LIMIT = 40;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    GUDDU_LOGIN_MAX_FAILURES_PER_ACCOUNT: String(ACCOUNT_LIMIT),
    GUDDU_LOGIN_MAX_ATTEMPTS_PER_IP: String(IP_LIMIT),
  });
});
afterAll(async () => t?.close());

let lastIp = 0;
const freshIp = () => `198.51.${Math.floor(++lastIp / 250)}.${(lastIp % 250) + 1}`;

interface Pair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: string;
  organisationId: string;
}

const attempt = (email: string, password = PASSWORD, ip = freshIp()) =>
  call(t, { method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: ip });

async function signIn(email: string, password = PASSWORD): Promise<Pair> {
  const res = await attempt(email, password);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Pair>();
}

const refresh = (refreshToken: string) => call(t, { method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });
const me = (token: string, org?: string) => call(t, { method: 'GET', url: '/api/v1/me', token, ...(org ? { org } : {}) });
const sessionId = (accessToken: string) => decodeJwt(accessToken).sid as string;
const codeOf = (res: { json: <T>() => T }) => res.json<{ code: string }>().code;

describe('sign-in', () => {
  it('returns an access token, a refresh token and expiresIn of 900 seconds', async () => {
    const { orgId, ownerEmail } = await seedRootOrg(t, 'Ministry Sign-in');
    const pair = await signIn(ownerEmail);
    expect(pair).toMatchObject({ expiresIn: 900, tokenType: 'Bearer', organisationId: orgId });
    expect(pair.accessToken.split('.')).toHaveLength(3);
    expect(pair.refreshToken.length).toBeGreaterThanOrEqual(32);
    const who = await me(pair.accessToken);
    expect(who.statusCode).toBe(200);
    expect(who.json<{ user: { email: string } }>().user.email).toBe(ownerEmail);
  });

  it('answers a wrong password and an unknown email with the same 401 invalid_credentials', async () => {
    const { ownerEmail } = await seedRootOrg(t, 'Ministry Enumeration');
    const wrong = await attempt(ownerEmail, 'not-the-right-passphrase');
    const unknown = await attempt(`nobody-${randomUUID()}@mea.gov.in`, 'not-the-right-passphrase');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(codeOf(wrong)).toBe('invalid_credentials');
    expect(wrong.headers['content-type']).toBe(unknown.headers['content-type']);
    const strip = (body: Record<string, unknown>) => ({ ...body, correlationId: undefined });
    expect(strip(wrong.json())).toEqual(strip(unknown.json()));
  });

  it('matches the email case-insensitively', async () => {
    const { ownerEmail, owner } = await seedRootOrg(t, 'Ministry Case');
    const pair = await signIn(ownerEmail.toUpperCase());
    expect(decodeJwt(pair.accessToken).sub).toBe(owner.userId);
  });
});

describe('refresh tokens', () => {
  it('rotates on refresh; replaying the spent token ends the whole session', async () => {
    const { ownerEmail } = await seedRootOrg(t, 'Ministry Rotation');
    const first = await signIn(ownerEmail);
    const rotated = await refresh(first.refreshToken);
    expect(rotated.statusCode).toBe(200);
    const second = rotated.json<Pair>();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(sessionId(second.accessToken)).toBe(sessionId(first.accessToken));
    expect((await me(second.accessToken)).statusCode).toBe(200);

    const replay = await refresh(first.refreshToken);
    expect(replay.statusCode).toBe(401);
    expect(codeOf(replay)).toBe('refresh_token_reused');
    // The token issued by the legitimate rotation belongs to the same family, so it dies too.
    const next = await refresh(second.refreshToken);
    expect(next.statusCode).toBe(401);
    expect(codeOf(next)).toBe('refresh_token_invalid');
    const after = await me(second.accessToken);
    expect(after.statusCode).toBe(401);
    expect(codeOf(after)).toBe('session_revoked');
  });

  it('lets exactly one of two concurrent refreshes with the same token succeed', async () => {
    const { ownerEmail } = await seedRootOrg(t, 'Ministry Race');
    const pair = await signIn(ownerEmail);
    const results = await Promise.all([refresh(pair.refreshToken), refresh(pair.refreshToken)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401]);
    expect(codeOf(results.find((r) => r.statusCode === 401)!)).toBe('refresh_token_reused');
  });
});

describe('sign-out and sessions', () => {
  it('signing out ends the session: its access token and refresh token stop working', async () => {
    const { ownerEmail } = await seedRootOrg(t, 'Ministry Logout');
    const pair = await signIn(ownerEmail);
    expect((await me(pair.accessToken)).statusCode).toBe(200);
    const out = await call(t, { method: 'POST', url: '/api/v1/auth/logout', token: pair.accessToken });
    expect(out.statusCode).toBe(204);
    const after = await me(pair.accessToken);
    expect(after.statusCode).toBe(401);
    expect(codeOf(after)).toBe('session_revoked');
    const again = await refresh(pair.refreshToken);
    expect(again.statusCode).toBe(401);
    expect(codeOf(again)).toBe('refresh_token_invalid');
  });

  it('lists my live sessions and marks only the calling one as current', async () => {
    const { ownerEmail, owner } = await seedRootOrg(t, 'Ministry Sessions');
    const laptop = await signIn(ownerEmail);
    const phone = await signIn(ownerEmail);
    const res = await call(t, { method: 'GET', url: '/api/v1/auth/sessions', token: laptop.accessToken });
    expect(res.statusCode).toBe(200);
    const items = res.json<{ items: { id: string; current: boolean }[] }>().items;
    const expected = [owner.accessToken, laptop.accessToken, phone.accessToken].map(sessionId);
    expect(items.map((s) => s.id).sort()).toEqual(expected.sort());
    expect(items.filter((s) => s.current).map((s) => s.id)).toEqual([sessionId(laptop.accessToken)]);
  });

  it('revokes another of my sessions, and answers 404 for an unknown or foreign session', async () => {
    const { orgId, ownerEmail } = await seedRootOrg(t, 'Ministry Revoke');
    const laptop = await signIn(ownerEmail);
    const phone = await signIn(ownerEmail);
    const revoke = (id: string) => call(t, { method: 'DELETE', url: `/api/v1/auth/sessions/${id}`, token: laptop.accessToken });
    expect((await revoke(sessionId(phone.accessToken))).statusCode).toBe(204);
    const dead = await me(phone.accessToken);
    expect(dead.statusCode).toBe(401);
    expect(codeOf(dead)).toBe('session_revoked');
    expect((await me(laptop.accessToken)).statusCode).toBe(200);

    const unknown = await revoke(randomUUID());
    expect(unknown.statusCode).toBe(404);
    expect(codeOf(unknown)).toBe('session_not_found');
    // Someone else's session, even in the same organisation, is not mine to end.
    const colleague = await addUser(t, orgId, 'editor');
    const foreign = await revoke(sessionId(colleague.session.accessToken));
    expect(foreign.statusCode).toBe(404);
    expect((await me(colleague.session.accessToken)).statusCode).toBe(200);
  });
});

describe('password change', () => {
  const change = (token: string, currentPassword: string, newPassword: string) =>
    call(t, { method: 'POST', url: '/api/v1/auth/password', token, payload: { currentPassword, newPassword } });
  const NEW_PASSWORD = 'river-lantern-over-kochi-bay';

  it('refuses a wrong current password with 401 and keeps the old one', async () => {
    const { ownerEmail } = await seedRootOrg(t, 'Ministry Password A');
    const pair = await signIn(ownerEmail);
    const res = await change(pair.accessToken, 'not-my-current-passphrase', NEW_PASSWORD);
    expect(res.statusCode).toBe(401);
    expect(codeOf(res)).toBe('invalid_credentials');
    expect((await attempt(ownerEmail, NEW_PASSWORD)).statusCode).toBe(401);
    await signIn(ownerEmail, PASSWORD);
  });

  it('refuses a weak new password with 400 weak_password', async () => {
    const { ownerEmail } = await seedRootOrg(t, 'Ministry Password B');
    const pair = await signIn(ownerEmail);
    const res = await change(pair.accessToken, PASSWORD, 'password1234');
    expect(res.statusCode).toBe(400);
    expect(codeOf(res)).toBe('weak_password');
    expect((await attempt(ownerEmail, 'password1234')).statusCode).toBe(401);
  });

  it('ends my other sessions, keeps the current one, and the new password signs in', async () => {
    const { ownerEmail } = await seedRootOrg(t, 'Ministry Password C');
    const here = await signIn(ownerEmail);
    const elsewhere = await signIn(ownerEmail);
    expect((await change(here.accessToken, PASSWORD, NEW_PASSWORD)).statusCode).toBe(204);
    expect((await me(here.accessToken)).statusCode).toBe(200);
    const ended = await me(elsewhere.accessToken);
    expect(ended.statusCode).toBe(401);
    expect(codeOf(ended)).toBe('session_revoked');
    expect((await refresh(elsewhere.refreshToken)).statusCode).toBe(401);
    expect((await attempt(ownerEmail, PASSWORD)).statusCode).toBe(401);
    await signIn(ownerEmail, NEW_PASSWORD);
  });
});

describe('sign-in throttling', () => {
  it(`refuses the attempt after ${ACCOUNT_LIMIT} failures with 429 and Retry-After, even with the right password`, async () => {
    const { ownerEmail } = await seedRootOrg(t, 'Ministry Throttle A');
    // Each attempt from a different address: this is the account's count, not an IP's.
    for (let i = 0; i < ACCOUNT_LIMIT; i++) expect((await attempt(ownerEmail, `wrong-guess-number-${i}`)).statusCode).toBe(401);
    const res = await attempt(ownerEmail, PASSWORD);
    expect(res.statusCode).toBe(429);
    expect(codeOf(res)).toBe('login_throttled');
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  });

  it('holds the account limit against a burst of parallel guesses', async () => {
    const { ownerEmail } = await seedRootOrg(t, 'Ministry Throttle Burst');
    const answers = await Promise.all(Array.from({ length: 15 }, (_, i) => attempt(ownerEmail, `parallel-guess-${i}`)));
    const statuses = answers.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(ACCOUNT_LIMIT);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15 - ACCOUNT_LIMIT);
  });

  it('forgives the provisional count of a successful sign-in', async () => {
    const { ownerEmail } = await seedRootOrg(t, 'Ministry Throttle Success');
    for (let i = 0; i < ACCOUNT_LIMIT + 2; i++) expect((await attempt(ownerEmail)).statusCode).toBe(200);
  });

  it('throttles an unknown email exactly like a known one', async () => {
    const email = `ghost-${randomUUID().slice(0, 8)}@mea.gov.in`;
    for (let i = 0; i < ACCOUNT_LIMIT; i++) expect(codeOf(await attempt(email, `wrong-guess-number-${i}`))).toBe('invalid_credentials');
    const res = await attempt(email, 'wrong-guess-number-x');
    expect(res.statusCode).toBe(429);
    expect(codeOf(res)).toBe('login_throttled');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses every attempt from one IP once it is over the limit, whatever the account', async () => {
    const { ownerEmail } = await seedRootOrg(t, 'Ministry Throttle IP');
    const ip = '203.0.113.9';
    // Distinct unknown emails, so no account reaches its own limit.
    for (let i = 0; i < IP_LIMIT; i++) {
      expect((await attempt(`spray-${i}-${randomUUID().slice(0, 6)}@mea.gov.in`, 'spray-guess-passphrase', ip)).statusCode).toBe(401);
    }
    const blocked = await attempt(ownerEmail, PASSWORD, ip);
    expect(blocked.statusCode).toBe(429);
    expect(codeOf(blocked)).toBe('login_throttled');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await attempt(ownerEmail, PASSWORD, '203.0.113.10')).statusCode).toBe(200);
  });
});

describe('deactivated users', () => {
  it("refuses a deactivated user's existing token at once and lets them sign in no more", async () => {
    const { orgId, owner } = await seedRootOrg(t, 'Ministry Deactivate');
    const { email, session } = await addUser(t, orgId, 'editor');
    expect((await me(session.accessToken)).statusCode).toBe(200);
    const res = await call(t, { method: 'POST', url: `/api/v1/users/${session.userId}/deactivate`, token: owner.accessToken });
    expect(res.statusCode).toBe(204);
    const after = await me(session.accessToken);
    expect(after.statusCode).toBe(401);
    expect(codeOf(after)).toBe('session_revoked');
    expect((await refresh(session.refreshToken)).statusCode).toBe(401);
    const again = await attempt(email, PASSWORD);
    expect(again.statusCode).toBe(401);
    expect(codeOf(again)).toBe('invalid_credentials');
  });
});

describe('access tokens', () => {
  /** A token shaped exactly like ours, signed with `key` under `kid`, expiring at `exp` (epoch seconds). */
  async function forge(claims: { sub: string; sid: string; org: string }, key: CryptoKey, kid: string, exp: number) {
    return new SignJWT({ sid: claims.sid, org: claims.org })
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
      .setSubject(claims.sub)
      .setIssuer('guddu')
      .setAudience('guddu-api')
      .setIssuedAt(exp - 900)
      .setExpirationTime(exp)
      .sign(key);
  }

  async function realClaims() {
    const { owner } = await seedRootOrg(t, 'Ministry Tokens');
    const { sub, sid, org } = decodeJwt(owner.accessToken) as { sub: string; sid: string; org: string };
    return { sub, sid, org };
  }

  it('refuses a request without a token (401 unauthenticated) and a malformed one (401 token_invalid)', async () => {
    const none = await call(t, { method: 'GET', url: '/api/v1/me' });
    expect(none.statusCode).toBe(401);
    expect(codeOf(none)).toBe('unauthenticated');
    const garbage = await me('not-a-jwt');
    expect(garbage.statusCode).toBe(401);
    expect(codeOf(garbage)).toBe('token_invalid');
  });

  it('refuses a token signed by another key, even under a current kid', async () => {
    const claims = await realClaims();
    const { kid, key } = t.app.get(KeyStore).signingKey();
    const now = Math.floor(Date.now() / 1000);
    // The control: the same token signed with our key is accepted.
    expect((await me(await forge(claims, key, kid, now + 600))).statusCode).toBe(200);
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const res = await me(await forge(claims, privateKey, kid, now + 600));
    expect(res.statusCode).toBe(401);
    expect(codeOf(res)).toBe('token_invalid');
  });

  it('refuses an expired token with 401 token_expired', async () => {
    const claims = await realClaims();
    const { kid, key } = t.app.get(KeyStore).signingKey();
    const res = await me(await forge(claims, key, kid, Math.floor(Date.now() / 1000) - 5));
    expect(res.statusCode).toBe(401);
    expect(codeOf(res)).toBe('token_expired');
  });

  it('answers 400 for an x-guddu-org that is not an id, and 404 for an organisation where I have no role', async () => {
    const a = await seedRootOrg(t, 'Ministry Header A');
    const b = await seedRootOrg(t, 'Ministry Header B');
    const list = (org: string) => call(t, { method: 'GET', url: '/api/v1/users', token: a.owner.accessToken, org });
    expect((await list(a.orgId)).statusCode).toBe(200);
    const bad = await list('not-a-uuid');
    expect(bad.statusCode).toBe(400);
    expect(codeOf(bad)).toBe('validation_failed');
    const foreign = await list(b.orgId);
    expect(foreign.statusCode).toBe(404);
    expect(codeOf(foreign)).toBe('not_found');
    // Routes that need no permission are no way in either.
    expect((await me(a.owner.accessToken, b.orgId)).statusCode).toBe(404);
    expect((await me(a.owner.accessToken, a.orgId)).statusCode).toBe(200);
  });
});

describe('signing key rotation', () => {
  it('keeps verifying tokens signed before a rotation, and signs new ones with the new key', async () => {
    const { ownerEmail } = await seedRootOrg(t, 'Ministry Keys');
    const before = await signIn(ownerEmail);
    const oldKid = decodeProtectedHeader(before.accessToken).kid;
    const newKid = await t.app.get(KeyStore).rotate();
    expect(newKid).not.toBe(oldKid);
    expect((await me(before.accessToken)).statusCode).toBe(200);
    const after = await signIn(ownerEmail);
    expect(decodeProtectedHeader(after.accessToken).kid).toBe(newKid);
    expect((await me(after.accessToken)).statusCode).toBe(200);
  });

  it('stops accepting a token, even one verified before, once its key is retired', async () => {
    const { ownerEmail } = await seedRootOrg(t, 'Ministry Retired Key');
    const session = await signIn(ownerEmail);
    expect((await me(session.accessToken)).statusCode).toBe(200); // verified, and remembered
    const kid = decodeProtectedHeader(session.accessToken).kid!;
    await sql`UPDATE signing_keys SET retired_at = now() - interval '1 second' WHERE kid = ${kid}`.execute(t.runtime.db);
    await t.app.get(KeyStore).rotate(); // reloads the keys, as every replica does each minute
    const res = await me(session.accessToken);
    expect(res.statusCode).toBe(401);
    expect(res.json<{ code: string }>().code).toBe('token_invalid');
  });
});
