import { decodeJwt } from 'jose';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeNow, enrolTotp, letTimePass, signInWithCode } from './mfa-fixtures.js';
import { call, login, PASSWORD, seedRootOrg, startTestApp, type TestApp } from './harness.js';

const ACCOUNT_LIMIT = 4;
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ GUDDU_LOGIN_MAX_FAILURES_PER_ACCOUNT: String(ACCOUNT_LIMIT) });
});
afterAll(async () => t?.close());

const codeOf = (res: { json: <T>() => T }) => res.json<{ code: string }>().code;
const password = (email: string) => call(t, { method: 'POST', url: '/api/v1/auth/login', payload: { email, password: PASSWORD } });
const verify = (challengeToken: string, code: string) => call(t, { method: 'POST', url: '/api/v1/auth/mfa/verify', payload: { challengeToken, code } });
const stepUp = (token: string, code: string) => call(t, { method: 'POST', url: '/api/v1/auth/mfa/step-up', token, payload: { code } });

describe('TOTP enrolment', () => {
  it('gives an otpauth URI, keeps the secret sealed, and confirms only with a right code', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry Enrol');
    const start = await call(t, { method: 'POST', url: '/api/v1/auth/mfa/totp', token: owner.accessToken });
    expect(start.statusCode, start.body).toBe(200);
    const { secret, otpauthUri } = start.json<{ secret: string; otpauthUri: string }>();
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(new URL(otpauthUri).searchParams.get('secret')).toBe(secret);
    const { rows } = await sql<{ secret_sealed: string }>`SELECT secret_sealed FROM mfa_totp WHERE user_id = ${owner.userId}`.execute(t.runtime.db);
    expect(rows[0]!.secret_sealed).toMatch(/^v1\./);
    expect(rows[0]!.secret_sealed).not.toContain(secret);

    const wrong = await call(t, { method: 'POST', url: '/api/v1/auth/mfa/totp/confirm', token: owner.accessToken, payload: { code: '000000' } });
    expect(wrong.statusCode).toBe(401);
    expect(codeOf(wrong)).toBe('mfa_code_invalid');
    const pending = await call(t, { method: 'GET', url: '/api/v1/auth/mfa', token: owner.accessToken });
    expect(pending.json()).toMatchObject({ totp: { state: 'pending' }, recoveryCodesLeft: 0 });

    const confirm = await call(t, { method: 'POST', url: '/api/v1/auth/mfa/totp/confirm', token: owner.accessToken, payload: { code: await codeNow(secret) } });
    expect(confirm.statusCode, confirm.body).toBe(200);
    const { recoveryCodes } = confirm.json<{ recoveryCodes: string[] }>();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const stored = await sql<{ code_hash: Buffer }>`SELECT code_hash FROM mfa_recovery_codes WHERE user_id = ${owner.userId}`.execute(t.runtime.db);
    expect(stored.rows).toHaveLength(10);
    expect(stored.rows.map((r) => r.code_hash.toString('utf8'))).not.toContain(recoveryCodes[0]);

    const status = await call(t, { method: 'GET', url: '/api/v1/auth/mfa', token: owner.accessToken });
    expect(status.json()).toMatchObject({ totp: { state: 'confirmed' }, recoveryCodesLeft: 10, session: { method: 'totp' } });
    const again = await call(t, { method: 'POST', url: '/api/v1/auth/mfa/totp', token: owner.accessToken });
    expect(again.statusCode).toBe(409);
    expect(codeOf(again)).toBe('mfa_already_enrolled');
  });

  it('refuses to confirm when nothing is pending', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry Nothing Pending');
    const res = await call(t, { method: 'POST', url: '/api/v1/auth/mfa/totp/confirm', token: owner.accessToken, payload: { code: '123456' } });
    expect(res.statusCode).toBe(409);
    expect(codeOf(res)).toBe('mfa_not_pending');
  });
});

