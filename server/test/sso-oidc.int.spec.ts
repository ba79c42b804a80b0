import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, call, chainAudit, createChildOrg, seedRootOrg, type Session, type TestApp, startTestApp } from './harness.js';
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

async function start(providerId: string, organisationId?: string): Promise<string> {
  const res = await call(t, { method: 'POST', url: '/api/v1/auth/sso/start', payload: { providerId, ...(organisationId ? { organisationId } : {}) } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ authorizationUrl: string }>().authorizationUrl;
}

const deliver = (callbackUrl: URL) => call(t, { method: 'GET', url: `/api/v1/auth/sso/callback${callbackUrl.search}` });

async function signInAs(subject: string, providerId: string, organisationId?: string) {
  idp.signInAs = subject;
  return deliver(await browseToCallback(await start(providerId, organisationId), CALLBACK));
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
    const forged = await call(t, { method: 'GET', url: `/api/v1/auth/sso/callback?code=abc&state=${randomUUID()}` });
    expect(forged.statusCode).toBe(400);
    expect(codeOf(forged)).toBe('sso_state_invalid');
    idp.signInAs = account(`ravi@${d}`);
    const url = await browseToCallback(await start(providerId), CALLBACK);
    expect((await deliver(url)).statusCode).toBe(303);
    const replay = await deliver(url);
    expect(codeOf(replay)).toBe('sso_state_invalid');
  });

  it('refuses an ID token whose nonce is not the one kept for the sign-in', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry Nonce');
    const providerId = await addProvider(owner, { jitEnabled: true, defaultRole: 'viewer' });
    idp.signInAs = account(`meera@${domain()}`);
    const authorizationUrl = await start(providerId);
    const state = new URL(authorizationUrl).searchParams.get('state')!;
    // The record the state names now expects another nonce than the one the provider will sign.
    await sql`UPDATE sso_login_states SET nonce = 'another-nonce' WHERE provider_id = ${providerId} AND used_at IS NULL`.execute(t.runtime.db);
    const res = await deliver(await browseToCallback(authorizationUrl, CALLBACK));
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

    const link = await call(t, { method: 'POST', url: '/api/v1/auth/sso/link', token: owner.accessToken, payload: { providerId } });
    expect(link.statusCode, link.body).toBe(200);
    idp.signInAs = subject;
    const linked = await deliver(await browseToCallback(link.json<{ authorizationUrl: string }>().authorizationUrl, CALLBACK));
    expect(linked.statusCode, linked.body).toBe(303);
    expect(linked.headers.location).toContain('linked=');

    const signedIn = await signInAs(subject, providerId);
    expect(signedIn.statusCode).toBe(303);
    expect((await meWith(accessCookie(signedIn))).json<{ user: { id: string } }>().user.id).toBe(owner.userId);
    const { rows } = await sql`SELECT 1 FROM users WHERE email = ${ownerEmail}`.execute(t.runtime.db);
    expect(rows).toHaveLength(1);

    // The same provider identity cannot be linked to a second account.
    const { session: colleague } = await addUser(t, orgId, 'editor');
    const second = await call(t, { method: 'POST', url: '/api/v1/auth/sso/link', token: colleague.accessToken, payload: { providerId } });
    const taken = await deliver(await browseToCallback(second.json<{ authorizationUrl: string }>().authorizationUrl, CALLBACK));
    expect(taken.statusCode).toBe(409);
    expect(codeOf(taken)).toBe('sso_identity_taken');
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
