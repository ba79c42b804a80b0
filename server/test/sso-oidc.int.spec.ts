import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeNow, enrolTotp, letTimePass } from './mfa-fixtures.js';
import { addUser, call, chainAudit, createChildOrg, login, seedRootOrg, type Session, type TestApp, startTestApp } from './harness.js';
import { browseToCallback, TestIdp } from './oidc-idp.js';

const PUBLIC_URL = 'http://guddu.test';
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

const codeOf = (res: { json: <T>() => T }) => res.json<{ code: string }>().code;

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

function account(email: string, extra: { groups?: string[]; email_verified?: boolean } = {}): string {
  const id = `sub-${randomUUID()}`;
  idp.accounts.set(id, { email, email_verified: true, name: 'Asha Verma', ...extra });
  return id;
}

interface Started {
  authorizationUrl: string;
  /** The browser-binding cookie the start set, as a Cookie header. */
  cookie: string;
}

function setCookie(res: { headers: Record<string, unknown> }, name: string): string | undefined {
  const cookies = ([] as string[]).concat((res.headers['set-cookie'] as string | string[] | undefined) ?? []);
  return cookies.find((c) => c.startsWith(`${name}=`));
}

function bindingOf(res: { headers: Record<string, unknown> }): string {
  const line = setCookie(res, 'guddu_sso');
  if (!line) throw new Error('no SSO binding cookie');
  expect(line).toMatch(/; HttpOnly/);
  expect(line).toMatch(/SameSite=Lax/);
  expect(line).toMatch(/Path=\/api\/v1\/auth\/sso\/callback/);
  return line.split(';')[0]!;
}

async function start(providerId: string, organisationId?: string): Promise<Started> {
  const res = await call(t, { method: 'POST', url: '/api/v1/auth/sso/start', payload: { providerId, ...(organisationId ? { organisationId } : {}) } });
  expect(res.statusCode, res.body).toBe(200);
  return { authorizationUrl: res.json<{ authorizationUrl: string }>().authorizationUrl, cookie: bindingOf(res) };
}

async function startLink(as: Session, providerId: string): Promise<Started> {
  const res = await call(t, { method: 'POST', url: '/api/v1/auth/sso/link', token: as.accessToken, payload: { providerId } });
  expect(res.statusCode, res.body).toBe(200);
  return { authorizationUrl: res.json<{ authorizationUrl: string }>().authorizationUrl, cookie: bindingOf(res) };
}

const deliver = (callbackUrl: URL, cookie?: string, token?: string) =>
  call(t, { method: 'GET', url: `/api/v1/auth/sso/callback${callbackUrl.search}`, ...(cookie ? { headers: { cookie } } : {}), ...(token ? { token } : {}) });

async function signInAs(subject: string, providerId: string, organisationId?: string) {
  idp.signInAs = subject;
  const started = await start(providerId, organisationId);
  return deliver(await browseToCallback(started.authorizationUrl, CALLBACK), started.cookie);
}

function accessCookie(res: { headers: Record<string, unknown> }): string {
  const cookies = ([] as string[]).concat((res.headers['set-cookie'] as string | string[] | undefined) ?? []);
  const access = cookies.find((c) => c.startsWith('guddu_access='));
  if (!access) throw new Error('no access cookie');
  return access.split(';')[0]!;
}

const meWith = (cookie: string, org?: string) => call(t, { method: 'GET', url: '/api/v1/me', headers: { cookie }, ...(org ? { org } : {}) });
const domain = () => `mea-${randomUUID().slice(0, 6)}.gov.in`;

