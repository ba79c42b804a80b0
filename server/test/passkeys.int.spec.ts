import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolTotp } from './mfa-fixtures.js';
import { addUser, call, login, PASSWORD, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';
import { SoftAuthenticator } from './webauthn-authenticator.js';

let t: TestApp;
let origin: string;
let rpId: string;
beforeAll(async () => {
  t = await startTestApp({ GUDDU_PUBLIC_URL: 'https://guddu.mea.gov.in' });
  origin = 'https://guddu.mea.gov.in';
  rpId = 'guddu.mea.gov.in';
});
afterAll(async () => t?.close());

type Options = { challenge: string; rp: { id?: string }; user: { id: string }; rpId?: string };
const codeOf = (res: { json: <T>() => T }) => res.json<{ code: string }>().code;
const post = (url: string, token?: string, payload?: unknown) => call(t, { method: 'POST', url, ...(token ? { token } : {}), ...(payload === undefined ? {} : { payload: payload as object }) });
const options = async (url: string, token?: string, payload?: unknown): Promise<Options> => {
  const res = await post(url, token, payload);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Options>();
};

/** Registers a new software passkey for the session; answers the authenticator and the server's view. */
async function registerPasskey(s: Session, name?: string) {
  const key = new SoftAuthenticator(origin, rpId);
  const credential = key.register(await options('/api/v1/auth/passkeys/registration/options', s.accessToken));
  const res = await post('/api/v1/auth/passkeys/registration', s.accessToken, { credential, ...(name ? { name } : {}) });
  expect(res.statusCode, res.body).toBe(201);
  return { key, body: res.json<{ passkey: { id: string; name: string }; recoveryCodes?: string[] }>() };
}

describe('registering a passkey', () => {
  it('verifies the attestation, stores the key under row-level security, and gives a first factor recovery codes', async () => {
    const { orgId, owner } = await seedRootOrg(t, 'Ministry Passkey');
    const { key, body } = await registerPasskey(owner, 'Office laptop');
    expect(body.passkey.name).toBe('Office laptop');
    expect(body.recoveryCodes).toHaveLength(10);
    const { rows } = await sql<{ credential_id: Buffer; counter: string }>`SELECT credential_id, counter FROM passkeys WHERE user_id = ${owner.userId}`.execute(t.runtime.db);
    expect(rows[0]!.credential_id.equals(key.credentialId)).toBe(true);

    const status = await call(t, { method: 'GET', url: '/api/v1/auth/mfa', token: owner.accessToken });
    expect(status.json()).toMatchObject({ passkeys: 1, recoveryCodesLeft: 10, session: { method: 'passkey' } });
    // Another user (same organisation) sees none of it.
    const { session: other } = await addUser(t, orgId, 'admin');
    const list = await call(t, { method: 'GET', url: '/api/v1/auth/passkeys', token: other.accessToken });
    expect(list.json()).toEqual({ items: [] });
    const steal = await call(t, { method: 'PATCH', url: `/api/v1/auth/passkeys/${body.passkey.id}`, token: other.accessToken, payload: { name: 'mine' } });
    expect(codeOf(steal)).toBe('passkey_not_found');

    const renamed = await call(t, { method: 'PATCH', url: `/api/v1/auth/passkeys/${body.passkey.id}`, token: owner.accessToken, payload: { name: 'Desk key' } });
    expect(renamed.json()).toMatchObject({ name: 'Desk key' });
    const audit = await sql<{ action: string }>`SELECT action FROM audit_events WHERE org_id = ${orgId} AND action LIKE 'auth.passkey%' ORDER BY no`.execute(t.runtime.db);
    expect(audit.rows.map((r) => r.action)).toEqual(['auth.passkey_registered', 'auth.passkey_renamed']);
  });

  it('refuses a replayed registration, another session’s challenge, a wrong origin and a wrong RP id', async () => {
    const { ownerEmail, owner } = await seedRootOrg(t, 'Ministry Passkey Refusals');
    const key = new SoftAuthenticator(origin, rpId);
    const opts = await options('/api/v1/auth/passkeys/registration/options', owner.accessToken);
    const credential = key.register(opts);
    // The same user's other session did not ask for this challenge.
    const second = await login(t, ownerEmail, PASSWORD);
    const elsewhere = await post('/api/v1/auth/passkeys/registration', second.accessToken, { credential });
    expect(codeOf(elsewhere)).toBe('passkey_challenge_invalid');
    // Spent by that failed attempt? No: it was never claimed, the binding did not match.
    const ok = await post('/api/v1/auth/passkeys/registration', owner.accessToken, { credential });
    expect(ok.statusCode, ok.body).toBe(201);
    const replay = await post('/api/v1/auth/passkeys/registration', owner.accessToken, { credential });
    expect(codeOf(replay)).toBe('passkey_challenge_invalid');

    const phished = new SoftAuthenticator('https://guddu-mea.example', rpId);
    const o1 = await options('/api/v1/auth/passkeys/registration/options', owner.accessToken);
    const wrongOrigin = await post('/api/v1/auth/passkeys/registration', owner.accessToken, { credential: phished.register(o1) });
    expect(wrongOrigin.statusCode).toBe(401);
    expect(codeOf(wrongOrigin)).toBe('passkey_rejected');
    const o2 = await options('/api/v1/auth/passkeys/registration/options', owner.accessToken);
    const wrongRp = await post('/api/v1/auth/passkeys/registration', owner.accessToken, { credential: key.register(o2, { rpId: 'evil.example' }) });
    expect(codeOf(wrongRp)).toBe('passkey_rejected');
    const unverifiable = await post('/api/v1/auth/passkeys/registration', owner.accessToken, {
      credential: { ...credential, response: { ...credential.response, attestationObject: Buffer.from('not cbor').toString('base64url') } },
    });
    expect(unverifiable.statusCode).toBe(401);
  });

  it('asks a user who already has a factor to have shown one lately before adding another', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry Fresh Factor');
    await registerPasskey(owner);
    await sql`UPDATE sessions SET mfa_at = now() - interval '1 hour' WHERE id = ${decodeJwt(owner.accessToken).sid}`.execute(t.runtime.db);
    const stale = await post('/api/v1/auth/passkeys/registration/options', owner.accessToken);
    expect(codeOf(stale)).toBe('step_up_required');
    const totp = await post('/api/v1/auth/mfa/totp', owner.accessToken);
    expect(codeOf(totp)).toBe('step_up_required');
  });
});

