import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../src/admin-commands.js';
import { AdminService } from '../src/modules/identity/admin.service.js';
import { RealtimeService } from '../src/modules/realtime/realtime.service.js';
import { codeNow, enrolTotp, letTimePass } from './mfa-fixtures.js';
import { addUser, call, chainAudit, createChildOrg, login, PASSWORD, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';
import { browseToCallback, TestIdp } from './oidc-idp.js';
import { SoftAuthenticator } from './webauthn-authenticator.js';

// https, so passkeys (whose relying party is this host) work in the same app as the provider.
const PUBLIC_URL = 'https://guddu.mea.gov.in';
const CALLBACK = `${PUBLIC_URL}/api/v1/auth/sso/callback`;

let t: TestApp;
let idp: TestIdp;
beforeAll(async () => {
  t = await startTestApp({ GUDDU_PUBLIC_URL: PUBLIC_URL });
  idp = await TestIdp.start(CALLBACK);
});
afterAll(async () => {
  await idp?.close();
  await t?.close();
});

type Res = { statusCode: number; body: string; json: <T>() => T; headers: Record<string, unknown> };
const codeOf = (res: Res) => res.json<{ code: string }>().code;
const providersOf = (res: Res) => res.json<{ errors: { providers: { id: string; name: string; kind: string }[] } }>().errors.providers;
const domain = () => `mea-${randomUUID().slice(0, 6)}.gov.in`;
const passwordLogin = (email: string, organisationId?: string) =>
  call(t, { method: 'POST', url: '/api/v1/auth/login', payload: { email, password: PASSWORD, ...(organisationId ? { organisationId } : {}) } });
const members = (token: string, org?: string) => call(t, { method: 'GET', url: '/api/v1/users', token, ...(org ? { org } : {}) });
const setPolicy = (token: string, body: Record<string, unknown>, org?: string) =>
  call(t, { method: 'PUT', url: '/api/v1/sign-in-policy', token, payload: body, ...(org ? { org } : {}) });
const refresh = (refreshToken: string) => call(t, { method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });

async function addProvider(owner: Session, body: Record<string, unknown> = {}, org?: string): Promise<string> {
  const res = await call(t, {
    method: 'POST',
    url: '/api/v1/identity-providers',
    token: owner.accessToken,
    ...(org ? { org } : {}),
    payload: { name: 'Government ID', issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

function account(email: string): string {
  const id = `sub-${randomUUID()}`;
  idp.accounts.set(id, { email, email_verified: true, name: 'Asha Verma' });
  return id;
}

function cookieOf(res: Res, name: string): string {
  const cookies = ([] as string[]).concat((res.headers['set-cookie'] as string | string[] | undefined) ?? []);
  const line = cookies.find((c) => c.startsWith(`${name}=`));
  if (!line) throw new Error(`no ${name} cookie: ${res.statusCode} ${res.body}`);
  return line.split(';')[0]!;
}

/** Through the provider and back: the callback's answer (a 303 with session cookies when signed in). */
async function throughProvider(subject: string, start: Record<string, unknown>, token?: string, url = '/api/v1/auth/sso/start'): Promise<Res> {
  idp.signInAs = subject;
  const started = await call(t, { method: 'POST', url, payload: start, ...(token ? { token } : {}) });
  expect(started.statusCode, started.body).toBe(200);
  const back = await browseToCallback(started.json<{ authorizationUrl: string }>().authorizationUrl, CALLBACK);
  return call(t, { method: 'GET', url: `/api/v1/auth/sso/callback${back.search}`, headers: { cookie: cookieOf(started, 'guddu_sso') }, ...(token ? { token } : {}) });
}

/** Signs in at the provider; the access token of the session it opened (the console cookie's value). */
async function ssoSignIn(subject: string, providerId: string, organisationId?: string): Promise<string> {
  const res = await throughProvider(subject, { providerId, ...(organisationId ? { organisationId } : {}) });
  expect(res.statusCode, res.body).toBe(303);
  return cookieOf(res, 'guddu_access').slice('guddu_access='.length);
}

/**
 * A ministry with a provider, whose owner has linked their identity there and signed in
 * through it (whoever requires SSO must have come in that way), requiring `rule`.
 */
async function ssoMinistry(name: string, rule: 'publishers' | 'everyone') {
  return requireSso(await seedRootOrg(t, name), rule);
}

/** The owner links their identity at a new provider, signs in through it, and sets the rule. */
async function requireSso<R extends { owner: Session; ownerEmail: string }>(root: R, rule: 'publishers' | 'everyone') {
  const providerId = await addProvider(root.owner);
  const ownerSubject = account(root.ownerEmail);
  const linked = await throughProvider(ownerSubject, { providerId }, root.owner.accessToken, '/api/v1/auth/sso/link');
  expect(linked.statusCode, linked.body).toBe(303);
  const ownerSso = await ssoSignIn(ownerSubject, providerId);
  const res = await setPolicy(ownerSso, { mfaRequiredFor: 'nobody', ssoRequiredFor: rule });
  expect(res.statusCode, res.body).toBe(200);
  return { ...root, providerId, ownerSubject, ownerSso };
}

describe('setting an SSO requirement', () => {
  it('is refused where no identity provider could let members in, and nothing is written', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry No Provider');
    const res = await setPolicy(owner.accessToken, { mfaRequiredFor: 'nobody', ssoRequiredFor: 'everyone' });
    expect(res.statusCode).toBe(409);
    expect(codeOf(res)).toBe('sso_provider_missing');
    const now = await call(t, { method: 'GET', url: '/api/v1/sign-in-policy', token: owner.accessToken });
    expect(now.json()).toMatchObject({ own: null, effective: { ssoRequiredFor: 'nobody', ssoSetBy: null } });
  });

  it('is refused to a setter it would cover who came in by password: they prove the provider first', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry Password Setter');
    await addProvider(owner);
    const res = await setPolicy(owner.accessToken, { mfaRequiredFor: 'nobody', ssoRequiredFor: 'publishers' });
    expect(res.statusCode).toBe(409);
    expect(codeOf(res)).toBe('sso_sign_in_first');
  });

  it('is audited, and a child cannot relax what its parent requires', async () => {
    const { orgId, owner, ownerSso } = await ssoMinistry('Ministry Audited', 'everyone');
    await chainAudit(t, orgId);
    const { rows } = await sql<{ before: unknown; after: unknown }>`
      SELECT before, after FROM audit_events WHERE org_id = ${orgId} AND action = 'sign_in_policy.updated'`.execute(t.runtime.db);
    expect(rows).toEqual([{ before: null, after: { mfaRequiredFor: 'nobody', ssoRequiredFor: 'everyone', stepUpMinutes: 10 } }]);

    const mission = await createChildOrg(t, { ...owner, accessToken: ownerSso }, 'Mission Lax');
    const lax = await setPolicy(ownerSso, { mfaRequiredFor: 'nobody', ssoRequiredFor: 'nobody' }, mission);
    expect(lax.statusCode, lax.body).toBe(200);
    expect(lax.json()).toMatchObject({ own: { ssoRequiredFor: 'nobody' }, effective: { ssoRequiredFor: 'everyone', ssoSetBy: orgId } });
    // A member of the mission alone is still held to the ministry's rule.
    const email = `mission-${randomUUID().slice(0, 6)}@mea.gov.in`;
    await t.app.get(AdminService).createUser(mission, { email, password: PASSWORD, role: 'viewer' });
    expect(codeOf(await passwordLogin(email))).toBe('sso_required');
  });
});

describe('a policy that requires SSO of everyone', () => {
  it('refuses a password sign-in (the CLI-created user too), naming the providers, and records the refusal', async () => {
    const { orgId, providerId } = await ssoMinistry('Ministry Everyone SSO', 'everyone');
    const email = `cli-${randomUUID().slice(0, 6)}@mea.gov.in`;
    await t.app.get(AdminService).createUser(orgId, { email, password: PASSWORD, role: 'viewer' });
    const refused = await passwordLogin(email);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(codeOf(refused)).toBe('sso_required');
    expect(providersOf(refused)).toEqual([{ id: providerId, name: 'Government ID', kind: 'oidc' }]);
    // No session was opened.
    const { rows: sessions } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = ${email}`.execute(t.runtime.db);
    expect(sessions[0]!.n).toBe(0);
    await chainAudit(t, orgId);
    const { rows } = await sql<{ after: unknown }>`
      SELECT after FROM audit_events WHERE org_id = ${orgId} AND action = 'auth.sign_in_refused'`.execute(t.runtime.db);
    expect(rows).toEqual([{ after: { reason: 'sso_required', method: 'password' } }]);
  });

  it('does not offer a provider whose allowed domains leave out the user’s', async () => {
    const { orgId, providerId, ownerSso } = await ssoMinistry('Ministry Domains', 'everyone');
    const d = domain();
    const narrow = await call(t, {
      method: 'POST',
      url: '/api/v1/identity-providers',
      token: ownerSso,
      payload: { name: 'Other ID', issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, allowedDomains: [d] },
    });
    expect(narrow.statusCode, narrow.body).toBe(201);
    const email = `viewer-${randomUUID().slice(0, 6)}@mea.gov.in`;
    await t.app.get(AdminService).createUser(orgId, { email, password: PASSWORD, role: 'viewer' });
    expect(providersOf(await passwordLogin(email)).map((p) => p.id)).toEqual([providerId]);
  });

  it('refuses a passwordless passkey sign-in', async () => {
    const root = await seedRootOrg(t, 'Ministry Passkey SSO');
    // A viewer registers a passkey while no rule holds.
    const { session: viewer } = await addUser(t, root.orgId, 'viewer');
    const key = new SoftAuthenticator(PUBLIC_URL, new URL(PUBLIC_URL).hostname);
    const regOptions = await call(t, { method: 'POST', url: '/api/v1/auth/passkeys/registration/options', token: viewer.accessToken });
    const credential = key.register(regOptions.json());
    const registered = await call(t, { method: 'POST', url: '/api/v1/auth/passkeys/registration', token: viewer.accessToken, payload: { credential } });
    expect(registered.statusCode, registered.body).toBe(201);
    await requireSso(root, 'everyone');

    const opts = await call(t, { method: 'POST', url: '/api/v1/auth/passkeys/sign-in/options' });
    expect(opts.statusCode, opts.body).toBe(200);
    const res = await call(t, { method: 'POST', url: '/api/v1/auth/passkeys/sign-in', payload: { credential: key.assert(opts.json()) } });
    expect(res.statusCode, res.body).toBe(403);
    expect(codeOf(res)).toBe('sso_required');
    await chainAudit(t, root.orgId);
    const { rows } = await sql<{ after: unknown }>`
      SELECT after FROM audit_events WHERE org_id = ${root.orgId} AND action = 'auth.sign_in_refused'`.execute(t.runtime.db);
    expect(rows).toEqual([{ after: { reason: 'sso_required', method: 'passkey' } }]);
  });

  it('ends a password session opened before the rule at its next refresh, and refuses it on every request meanwhile', async () => {
    const root = await seedRootOrg(t, 'Ministry Before');
    const { session: before } = await addUser(t, root.orgId, 'editor');
    const { providerId } = await requireSso(root, 'everyone');

    const held = await members(before.accessToken);
    expect(held.statusCode).toBe(403);
    expect(codeOf(held)).toBe('sso_required');
    expect(providersOf(held).map((p) => p.id)).toEqual([providerId]);
    // Self-service stays open, as under the MFA hold: who am I, sign out.
    expect((await call(t, { method: 'GET', url: '/api/v1/me', token: before.accessToken })).statusCode).toBe(200);

    const refreshed = await refresh(before.refreshToken);
    expect(refreshed.statusCode).toBe(403);
    expect(codeOf(refreshed)).toBe('sso_required');
    // The session has ended: its access token is refused as such.
    expect(codeOf(await members(before.accessToken))).toBe('session_revoked');
    const { rows } = await sql<{ revoke_reason: string }>`SELECT revoke_reason FROM sessions WHERE user_id = ${before.userId}`.execute(t.runtime.db);
    expect(rows.map((r) => r.revoke_reason)).toEqual(['sso_required']);
  });

  it('lets an SSO session in, through refresh rotation and through a second factor', async () => {
    const { orgId, providerId, ownerSubject, owner } = await ssoMinistry('Ministry SSO Works', 'everyone');
    idp.signInAs = ownerSubject;
    const res = await throughProvider(ownerSubject, { providerId });
    const access = cookieOf(res, 'guddu_access').slice('guddu_access='.length);
    const refreshCookie = cookieOf(res, 'guddu_refresh').slice('guddu_refresh='.length);
    expect((await members(access)).statusCode).toBe(200);
    const rotated = await refresh(decodeURIComponent(refreshCookie));
    expect(rotated.statusCode, rotated.body).toBe(200);
    expect((await members(rotated.json<{ accessToken: string }>().accessToken)).statusCode).toBe(200);

    // With an authenticator: the provider, then the code; the session records the provider.
    const { secret } = await enrolTotp(t, access);
    const two = await throughProvider(ownerSubject, { providerId });
    await letTimePass(t, owner.userId);
    const challengeToken = decodeURIComponent(/#mfa=(.+)$/.exec(String(two.headers.location))![1]!);
    const done = await call(t, { method: 'POST', url: '/api/v1/auth/mfa/verify', payload: { challengeToken, code: await codeNow(secret) } });
    expect(done.statusCode, done.body).toBe(200);
    expect((await members(done.json<{ accessToken: string }>().accessToken)).statusCode).toBe(200);
    const { rows } = await sql<{ sign_in_method: string; mfa_method: string | null }>`
      SELECT sign_in_method, mfa_method FROM sessions WHERE user_id = ${owner.userId} AND org_id = ${orgId} ORDER BY created_at`.execute(t.runtime.db);
    expect(rows.map((r) => [r.sign_in_method, r.mfa_method])).toEqual([
      ['password', null],
      ['sso:oidc', null],
      ['sso:oidc', 'totp'], // the session that confirmed the authenticator
      ['sso:oidc', 'totp'],
    ]);
  });
});

describe('the realtime socket', () => {
  it('refuses a password session under the rule and admits a provider’s', async () => {
    const root = await seedRootOrg(t, 'Ministry Live SSO');
    const { session } = await addUser(t, root.orgId, 'viewer');
    const { ownerSso } = await requireSso(root, 'everyone');
    const admit = (token: string) => t.app.get(RealtimeService).admit(token);
    const refused = await admit(session.accessToken).then(() => 'admitted', (err: unknown) => (err as { code?: string }).code);
    expect(refused).toBe('sso_required');
    expect((await admit(ownerSso)).memberships.map((m) => m.orgId)).toEqual([root.orgId]);
  });
});

describe('a policy that requires SSO of publishers', () => {
  it('refuses only those who can publish', async () => {
    const { orgId } = await ssoMinistry('Ministry Publishers SSO', 'publishers');
    const viewer = `viewer-${randomUUID().slice(0, 6)}@mea.gov.in`;
    const admin = `admin-${randomUUID().slice(0, 6)}@mea.gov.in`;
    await t.app.get(AdminService).createUser(orgId, { email: viewer, password: PASSWORD, role: 'approver' });
    await t.app.get(AdminService).createUser(orgId, { email: admin, password: PASSWORD, role: 'admin' });
    const ok = await login(t, viewer);
    expect((await members(ok.accessToken)).statusCode).toBe(200);
    expect(codeOf(await passwordLogin(admin))).toBe('sso_required');
  });
});

describe('another organisation’s header', () => {
  it('does not get round a child’s rule', async () => {
    const root = await seedRootOrg(t, 'Ministry Header SSO');
    const mission = await createChildOrg(t, root.owner, 'Mission SSO');
    // The provider is the ministry's (inherited by the mission); only the mission requires it.
    const providerId = await addProvider(root.owner);
    const subject = account(root.ownerEmail);
    expect((await throughProvider(subject, { providerId }, root.owner.accessToken, '/api/v1/auth/sso/link')).statusCode).toBe(303);
    const ownerSso = await ssoSignIn(subject, providerId);
    expect((await setPolicy(ownerSso, { mfaRequiredFor: 'nobody', ssoRequiredFor: 'everyone' }, mission)).statusCode).toBe(200);
    // An approver of the ministry (no rule there) signs in by password and works at the ministry…
    const { session } = await addUser(t, root.orgId, 'approver');
    expect((await members(session.accessToken)).statusCode).toBe(200);
    // …but the mission's rule holds when the same session acts there.
    const there = await members(session.accessToken, mission);
    expect(there.statusCode).toBe(403);
    expect(codeOf(there)).toBe('sso_required');
    // Nor can they sign in to the mission by password.
    expect(codeOf(await passwordLogin(root.ownerEmail, mission))).toBe('sso_required');
  });
});

describe('an invitation into a subtree that requires SSO', () => {
  it('is not accepted with a password; it is accepted by signing in at the provider as the invited person', async () => {
    const { orgId, providerId, ownerSso } = await ssoMinistry('Ministry Invite SSO', 'everyone');
    const email = `invitee-${randomUUID().slice(0, 6)}@mea.gov.in`;
    const inv = await call(t, { method: 'POST', url: '/api/v1/invitations', token: ownerSso, payload: { email, role: 'editor' } });
    expect(inv.statusCode, inv.body).toBe(201);
    const token = inv.json<{ token: string }>().token;
    const byPassword = await call(t, { method: 'POST', url: '/api/v1/invitations/accept', payload: { token, password: PASSWORD, displayName: 'Invitee' } });
    expect(byPassword.statusCode).toBe(403);
    expect(codeOf(byPassword)).toBe('sso_required');
    expect(providersOf(byPassword).map((p) => p.id)).toEqual([providerId]);
    const { rows: none } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM users WHERE email = ${email}`.execute(t.runtime.db);
    expect(none[0]!.n).toBe(0);

    // Someone else at the provider cannot take the invitation.
    const stranger = await throughProvider(account(`someone-${randomUUID().slice(0, 6)}@mea.gov.in`), { providerId, invitationToken: token });
    expect(codeOf(stranger)).toBe('sso_invitation_mismatch');

    const accepted = await throughProvider(account(email), { providerId, invitationToken: token });
    expect(accepted.statusCode, accepted.body).toBe(303);
    const me = await call(t, { method: 'GET', url: '/api/v1/me', headers: { cookie: cookieOf(accepted, 'guddu_access') } });
    expect(me.json()).toMatchObject({ user: { email }, organisation: { id: orgId, roles: ['editor'] } });
    const again = await call(t, { method: 'POST', url: '/api/v1/auth/sso/start', payload: { providerId, invitationToken: token } });
    expect(codeOf(again)).toBe('invitation_used');
  });
});

describe('removing a provider', () => {
  it('is refused while a rule at or below relies on it alone, and allowed once another provider covers it', async () => {
    const { owner, ownerSso, providerId } = await ssoMinistry('Ministry Last Provider', 'everyone');
    const mission = await createChildOrg(t, { ...owner, accessToken: ownerSso }, 'Mission Relying');
    expect((await setPolicy(ownerSso, { mfaRequiredFor: 'nobody', ssoRequiredFor: 'everyone' }, mission)).statusCode).toBe(200);
    const remove = () => call(t, { method: 'DELETE', url: `/api/v1/identity-providers/${providerId}`, token: ownerSso });
    const refused = await remove();
    expect(refused.statusCode).toBe(409);
    expect(codeOf(refused)).toBe('sso_provider_in_use');
    expect(refused.json<{ errors: { rules: number } }>().errors.rules).toBe(2);
    await addProvider({ ...owner, accessToken: ownerSso }, { name: 'Second ID' });
    expect((await remove()).statusCode).toBe(204);
  });
});

describe('break-glass', () => {
  it('the operator clears the requirement with guddu clear-sso-requirement, audited', async () => {
    const { orgId, ownerEmail } = await ssoMinistry('Ministry Break Glass', 'everyone');
    expect(codeOf(await passwordLogin(ownerEmail))).toBe('sso_required');
    const code = await runAdminCommand(t.app, 'clear-sso-requirement', { org: orgId });
    expect(code).toBe(0);
    expect((await passwordLogin(ownerEmail)).statusCode).toBe(200);
    await chainAudit(t, orgId);
    const { rows } = await sql<{ actor_type: string; after: unknown }>`
      SELECT actor_type, after FROM audit_events WHERE org_id = ${orgId} AND action = 'sign_in_policy.sso_requirement_cleared'`.execute(t.runtime.db);
    expect(rows).toEqual([{ actor_type: 'system', after: { ssoRequiredFor: 'nobody' } }]);
  });
});

describe('a provider configured at another organisation', () => {
  it('does not satisfy this organisation’s rule: only a provider on its own path does (header, refresh, socket)', async () => {
    // A member of two ministries, each with its own provider, the same identity linked at both.
    const a = await seedRootOrg(t, 'Ministry A Provider');
    const b = await seedRootOrg(t, 'Ministry B Provider');
    const providerA = await addProvider(a.owner, { name: 'A ID' });
    const providerB = await addProvider(b.owner, { name: 'B ID' });
    const { email, session: atA } = await addUser(t, a.orgId, 'viewer');
    const userId = atA.userId;
    const member = (org: string) => sql`INSERT INTO memberships (org_id, user_id, role) VALUES (${org}, ${userId}, 'viewer')`.execute(t.runtime.db);
    const leave = (org: string) => sql`DELETE FROM memberships WHERE org_id = ${org} AND user_id = ${userId}`.execute(t.runtime.db);
    await member(b.orgId);
    const atB = await login(t, email, PASSWORD, b.orgId);
    const subject = account(email);
    expect((await throughProvider(subject, { providerId: providerA }, atA.accessToken, '/api/v1/auth/sso/link')).statusCode).toBe(303);
    expect((await throughProvider(subject, { providerId: providerB }, atB.accessToken, '/api/v1/auth/sso/link')).statusCode).toBe(303);

    // Before B's rule: away from A for a while, a sign-in through A's provider lands in B.
    await leave(a.orgId);
    const landed = await throughProvider(subject, { providerId: providerA });
    expect(landed.statusCode, landed.body).toBe(303);
    const early = {
      access: cookieOf(landed, 'guddu_access').slice('guddu_access='.length),
      refresh: decodeURIComponent(cookieOf(landed, 'guddu_refresh').slice('guddu_refresh='.length)),
    };
    expect((await call(t, { method: 'GET', url: '/api/v1/me', token: early.access })).json()).toMatchObject({ organisation: { id: b.orgId } });
    await member(a.orgId);

    // B requires SSO (its owner comes in through B's provider to set it).
    const ownerSubject = account(b.ownerEmail);
    expect((await throughProvider(ownerSubject, { providerId: providerB }, b.owner.accessToken, '/api/v1/auth/sso/link')).statusCode).toBe(303);
    const ownerSso = await ssoSignIn(ownerSubject, providerB);
    expect((await setPolicy(ownerSso, { mfaRequiredFor: 'nobody', ssoRequiredFor: 'everyone' })).statusCode).toBe(200);

    // A session from A's provider works at A, and is refused at B, naming B's provider only.
    const viaA = await ssoSignIn(subject, providerA);
    expect((await members(viaA)).statusCode).toBe(200);
    const refused = await members(viaA, b.orgId);
    expect(refused.statusCode).toBe(403);
    expect(codeOf(refused)).toBe('sso_required');
    expect(providersOf(refused).map((p) => p.id)).toEqual([providerB]);
    // A session from B's provider works at B.
    const viaB = await ssoSignIn(subject, providerB, b.orgId);
    expect((await members(viaB)).statusCode).toBe(200);
    expect((await members(viaB, b.orgId)).statusCode).toBe(200);

    // The session A's provider opened in B: refused on a request, and ended at its refresh.
    expect(codeOf(await members(early.access))).toBe('sso_required');
    const rotated = await refresh(early.refresh);
    expect(rotated.statusCode).toBe(403);
    expect(codeOf(rotated)).toBe('sso_required');
    const { rows } = await sql<{ sso_provider_id: string | null; revoke_reason: string | null }>`
      SELECT sso_provider_id, revoke_reason FROM sessions WHERE user_id = ${userId} AND sign_in_method = 'sso:oidc' ORDER BY created_at`.execute(t.runtime.db);
    expect(rows).toEqual([
      { sso_provider_id: providerA, revoke_reason: 'sso_required' },
      { sso_provider_id: providerA, revoke_reason: null },
      { sso_provider_id: providerB, revoke_reason: null },
    ]);

    // The socket: A's provider hears A only; B's provider hears both.
    const admit = (token: string) => t.app.get(RealtimeService).admit(token);
    expect((await admit(viaA)).memberships.map((m) => m.orgId)).toEqual([a.orgId]);
    expect((await admit(viaB)).memberships.map((m) => m.orgId).sort()).toEqual([a.orgId, b.orgId].sort());

    // Away from A again, a new sign-in through A's provider cannot land in B now.
    await leave(a.orgId);
    const door = await throughProvider(subject, { providerId: providerA });
    expect(door.statusCode).not.toBe(303);
    expect(codeOf(door)).toBe('sso_required');
  });
});