describe('OIDC sign-in', () => {
  it('signs in through the provider, creates the account just in time with the mapped role, and reuses it next time', async () => {
    const { orgId, owner } = await seedRootOrg(t, 'Ministry SSO');
    const d = domain();
    const providerId = await addProvider(owner, {
      allowedDomains: [d],
      jitEnabled: true,
      roleMapping: { claim: 'groups', values: { press: 'editor', desk: 'approver' } },
    });
    const subject = account(`asha@${d}`, { groups: ['press', 'desk', 'canteen'] });
    const res = await signInAs(subject, providerId);
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe(`${PUBLIC_URL}/`);
    const me = await meWith(accessCookie(res));
    expect(me.statusCode, me.body).toBe(200);
    const body = me.json<{ user: { id: string; email: string; displayName: string }; organisation: { id: string; roles: string[] } }>();
    expect(body.user).toMatchObject({ email: `asha@${d}`, displayName: 'Asha Verma' });
    expect(body.organisation).toMatchObject({ id: orgId, roles: ['approver'] });

    const again = await signInAs(subject, providerId);
    expect(again.statusCode).toBe(303);
    expect((await meWith(accessCookie(again))).json<{ user: { id: string } }>().user.id).toBe(body.user.id);
    await chainAudit(t, orgId);
    const { rows } = await sql<{ action: string; after: { via?: string; role?: string } | null }>`
      SELECT action, after FROM audit_events WHERE org_id = ${orgId} AND actor_id = ${body.user.id} ORDER BY seq`.execute(t.runtime.db);
    expect(rows.map((r) => [r.action, r.after?.via])).toEqual([
      ['user.created', 'oidc'],
      ['auth.signed_in', 'oidc'],
      ['auth.signed_in', 'oidc'],
    ]);
    expect(rows[0]!.after?.role).toBe('approver');
  });

  it('keeps the client secret sealed at rest and never shows it', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry Sealed');
    const providerId = await addProvider(owner);
    const { rows } = await sql<{ client_secret_sealed: string }>`SELECT client_secret_sealed FROM identity_providers WHERE id = ${providerId}`.execute(t.runtime.db);
    expect(rows[0]!.client_secret_sealed).toMatch(/^v1\./);
    expect(rows[0]!.client_secret_sealed).not.toContain(idp.clientSecret);
    const list = await call(t, { method: 'GET', url: '/api/v1/identity-providers', token: owner.accessToken });
    expect(list.body).not.toContain(idp.clientSecret);
    expect(list.json()).toMatchObject({ items: [{ id: providerId, inherited: false, redirectUri: CALLBACK }] });
  });

  it('is inherited down the tree: a mission signs in with its ministry’s provider', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry Inherited SSO');
    const mission = await createChildOrg(t, owner, 'Mission Paris');
    const d = domain();
    const providerId = await addProvider(owner, { jitEnabled: true, defaultRole: 'viewer', allowedDomains: [d] });
    const res = await signInAs(account(`leela@${d}`), providerId, mission);
    expect(res.statusCode, res.body).toBe(303);
    expect((await meWith(accessCookie(res))).json()).toMatchObject({ organisation: { id: mission, roles: ['viewer'] } });
    const list = await call(t, { method: 'GET', url: '/api/v1/identity-providers', token: owner.accessToken, org: mission });
    expect(list.json()).toMatchObject({ items: [{ id: providerId, inherited: true }] });
  });

  it('refuses a callback whose state it did not issue, or one already used', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry State');
    const d = domain();
    const providerId = await addProvider(owner, { jitEnabled: true, defaultRole: 'viewer' });
    const forged = await call(t, { method: 'GET', url: `/api/v1/auth/sso/callback?code=abc&state=${randomUUID()}`, headers: { cookie: 'guddu_sso=abc' } });
    expect(forged.statusCode).toBe(400);
    expect(codeOf(forged)).toBe('sso_state_invalid');
    idp.signInAs = account(`ravi@${d}`);
    const started = await start(providerId);
    const url = await browseToCallback(started.authorizationUrl, CALLBACK);
    expect((await deliver(url, started.cookie)).statusCode).toBe(303);
    const replay = await deliver(url, started.cookie);
    expect(codeOf(replay)).toBe('sso_state_invalid');
  });

  it('binds the sign-in to the browser that started it: a callback carried elsewhere signs nobody in (login CSRF)', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry Login CSRF');
    const d = domain();
    const providerId = await addProvider(owner, { jitEnabled: true, defaultRole: 'viewer' });
    // The attacker signs in at the provider as themself and sends the victim the callback link.
    idp.signInAs = account(`attacker@${d}`);
    const attackers = await start(providerId);
    const url = await browseToCallback(attackers.authorizationUrl, CALLBACK);
    const bare = await deliver(url);
    expect(bare.statusCode).toBe(400);
    expect(codeOf(bare)).toBe('sso_browser_mismatch');
    expect(setCookie(bare, 'guddu_access')).toBeUndefined();
    // A victim who started a sign-in of their own holds another nonce: nothing matches.
    const victims = await start(providerId);
    const crossed = await deliver(url, victims.cookie);
    expect(crossed.statusCode).toBe(400);
    expect(codeOf(crossed)).toBe('sso_state_invalid');
    expect(setCookie(crossed, 'guddu_access')).toBeUndefined();
    const { rows } = await sql`SELECT 1 FROM users WHERE email = ${`attacker@${d}`}`.execute(t.runtime.db);
    expect(rows).toHaveLength(0);
    // The browser that started it completes it.
    expect((await deliver(url, attackers.cookie)).statusCode).toBe(303);
  });

  it('refuses an ID token whose nonce is not the one kept for the sign-in', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry Nonce');
    const providerId = await addProvider(owner, { jitEnabled: true, defaultRole: 'viewer' });
    idp.signInAs = account(`meera@${domain()}`);
    const { authorizationUrl, cookie } = await start(providerId);
    const state = new URL(authorizationUrl).searchParams.get('state')!;
    // The record the state names now expects another nonce than the one the provider will sign.
    await sql`UPDATE sso_login_states SET nonce = 'another-nonce' WHERE provider_id = ${providerId} AND used_at IS NULL`.execute(t.runtime.db);
    const res = await deliver(await browseToCallback(authorizationUrl, CALLBACK), cookie);
    expect(res.statusCode, res.body).toBe(400);
    expect(codeOf(res)).toBe('sso_nonce_invalid');
    expect(state).toBeTruthy();
  });

  it('refuses an email domain the organisation does not allow', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry Domains');
    const providerId = await addProvider(owner, { jitEnabled: true, defaultRole: 'viewer', allowedDomains: [domain()] });
    const res = await signInAs(account('someone@gmail.com'), providerId);
    expect(res.statusCode).toBe(403);
    expect(codeOf(res)).toBe('sso_domain_not_allowed');
  });

  it('creates no account when just-in-time creation is off', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry No JIT');
    const d = domain();
    const providerId = await addProvider(owner, { jitEnabled: false, defaultRole: 'viewer' });
    const res = await signInAs(account(`new@${d}`), providerId);
    expect(res.statusCode).toBe(403);
    expect(codeOf(res)).toBe('sso_no_account');
    const { rows } = await sql`SELECT 1 FROM users WHERE email = ${`new@${d}`}`.execute(t.runtime.db);
    expect(rows).toHaveLength(0);
  });

  it('never makes a second account for an existing email; the user links while signed in, once', async () => {
    const { owner, ownerEmail, orgId } = await seedRootOrg(t, 'Ministry Linking');
    const providerId = await addProvider(owner, { jitEnabled: true, defaultRole: 'viewer' });
    const subject = account(ownerEmail);
    const refused = await signInAs(subject, providerId);
    expect(refused.statusCode).toBe(409);
    expect(codeOf(refused)).toBe('sso_link_required');

    const link = await startLink(owner, providerId);
    idp.signInAs = subject;
    const linkUrl = await browseToCallback(link.authorizationUrl, CALLBACK);
    const linked = await deliver(linkUrl, link.cookie, owner.accessToken);
    expect(linked.statusCode, linked.body).toBe(303);
    expect(linked.headers.location).toContain('linked=');

    const signedIn = await signInAs(subject, providerId);
    expect(signedIn.statusCode).toBe(303);
    expect((await meWith(accessCookie(signedIn))).json<{ user: { id: string } }>().user.id).toBe(owner.userId);
    const { rows } = await sql`SELECT 1 FROM users WHERE email = ${ownerEmail}`.execute(t.runtime.db);
    expect(rows).toHaveLength(1);

    // The same provider identity cannot be linked to a second account.
    const { session: colleague } = await addUser(t, orgId, 'editor');
    const second = await startLink(colleague, providerId);
    const taken = await deliver(await browseToCallback(second.authorizationUrl, CALLBACK), second.cookie, colleague.accessToken);
    expect(taken.statusCode).toBe(409);
    expect(codeOf(taken)).toBe('sso_identity_taken');
  });

  it('completes a link only for the signed-in account that started it, after a fresh second factor', async () => {
    const { owner, orgId } = await seedRootOrg(t, 'Ministry Link Owner');
    const providerId = await addProvider(owner, { jitEnabled: true, defaultRole: 'viewer' });
    const { email, session } = await addUser(t, orgId, 'editor');
    idp.signInAs = account(`someone-${randomUUID().slice(0, 6)}@mea.gov.in`);
    const link = await startLink(session, providerId);
    const url = await browseToCallback(link.authorizationUrl, CALLBACK);
    const signedOut = await deliver(url, link.cookie);
    expect(signedOut.statusCode).toBe(403);
    expect(codeOf(signedOut)).toBe('sso_link_wrong_account');
    const again = await startLink(session, providerId);
    const asOwner = await deliver(await browseToCallback(again.authorizationUrl, CALLBACK), again.cookie, owner.accessToken);
    expect(codeOf(asOwner)).toBe('sso_link_wrong_account');
    const { rows } = await sql`SELECT 1 FROM sso_identities WHERE provider_id = ${providerId}`.execute(t.runtime.db);
    expect(rows).toHaveLength(0);

    // Linking is sensitive: a session whose user has a factor must have shown it lately.
    const older = await login(t, email);
    await enrolTotp(t, session.accessToken);
    const stale = await call(t, { method: 'POST', url: '/api/v1/auth/sso/link', token: older.accessToken, payload: { providerId } });
    expect(stale.statusCode).toBe(403);
    expect(codeOf(stale)).toBe('step_up_required');
  });

  it('asks a user with a second factor for it: the provider stands in for the password only', async () => {
    const { owner, ownerEmail } = await seedRootOrg(t, 'Ministry SSO MFA');
    const providerId = await addProvider(owner, { jitEnabled: true, defaultRole: 'viewer' });
    const subject = account(ownerEmail);
    const link = await startLink(owner, providerId);
    idp.signInAs = subject;
    expect((await deliver(await browseToCallback(link.authorizationUrl, CALLBACK), link.cookie, owner.accessToken)).statusCode).toBe(303);
    const { secret } = await enrolTotp(t, owner.accessToken);

    const res = await signInAs(subject, providerId);
    expect(res.statusCode, res.body).toBe(303);
    expect(setCookie(res, 'guddu_access')).toBeUndefined();
    const location = new URL(String(res.headers.location));
    expect(`${location.origin}${location.pathname}`).toBe(`${PUBLIC_URL}/login`);
    const challengeToken = new URLSearchParams(location.hash.slice(1)).get('mfa');
    expect(challengeToken).toBeTruthy();
    await letTimePass(t, owner.userId);
    const done = await call(t, { method: 'POST', url: '/api/v1/auth/mfa/verify', payload: { challengeToken, code: await codeNow(secret) } });
    expect(done.statusCode, done.body).toBe(200);
    const me = await call(t, { method: 'GET', url: '/api/v1/me', token: done.json<{ accessToken: string }>().accessToken });
    expect(me.json<{ user: { id: string } }>().user.id).toBe(owner.userId);
  });

  it('lets no provider mint owners: owner is neither a default role nor a mapped one', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry No IdP Owners');
    const post = (body: Record<string, unknown>) =>
      call(t, {
        method: 'POST',
        url: '/api/v1/identity-providers',
        token: owner.accessToken,
        payload: { name: 'Government ID', issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, ...body },
      });
    const byDefault = await post({ jitEnabled: true, defaultRole: 'owner' });
    expect(byDefault.statusCode).toBe(400);
    const byMapping = await post({ jitEnabled: true, roleMapping: { claim: 'groups', values: { ministers: 'owner' } } });
    expect(byMapping.statusCode).toBe(400);
    expect((await post({ jitEnabled: true, defaultRole: 'admin' })).statusCode).toBe(201);
  });

  it('ends at the Guddu side: a deactivated user cannot sign in with SSO', async () => {
    const { owner, orgId } = await seedRootOrg(t, 'Ministry Deactivated SSO');
    const d = domain();
    const providerId = await addProvider(owner, { jitEnabled: true, defaultRole: 'viewer' });
    const subject = account(`gone@${d}`);
    const first = await signInAs(subject, providerId);
    const userId = (await meWith(accessCookie(first))).json<{ user: { id: string } }>().user.id;
    expect((await call(t, { method: 'POST', url: `/api/v1/users/${userId}/deactivate`, token: owner.accessToken })).statusCode).toBe(204);
    const res = await signInAs(subject, providerId);
    expect(res.statusCode).toBe(403);
    expect(codeOf(res)).toBe('account_inactive');
    expect(orgId).toBeTruthy();
  });
});