describe('a passkey as the second step of sign-in', () => {
  it('answers the password with a challenge offering the passkey, and the passkey opens the session', async () => {
    const { orgId, ownerEmail, owner } = await seedRootOrg(t, 'Ministry Passkey Second Step');
    const { key } = await registerPasskey(owner);
    const first = await post('/api/v1/auth/login', undefined, { email: ownerEmail, password: PASSWORD });
    expect(first.json()).toMatchObject({ mfaRequired: true, methods: ['recovery_code', 'passkey'] });
    const { challengeToken } = first.json<{ challengeToken: string }>();
    const opts = await options('/api/v1/auth/mfa/passkey/options', undefined, { challengeToken });
    expect(opts).toMatchObject({ rpId, allowCredentials: [{ id: key.id }] });
    const credential = key.assert(opts);
    const ok = await post('/api/v1/auth/mfa/passkey', undefined, { challengeToken, credential });
    expect(ok.statusCode, ok.body).toBe(200);
    const pair = ok.json<{ accessToken: string; organisationId: string }>();
    expect(pair.organisationId).toBe(orgId);
    const status = await call(t, { method: 'GET', url: '/api/v1/auth/mfa', token: pair.accessToken });
    expect(status.json()).toMatchObject({ session: { method: 'passkey' } });

    const replay = await post('/api/v1/auth/mfa/passkey', undefined, { challengeToken, credential });
    expect(codeOf(replay)).toBe('mfa_challenge_invalid');
    const { rows } = await sql<{ after: { secondFactor?: string } }>`SELECT after FROM audit_events WHERE org_id = ${orgId} AND action = 'auth.signed_in' ORDER BY no DESC LIMIT 1`.execute(t.runtime.db);
    expect(rows[0]!.after.secondFactor).toBe('passkey');
  });

  it('refuses a replayed assertion on a new challenge, another user’s passkey, and a counter that went back', async () => {
    const { orgId, ownerEmail, owner } = await seedRootOrg(t, 'Ministry Passkey Counter');
    const { key } = await registerPasskey(owner);
    const { email: otherEmail, session: other } = await addUser(t, orgId, 'editor');
    const { key: otherKey } = await registerPasskey(other);
    const challenge = async (email: string) => (await post('/api/v1/auth/login', undefined, { email, password: PASSWORD })).json<{ challengeToken: string }>().challengeToken;

    const c1 = await challenge(ownerEmail);
    const used = key.assert(await options('/api/v1/auth/mfa/passkey/options', undefined, { challengeToken: c1 }));
    expect((await post('/api/v1/auth/mfa/passkey', undefined, { challengeToken: c1, credential: used })).statusCode).toBe(200);
    // The old assertion on a fresh sign-in: its signed challenge is not this one's.
    const c2 = await challenge(ownerEmail);
    await options('/api/v1/auth/mfa/passkey/options', undefined, { challengeToken: c2 });
    expect(codeOf(await post('/api/v1/auth/mfa/passkey', undefined, { challengeToken: c2, credential: used }))).toBe('passkey_challenge_invalid');
    // Another user's passkey against this user's challenge.
    const c3 = await challenge(ownerEmail);
    const o3 = await options('/api/v1/auth/mfa/passkey/options', undefined, { challengeToken: c3 });
    expect(codeOf(await post('/api/v1/auth/mfa/passkey', undefined, { challengeToken: c3, credential: otherKey.assert(o3) }))).toBe('passkey_rejected');

    const before = Number((await sql<{ counter: string }>`SELECT counter FROM passkeys WHERE user_id = ${owner.userId}`.execute(t.runtime.db)).rows[0]!.counter);
    expect(before).toBeGreaterThan(0);
    const c4 = await challenge(ownerEmail);
    const o4 = await options('/api/v1/auth/mfa/passkey/options', undefined, { challengeToken: c4 });
    const cloned = await post('/api/v1/auth/mfa/passkey', undefined, { challengeToken: c4, credential: key.assert(o4, { counter: before - 1 > 0 ? before - 1 : 0 }) });
    expect(cloned.statusCode).toBe(401);
    expect(codeOf(cloned)).toBe('passkey_counter_regressed');
    const after = (await sql<{ counter: string }>`SELECT counter FROM passkeys WHERE user_id = ${owner.userId}`.execute(t.runtime.db)).rows[0]!.counter;
    expect(Number(after)).toBe(before);
    expect(otherEmail).toBeTruthy();
  });
});