describe('two-step sign-in', () => {
  it('answers a right password with a challenge, and the challenge with a code opens a session', async () => {
    const { ownerEmail, owner, orgId } = await seedRootOrg(t, 'Ministry Two Step');
    const { secret } = await enrolTotp(t, owner.accessToken);
    await letTimePass(t, owner.userId);

    const first = await password(ownerEmail);
    expect(first.statusCode).toBe(200);
    const body = first.json<Record<string, unknown>>();
    expect(body).toMatchObject({ mfaRequired: true, methods: ['totp', 'recovery_code'] });
    expect(body).not.toHaveProperty('accessToken');
    const challengeToken = body.challengeToken as string;

    const wrong = await verify(challengeToken, '000000');
    expect(wrong.statusCode).toBe(401);
    expect(codeOf(wrong)).toBe('mfa_code_invalid');
    const ok = await verify(challengeToken, await codeNow(secret));
    expect(ok.statusCode, ok.body).toBe(200);
    const pair = ok.json<{ accessToken: string; refreshToken: string; organisationId: string }>();
    expect(pair.organisationId).toBe(orgId);
    const me = await call(t, { method: 'GET', url: '/api/v1/me', token: pair.accessToken });
    expect(me.statusCode).toBe(200);
    const status = await call(t, { method: 'GET', url: '/api/v1/auth/mfa', token: pair.accessToken });
    expect(status.json()).toMatchObject({ session: { method: 'totp' } });

    // Single use: the spent challenge opens nothing more, whatever the code.
    await letTimePass(t, owner.userId);
    const reused = await verify(challengeToken, await codeNow(secret));
    expect(reused.statusCode).toBe(401);
    expect(codeOf(reused)).toBe('mfa_challenge_invalid');
    // The session is an ordinary one: it refreshes.
    const refreshed = await call(t, { method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: pair.refreshToken } });
    expect(refreshed.statusCode).toBe(200);
  });

  it('refuses a code already used (replay), and accepts the next step', async () => {
    const { ownerEmail, owner } = await seedRootOrg(t, 'Ministry Replay');
    const { secret } = await enrolTotp(t, owner.accessToken);
    await letTimePass(t, owner.userId);
    const code = await codeNow(secret);
    await signInWithCode(t, ownerEmail, code);
    const second = await password(ownerEmail);
    const replay = await verify(second.json<{ challengeToken: string }>().challengeToken, code);
    expect(replay.statusCode).toBe(401);
    expect(codeOf(replay)).toBe('mfa_code_invalid');
    const next = await verify(second.json<{ challengeToken: string }>().challengeToken, await codeNow(secret, 1));
    expect(next.statusCode, next.body).toBe(200);
  });

  it('accepts a code one step early or late (clock skew) and refuses two steps off', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry Skew');
    const { secret } = await enrolTotp(t, owner.accessToken);
    for (const offset of [-2, 2]) {
      await letTimePass(t, owner.userId);
      const res = await stepUp(owner.accessToken, await codeNow(secret, offset));
      expect(res.statusCode, `offset ${offset}`).toBe(401);
    }
    for (const offset of [1, -1]) {
      await letTimePass(t, owner.userId);
      const res = await stepUp(owner.accessToken, await codeNow(secret, offset));
      expect(res.statusCode, `offset ${offset}: ${res.body}`).toBe(200);
    }
  });

  it('takes a recovery code once', async () => {
    const { ownerEmail, owner } = await seedRootOrg(t, 'Ministry Recovery');
    const { recoveryCodes } = await enrolTotp(t, owner.accessToken);
    const pair = await signInWithCode(t, ownerEmail, recoveryCodes[3]!.toUpperCase());
    const status = await call(t, { method: 'GET', url: '/api/v1/auth/mfa', token: pair.accessToken });
    expect(status.json()).toMatchObject({ recoveryCodesLeft: 9, session: { method: 'recovery_code' } });
    const again = await password(ownerEmail);
    const spent = await verify(again.json<{ challengeToken: string }>().challengeToken, recoveryCodes[3]!);
    expect(spent.statusCode).toBe(401);
    expect(codeOf(spent)).toBe('mfa_code_invalid');
  });

  it('throttles wrong codes per account; the right code is refused too until the window passes', async () => {
    const { ownerEmail, owner } = await seedRootOrg(t, 'Ministry Guessing');
    const { secret } = await enrolTotp(t, owner.accessToken);
    await letTimePass(t, owner.userId);
    // Each challenge takes a few wrong codes; the account limit spans challenges.
    let challenge = (await password(ownerEmail)).json<{ challengeToken: string }>().challengeToken;
    for (let i = 0; i < ACCOUNT_LIMIT; i += 1) {
      if (i === 3) challenge = (await password(ownerEmail)).json<{ challengeToken: string }>().challengeToken;
      expect((await verify(challenge, String(100000 + i))).statusCode).toBe(401);
    }
    const refused = await verify(challenge, await codeNow(secret));
    expect(refused.statusCode).toBe(429);
    expect(codeOf(refused)).toBe('mfa_throttled');
    expect(refused.headers['retry-after']).toBeDefined();
    // A step-up from an existing session counts against the same account.
    const stepped = await stepUp(owner.accessToken, await codeNow(secret));
    expect(stepped.statusCode).toBe(429);
  });

  it('spends a challenge after five wrong codes', async () => {
    const { ownerEmail, owner } = await seedRootOrg(t, 'Ministry Spent');
    const { secret } = await enrolTotp(t, owner.accessToken);
    await letTimePass(t, owner.userId);
    const challenge = (await password(ownerEmail)).json<{ challengeToken: string }>().challengeToken;
    await sql`UPDATE mfa_challenges SET attempts = 5 WHERE user_id = ${owner.userId}`.execute(t.runtime.db);
    const res = await verify(challenge, await codeNow(secret));
    expect(codeOf(res)).toBe('mfa_challenge_invalid');
  });

  it('signs the console in through the same two steps, into cookies', async () => {
    const { ownerEmail, owner } = await seedRootOrg(t, 'Ministry Console MFA');
    const { secret } = await enrolTotp(t, owner.accessToken);
    await letTimePass(t, owner.userId);
    const first = await call(t, { method: 'POST', url: '/api/v1/auth/session', payload: { email: ownerEmail, password: PASSWORD } });
    expect(first.statusCode).toBe(200);
    expect(first.headers['set-cookie']).toBeUndefined();
    const { challengeToken } = first.json<{ challengeToken: string }>();
    const second = await call(t, { method: 'POST', url: '/api/v1/auth/session/mfa', payload: { challengeToken, code: await codeNow(secret) } });
    expect(second.statusCode, second.body).toBe(200);
    expect(String(second.headers['set-cookie'])).toContain('guddu_access=');
    expect(second.json()).toHaveProperty('csrfToken');
  });

  it('leaves a user without a factor signing in with the password alone', async () => {
    const { ownerEmail } = await seedRootOrg(t, 'Ministry Password Only');
    const s = await login(t, ownerEmail);
    expect(decodeJwt(s.accessToken).sub).toBe(s.userId);
  });
});