describe('passwordless sign-in', () => {
  it('finds the user from the discoverable credential, requires user verification, and records passkey', async () => {
    const { orgId, owner } = await seedRootOrg(t, 'Ministry Passwordless');
    const { key } = await registerPasskey(owner);
    const opts = await options('/api/v1/auth/passkeys/sign-in/options');
    expect(opts).not.toHaveProperty('allowCredentials');
    const noUv = await post('/api/v1/auth/passkeys/sign-in', undefined, { credential: key.assert(opts, { userVerified: false }) });
    expect(codeOf(noUv)).toBe('passkey_rejected');
    const again = await options('/api/v1/auth/passkeys/sign-in/options');
    const ok = await post('/api/v1/auth/passkeys/sign-in', undefined, { credential: key.assert(again) });
    expect(ok.statusCode, ok.body).toBe(200);
    const pair = ok.json<{ accessToken: string; organisationId: string }>();
    expect(pair.organisationId).toBe(orgId);
    expect(decodeJwt(pair.accessToken).sub).toBe(owner.userId);
    const status = await call(t, { method: 'GET', url: '/api/v1/auth/mfa', token: pair.accessToken });
    expect(status.json()).toMatchObject({ session: { method: 'passkey' } });

    // A wrong user handle (someone else's id) is refused even with a valid signature.
    const o3 = await options('/api/v1/auth/passkeys/sign-in/options');
    const forged = key.assert(o3);
    forged.response.userHandle = Buffer.alloc(16, 7).toString('base64url');
    expect(codeOf(await post('/api/v1/auth/passkeys/sign-in', undefined, { credential: forged }))).toBe('passkey_rejected');
  });

  it('signs the console in with cookies, and a deactivated user not at all', async () => {
    const { orgId, owner } = await seedRootOrg(t, 'Ministry Passwordless Console');
    const { session } = await addUser(t, orgId, 'editor');
    const { key } = await registerPasskey(session);
    const consoleIn = await post('/api/v1/auth/session/passkey', undefined, { credential: key.assert(await options('/api/v1/auth/passkeys/sign-in/options')) });
    expect(consoleIn.statusCode, consoleIn.body).toBe(200);
    expect(String(consoleIn.headers['set-cookie'])).toMatch(/guddu_access=/);
    const off = await call(t, { method: 'POST', url: `/api/v1/users/${session.userId}/deactivate`, token: owner.accessToken });
    expect(off.statusCode, off.body).toBeLessThan(300);
    const refused = await post('/api/v1/auth/passkeys/sign-in', undefined, { credential: key.assert(await options('/api/v1/auth/passkeys/sign-in/options')) });
    expect(refused.statusCode).toBe(401);
  });

  it('is still held by the sign-in policy of the organisation acted in', async () => {
    const { orgId, owner } = await seedRootOrg(t, 'Ministry Passwordless Policy');
    await registerPasskey(owner);
    expect((await call(t, { method: 'PUT', url: '/api/v1/sign-in-policy', token: owner.accessToken, payload: { mfaRequiredFor: 'everyone' } })).statusCode).toBe(200);
    // A member with only a password, then a passkey: the password opens a session held to enrolment…
    const { email, session } = await addUser(t, orgId, 'viewer');
    expect(codeOf(await call(t, { method: 'GET', url: '/api/v1/users', token: session.accessToken }))).toBe('mfa_enrolment_required');
    await registerPasskey(session);
    expect((await call(t, { method: 'GET', url: '/api/v1/users', token: session.accessToken })).statusCode).toBe(200);
    // …and from then on the password alone is only the first step.
    const first = await post('/api/v1/auth/login', undefined, { email, password: PASSWORD });
    expect(first.json()).toMatchObject({ mfaRequired: true });
  });
});

describe('step-up and resets with passkeys', () => {
  it('steps up with a passkey before suspending, and the audit says passkey', async () => {
    const { orgId, owner } = await seedRootOrg(t, 'Ministry Passkey Step Up');
    const { key } = await registerPasskey(owner);
    await sql`UPDATE sessions SET mfa_at = now() - interval '11 minutes' WHERE id = ${decodeJwt(owner.accessToken).sid}`.execute(t.runtime.db);
    const suspend = () => post('/api/v1/publishing/suspensions', owner.accessToken, { reason: 'Crisis' });
    expect(codeOf(await suspend())).toBe('step_up_required');
    const opts = await options('/api/v1/auth/passkeys/step-up/options', owner.accessToken);
    const up = await post('/api/v1/auth/passkeys/step-up', owner.accessToken, { credential: key.assert(opts) });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toMatchObject({ method: 'passkey' });
    const fresh = await suspend();
    expect(fresh.statusCode, fresh.body).toBe(201);
    const { rows } = await sql<{ after: { secondFactor?: { method: string } } }>`
      SELECT after FROM audit_events WHERE org_id = ${orgId} AND action LIKE 'publishing.suspen%' ORDER BY no DESC LIMIT 1`.execute(t.runtime.db);
    expect(rows[0]?.after.secondFactor?.method).toBe('passkey');
  });

  it('asks for a fresh factor before retracting a message', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry Retract Step Up');
    await registerPasskey(owner);
    await sql`UPDATE sessions SET mfa_at = now() - interval '11 minutes' WHERE id = ${decodeJwt(owner.accessToken).sid}`.execute(t.runtime.db);
    // The pipeline asks before the handler looks for the message.
    const stale = await post(`/api/v1/messages/${randomUUID()}/retract`, owner.accessToken, { reason: 'Posted in error' });
    expect(codeOf(stale)).toBe('step_up_required');
  });

  it('refuses to remove the last factor where one is required, and removes one that is not the last', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry Last Passkey');
    const { body: first } = await registerPasskey(owner);
    expect((await call(t, { method: 'PUT', url: '/api/v1/sign-in-policy', token: owner.accessToken, payload: { mfaRequiredFor: 'everyone' } })).statusCode).toBe(200);
    const last = await call(t, { method: 'DELETE', url: `/api/v1/auth/passkeys/${first.passkey.id}`, token: owner.accessToken });
    expect(codeOf(last)).toBe('mfa_last_factor');
    await registerPasskey(owner);
    const removed = await call(t, { method: 'DELETE', url: `/api/v1/auth/passkeys/${first.passkey.id}`, token: owner.accessToken });
    expect(removed.statusCode, removed.body).toBe(204);
  });

  it('an admin’s reset of a member’s factors removes their passkeys too', async () => {
    const { orgId, owner } = await seedRootOrg(t, 'Ministry Passkey Reset');
    await enrolTotp(t, owner.accessToken);
    const { email, session } = await addUser(t, orgId, 'editor');
    const { key } = await registerPasskey(session);
    const res = await post(`/api/v1/users/${session.userId}/mfa/reset`, owner.accessToken);
    expect(res.statusCode, res.body).toBe(204);
    const { rows } = await sql`SELECT 1 FROM passkeys WHERE user_id = ${session.userId}`.execute(t.runtime.db);
    expect(rows).toHaveLength(0);
    const gone = await post('/api/v1/auth/passkeys/sign-in', undefined, { credential: key.assert(await options('/api/v1/auth/passkeys/sign-in/options')) });
    expect(codeOf(gone)).toBe('passkey_rejected');
    expect(await login(t, email)).toHaveProperty('accessToken');
  });
});
