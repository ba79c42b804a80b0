import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeNow, enrolTotp, letTimePass } from './mfa-fixtures.js';
import { addUser, call, chainAudit, createChildOrg, login, seedRootOrg, type Session, type TestApp, startTestApp } from './harness.js';
import { type PostedForm, TestSamlIdp } from './saml-idp.js';

const PUBLIC_URL = 'http://guddu.test';

let t: TestApp;
let idp: TestSamlIdp;
beforeAll(async () => {
  t = await startTestApp({ GUDDU_PUBLIC_URL: PUBLIC_URL });
  idp = await TestSamlIdp.start();
});
afterAll(async () => {
  await idp?.close();
  await t?.close();
});

type Res = Awaited<ReturnType<typeof call>>;
const codeOf = (res: Res) => res.json<{ code: string }>().code;
const domain = () => `mea-${randomUUID().slice(0, 6)}.gov.in`;
const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

interface SamlProvider {
  id: string;
  saml: { spEntityId: string; acsUrl: string; metadataUrl: string; entityId: string; certificateFingerprints: string[] };
}

async function addProvider(owner: Session, body: Record<string, unknown> = {}): Promise<SamlProvider> {
  const res = await call(t, {
    method: 'POST',
    url: '/api/v1/identity-providers/saml',
    token: owner.accessToken,
    payload: { name: 'National SAML federation', entityId: idp.entityId, ssoUrl: idp.ssoUrl, certificates: [idp.certificate], ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<SamlProvider>();
}

function person(email: string, attributes: Record<string, string[]> = {}) {
  idp.signInAs = { nameId: `pid-${randomUUID()}`, attributes: { email: [email], displayName: ['Asha Verma'], ...attributes } };
  return idp.signInAs;
}

function bindingOf(res: Res): string {
  const cookies = ([] as string[]).concat((res.headers['set-cookie']) ?? []);
  const line = cookies.find((c) => c.startsWith('guddu_sso='));
  if (!line) throw new Error('no SSO binding cookie');
  expect(line).toMatch(/SameSite=Lax/);
  return line.split(';')[0]!;
}

function accessCookie(res: Res): string | undefined {
  const cookies = ([] as string[]).concat((res.headers['set-cookie']) ?? []);
  return cookies.find((c) => c.startsWith('guddu_access='))?.split(';')[0];
}

async function start(providerId: string, as?: Session, organisationId?: string): Promise<{ authorizationUrl: string; cookie: string }> {
  const res = as
    ? await call(t, { method: 'POST', url: '/api/v1/auth/sso/link', token: as.accessToken, payload: { providerId } })
    : await call(t, { method: 'POST', url: '/api/v1/auth/sso/start', payload: { providerId, ...(organisationId ? { organisationId } : {}) } });
  expect(res.statusCode, res.body).toBe(200);
  return { authorizationUrl: res.json<{ authorizationUrl: string }>().authorizationUrl, cookie: bindingOf(res) };
}

/** The IdP's form posted to our ACS, as the browser does (a cross-site POST: no cookie of ours). */
const post = (form: PostedForm) =>
  call(t, {
    method: 'POST',
    url: pathOf(form.acsUrl),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ SAMLResponse: form.SAMLResponse, RelayState: form.RelayState }).toString(),
  });

/** The ACS's redirect followed: a top-level GET, which carries the Lax binding cookie. */
const follow = (acs: Res, cookie?: string, token?: string) => {
  expect(acs.statusCode, acs.body).toBe(303);
  return call(t, { method: 'GET', url: pathOf(String(acs.headers.location)), ...(cookie ? { headers: { cookie } } : {}), ...(token ? { token } : {}) });
};

/** A whole SP-initiated sign-in: start, the IdP, the ACS, the callback. */
async function signIn(providerId: string): Promise<Res> {
  const started = await start(providerId);
  const acs = await post(await idp.browse(started.authorizationUrl));
  if (acs.statusCode !== 303) return acs;
  return follow(acs, started.cookie);
}

const meWith = (cookie: string) => call(t, { method: 'GET', url: '/api/v1/me', headers: { cookie } });

describe('SAML sign-in', () => {
  it('signs in SP-initiated: a redirect-binding AuthnRequest, a signed assertion, the role mapped from an attribute, the account made just in time', async () => {
    const { orgId, owner } = await seedRootOrg(t, 'Ministry SAML');
    const d = domain();
    const provider = await addProvider(owner, {
      allowedDomains: [d],
      jitEnabled: true,
      roleMapping: { claim: 'groups', values: { press: 'editor', desk: 'approver' } },
    });
    const subject = person(`asha@${d}`, { groups: ['press', 'desk', 'canteen'] });
    const started = await start(provider.id);
    const authorize = new URL(started.authorizationUrl);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(idp.ssoUrl);
    expect(authorize.searchParams.get('RelayState')).toBeTruthy();
    const form = await idp.browse(started.authorizationUrl);
    const request = idp.requests.at(-1)!;
    expect(request.issuer).toBe(provider.saml.spEntityId);
    expect(request.acsUrl).toBe(`${PUBLIC_URL}/api/v1/auth/sso/saml/${provider.id}/acs`);
    const acs = await post(form);
    expect(acs.statusCode, acs.body).toBe(303);
    expect(String(acs.headers.location)).toMatch(new RegExp(`^${PUBLIC_URL}/api/v1/auth/sso/callback\\?saml=`));
    expect(accessCookie(acs)).toBeUndefined();
    const done = await follow(acs, started.cookie);
    expect(done.statusCode, done.body).toBe(303);
    expect(done.headers.location).toBe(`${PUBLIC_URL}/`);
    const me = await meWith(accessCookie(done)!);
    const body = me.json<{ user: { id: string; email: string; displayName: string }; organisation: { id: string; roles: string[] } }>();
    expect(body.user).toMatchObject({ email: `asha@${d}`, displayName: 'Asha Verma' });
    expect(body.organisation).toEqual(expect.objectContaining({ id: orgId, roles: ['approver'] }));

    // The next sign-in finds the same account by the persistent NameID.
    idp.signInAs = subject;
    const again = await signIn(provider.id);
    expect(again.statusCode, again.body).toBe(303);
    expect((await meWith(accessCookie(again)!)).json<{ user: { id: string } }>().user.id).toBe(body.user.id);
    await chainAudit(t, orgId);
    const { rows } = await sql<{ action: string; after: { via?: string } | null }>`
      SELECT action, after FROM audit_events WHERE org_id = ${orgId} AND actor_id = ${body.user.id} ORDER BY seq`.execute(t.runtime.db);
    expect(rows.map((r) => [r.action, r.after?.via])).toEqual([
      ['user.created', 'saml'],
      ['auth.signed_in', 'saml'],
      ['auth.signed_in', 'saml'],
    ]);
  });

  it('refuses IdP-initiated sign-in unless the provider allows it, and then signs in', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry SAML IdP-initiated');
    const d = domain();
    const closed = await addProvider(owner, { jitEnabled: true, defaultRole: 'viewer' });
    person(`leela@${d}`);
    const refused = await post(idp.unsolicited(closed.saml.acsUrl, closed.saml.spEntityId));
    expect(refused.statusCode).toBe(403);
    expect(codeOf(refused)).toBe('saml_idp_initiated_disabled');

    const open = await addProvider(owner, { jitEnabled: true, defaultRole: 'viewer', idpInitiated: true });
    const acs = await post(idp.unsolicited(open.saml.acsUrl, open.saml.spEntityId));
    const done = await follow(acs);
    expect(done.statusCode, done.body).toBe(303);
    expect((await meWith(accessCookie(done)!)).json()).toMatchObject({ user: { email: `leela@${d}` }, organisation: { roles: ['viewer'] } });
  });

  it('refuses an assertion for another audience, or sent to another ACS', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry SAML Audience');
    const provider = await addProvider(owner, { jitEnabled: true, defaultRole: 'viewer' });
    person(`ravi@${domain()}`);
    idp.tamper = { audience: 'https://another-service.example/saml' };
    try {
      const res = await signIn(provider.id);
      expect(res.statusCode).toBe(401);
      expect(codeOf(res)).toBe('saml_audience_invalid');
    } finally {
      idp.tamper = {};
    }
    // Another provider's ACS: the assertion names this one's audience.
    const other = await addProvider(owner, { jitEnabled: true, defaultRole: 'viewer', idpInitiated: true });
    const form = idp.unsolicited(provider.saml.acsUrl, provider.saml.spEntityId);
    const crossed = await post({ ...form, acsUrl: other.saml.acsUrl });
    expect(crossed.statusCode).toBe(401);
    expect(codeOf(crossed)).toBe('saml_audience_invalid');
  });

  it('is inherited down the tree: a mission signs in with its ministry’s SAML provider', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry SAML Inherited');
    const mission = await createChildOrg(t, owner, 'Mission Tokyo');
    const d = domain();
    const provider = await addProvider(owner, { jitEnabled: true, defaultRole: 'editor', allowedDomains: [d] });
    person(`kenji@${d}`);
    const started = await start(provider.id, undefined, mission);
    const done = await follow(await post(await idp.browse(started.authorizationUrl)), started.cookie);
    expect(done.statusCode, done.body).toBe(303);
    expect((await meWith(accessCookie(done)!)).json()).toMatchObject({ organisation: { id: mission, roles: ['editor'] } });
    const list = await call(t, { method: 'GET', url: '/api/v1/identity-providers', token: owner.accessToken, org: mission });
    expect(list.json()).toMatchObject({ items: [{ id: provider.id, kind: 'saml', inherited: true }] });
  });

  it('refuses an expired assertion', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry SAML Expired');
    const provider = await addProvider(owner, { jitEnabled: true, defaultRole: 'viewer' });
    person(`old@${domain()}`);
    idp.tamper = { shiftMs: -3600_000 };
    try {
      const res = await signIn(provider.id);
      expect(res.statusCode).toBe(401);
      expect(codeOf(res)).toBe('saml_assertion_expired');
    } finally {
      idp.tamper = {};
    }
  });

  it('refuses a replayed assertion, and a handle used twice', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry SAML Replay');
    const provider = await addProvider(owner, { jitEnabled: true, defaultRole: 'viewer' });
    person(`meera@${domain()}`);
    const started = await start(provider.id);
    const form = await idp.browse(started.authorizationUrl);
    const acs = await post(form);
    expect((await follow(acs, started.cookie)).statusCode).toBe(303);
    const replay = await post(form);
    expect(replay.statusCode).toBe(409);
    expect(codeOf(replay)).toBe('saml_assertion_replayed');
    const again = await follow(acs, started.cookie);
    expect(again.statusCode).toBe(400);
    expect(codeOf(again)).toBe('sso_state_invalid');
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM sso_saml_assertions WHERE provider_id = ${provider.id}`.execute(t.runtime.db);
    expect(rows[0]!.n).toBe(1);
  });

  it('refuses an unsigned assertion, one signed by another key, and one altered after signing', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry SAML Signatures');
    const provider = await addProvider(owner, { jitEnabled: true, defaultRole: 'viewer' });
    const d = domain();
    for (const tamper of [{ unsigned: true }, { signWith: 'other' as const }, { alterAfterSigning: `mallory@${d}` }]) {
      person(`kiran@${d}`);
      idp.tamper = tamper;
      try {
        const res = await signIn(provider.id);
        expect(res.statusCode, JSON.stringify(tamper)).toBe(401);
        expect(codeOf(res)).toBe('saml_signature_invalid');
      } finally {
        idp.tamper = {};
      }
    }
    const { rows } = await sql`SELECT 1 FROM users WHERE email LIKE ${`%@${d}`}`.execute(t.runtime.db);
    expect(rows).toHaveLength(0);
  });

  it('refuses a response to another request (InResponseTo), and binds the sign-in to the browser that started it', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry SAML InResponseTo');
    const provider = await addProvider(owner, { jitEnabled: true, defaultRole: 'viewer' });
    const d = domain();
    person(`arjun@${d}`);
    idp.tamper = { inResponseTo: `_${randomUUID()}` };
    try {
      const res = await signIn(provider.id);
      expect(res.statusCode).toBe(400);
      expect(codeOf(res)).toBe('saml_in_response_to_invalid');
    } finally {
      idp.tamper = {};
    }
    // Carried to a browser without the binding cookie (login CSRF), or with another sign-in's.
    const attackers = await start(provider.id);
    const acs = await post(await idp.browse(attackers.authorizationUrl));
    const bare = await follow(acs);
    expect(codeOf(bare)).toBe('sso_browser_mismatch');
    expect(accessCookie(bare)).toBeUndefined();
    const victims = await start(provider.id);
    const acs2 = await post(await idp.browse(attackers.authorizationUrl));
    const crossed = await follow(acs2, victims.cookie);
    expect(crossed.statusCode).toBe(400);
    expect(codeOf(crossed)).toBe('sso_state_invalid');
    const { rows } = await sql`SELECT 1 FROM users WHERE email = ${`arjun@${d}`}`.execute(t.runtime.db);
    expect(rows).toHaveLength(0);
  });

  it('refuses an email domain the organisation does not allow, and creates no account when JIT is off', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry SAML Domains');
    const strict = await addProvider(owner, { jitEnabled: true, defaultRole: 'viewer', allowedDomains: [domain()] });
    person('someone@gmail.com');
    const res = await signIn(strict.id);
    expect(res.statusCode).toBe(403);
    expect(codeOf(res)).toBe('sso_domain_not_allowed');

    const noJit = await addProvider(owner, { jitEnabled: false, defaultRole: 'viewer' });
    const d = domain();
    person(`new@${d}`);
    const none = await signIn(noJit.id);
    expect(none.statusCode).toBe(403);
    expect(codeOf(none)).toBe('sso_no_account');
    const { rows } = await sql`SELECT 1 FROM users WHERE email = ${`new@${d}`}`.execute(t.runtime.db);
    expect(rows).toHaveLength(0);
  });

  it('never makes a second account for an existing email; links while signed in, then asks for the second factor', async () => {
    const { owner, ownerEmail, orgId } = await seedRootOrg(t, 'Ministry SAML Linking');
    const provider = await addProvider(owner, { jitEnabled: true, defaultRole: 'viewer' });
    const subject = person(ownerEmail);
    const refused = await signIn(provider.id);
    expect(refused.statusCode).toBe(409);
    expect(codeOf(refused)).toBe('sso_link_required');

    // Finishing a link needs the account that started it signed in on this browser.
    const link = await start(provider.id, owner);
    const unsigned = await follow(await post(await idp.browse(link.authorizationUrl)), link.cookie);
    expect(codeOf(unsigned)).toBe('sso_link_wrong_account');
    const link2 = await start(provider.id, owner);
    const linked = await follow(await post(await idp.browse(link2.authorizationUrl)), link2.cookie, owner.accessToken);
    expect(linked.statusCode, linked.body).toBe(303);
    expect(linked.headers.location).toBe(`${PUBLIC_URL}/settings?linked=${provider.id}`);

    idp.signInAs = subject;
    const signedIn = await signIn(provider.id);
    expect(signedIn.statusCode, signedIn.body).toBe(303);
    expect((await meWith(accessCookie(signedIn)!)).json<{ user: { id: string } }>().user.id).toBe(owner.userId);
    const { rows } = await sql`SELECT 1 FROM users WHERE email = ${ownerEmail}`.execute(t.runtime.db);
    expect(rows).toHaveLength(1);

    // The same identity cannot be linked to a colleague's account.
    const { session: colleague } = await addUser(t, orgId, 'editor');
    const theirs = await start(provider.id, colleague);
    const taken = await follow(await post(await idp.browse(theirs.authorizationUrl)), theirs.cookie, colleague.accessToken);
    expect(taken.statusCode).toBe(409);
    expect(codeOf(taken)).toBe('sso_identity_taken');

    // With a second factor enrolled, SAML stands in for the password only.
    const { secret } = await enrolTotp(t, owner.accessToken);
    idp.signInAs = subject;
    const challenged = await signIn(provider.id);
    expect(challenged.statusCode, challenged.body).toBe(303);
    expect(accessCookie(challenged)).toBeUndefined();
    const challengeToken = new URLSearchParams(new URL(String(challenged.headers.location)).hash.slice(1)).get('mfa');
    expect(challengeToken).toBeTruthy();
    await letTimePass(t, owner.userId);
    const verified = await call(t, { method: 'POST', url: '/api/v1/auth/mfa/verify', payload: { challengeToken, code: await codeNow(secret) } });
    expect(verified.statusCode, verified.body).toBe(200);
  });
});

describe('SAML configuration', () => {
  it('reads the IdP from its metadata, serves our SP metadata, and lists providers by email domain with names only', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry SAML Metadata');
    const d = domain();
    const res = await call(t, {
      method: 'POST',
      url: '/api/v1/identity-providers/saml',
      token: owner.accessToken,
      payload: { name: 'Federation', metadataXml: idp.metadataXml(), allowedDomains: [d], jitEnabled: true, defaultRole: 'viewer' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const provider = res.json<SamlProvider & { kind: string }>();
    expect(provider.kind).toBe('saml');
    expect(provider.saml).toMatchObject({ entityId: idp.entityId, ssoUrl: idp.ssoUrl, metadataUrl: `${PUBLIC_URL}/api/v1/auth/sso/saml/${provider.id}/metadata` });
    expect(provider.saml.certificateFingerprints).toHaveLength(1);

    const metadata = await call(t, { method: 'GET', url: pathOf(provider.saml.metadataUrl) });
    expect(metadata.statusCode).toBe(200);
    expect(metadata.headers['content-type']).toMatch(/samlmetadata\+xml/);
    expect(metadata.body).toContain(`entityID="${provider.saml.spEntityId}"`);
    expect(metadata.body).toContain(`Location="${provider.saml.acsUrl}"`);

    // A provider configured from metadata signs in like any other.
    person(`neha@${d}`);
    expect((await signIn(provider.id)).statusCode).toBe(303);

    const listed = await call(t, { method: 'GET', url: `/api/v1/auth/sso/providers?email=${encodeURIComponent(`someone@${d.toUpperCase()}`)}` });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json()).toEqual({ items: [{ id: provider.id, name: 'Federation', kind: 'saml' }] });
    const none = await call(t, { method: 'GET', url: `/api/v1/auth/sso/providers?email=someone@${domain()}` });
    expect(none.json()).toEqual({ items: [] });
  });

  it('changes a provider in place: a certificate rollover keeps the links, and the audit keeps fingerprints, not keys', async () => {
    const { owner, ownerEmail, orgId } = await seedRootOrg(t, 'Ministry SAML Rollover');
    const mission = await createChildOrg(t, owner, 'Mission Rome');
    const provider = await addProvider(owner, { certificates: [idp.otherCertificate], jitEnabled: false });
    const subject = person(ownerEmail);
    // Signed with the IdP's key, which this provider does not trust yet.
    const refused = await signIn(provider.id);
    expect(codeOf(refused)).toBe('saml_signature_invalid');

    const patch = (id: string, payload: Record<string, unknown>, org?: string) =>
      call(t, { method: 'PATCH', url: `/api/v1/identity-providers/${id}`, token: owner.accessToken, payload, ...(org ? { org } : {}) });
    const rolled = await patch(provider.id, { certificates: [idp.otherCertificate, idp.certificate], allowedDomains: ['mea.gov.in'], idpInitiated: true });
    expect(rolled.statusCode, rolled.body).toBe(200);
    expect(rolled.json()).toMatchObject({ id: provider.id, allowedDomains: ['mea.gov.in'], saml: { idpInitiated: true } });
    expect(rolled.json<SamlProvider>().saml.certificateFingerprints).toHaveLength(2);
    const link = await start(provider.id, owner);
    expect((await follow(await post(await idp.browse(link.authorizationUrl)), link.cookie, owner.accessToken)).statusCode).toBe(303);

    // A second change keeps the link: the same person signs in.
    expect((await patch(provider.id, { certificates: [idp.certificate], name: 'Federation (2027 key)' })).statusCode).toBe(200);
    idp.signInAs = subject;
    const signedIn = await signIn(provider.id);
    expect(signedIn.statusCode, signedIn.body).toBe(303);
    expect((await meWith(accessCookie(signedIn)!)).json<{ user: { id: string } }>().user.id).toBe(owner.userId);

    await chainAudit(t, orgId);
    const { rows } = await sql<{ before: unknown; after: unknown }>`
      SELECT before, after FROM audit_events WHERE org_id = ${orgId} AND action = 'identity_provider.updated' ORDER BY seq`.execute(t.runtime.db);
    expect(rows).toHaveLength(2);
    expect(JSON.stringify(rows)).not.toContain('BEGIN CERTIFICATE');
    expect(rows[0]!.after).toMatchObject({ idpInitiated: true, allowedDomains: ['mea.gov.in'] });

    // Only where it is configured, and only its own protocol's settings.
    const fromBelow = await patch(provider.id, { jitEnabled: true }, mission);
    expect(codeOf(fromBelow)).toBe('identity_provider_not_found');
    expect(codeOf(await patch(provider.id, { clientSecret: 'x' }))).toBe('identity_provider_kind_mismatch');
    expect((await patch(provider.id, {})).statusCode).toBe(400);
  });

  it('refuses unusable settings: a DOCTYPE, no signing certificate, a plain-http SSO URL, a certificate that is not one', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry SAML Bad Settings');
    const create = (payload: Record<string, unknown>) => call(t, { method: 'POST', url: '/api/v1/identity-providers/saml', token: owner.accessToken, payload: { name: 'Bad', ...payload } });
    const doctype = await create({ metadataXml: `<!DOCTYPE x [<!ENTITY e "boom">]>${idp.metadataXml().replace('<?xml version="1.0"?>', '')}` });
    expect(codeOf(doctype)).toBe('saml_metadata_invalid');
    const noCert = await create({ metadataXml: idp.metadataXml().replace(/<md:KeyDescriptor[\s\S]*?<\/md:KeyDescriptor>/, '') });
    expect(codeOf(noCert)).toBe('saml_metadata_invalid');
    const http = await create({ entityId: 'x', ssoUrl: 'http://idp.example.org/sso', certificates: [idp.certificate] });
    expect(codeOf(http)).toBe('saml_metadata_invalid');
    const junk = await create({ entityId: 'x', ssoUrl: 'https://idp.example.org/sso', certificates: ['A'.repeat(200)] });
    expect(codeOf(junk)).toBe('saml_metadata_invalid');
    const both = await create({ metadataXml: idp.metadataXml(), entityId: 'x' });
    expect(both.statusCode).toBe(400);
  });

  it('answers an unknown provider and a missing response with the taxonomy', async () => {
    const unknown = await call(t, { method: 'GET', url: `/api/v1/auth/sso/saml/${randomUUID()}/metadata` });
    expect(unknown.statusCode).toBe(404);
    expect(codeOf(unknown)).toBe('identity_provider_not_found');
    const { owner } = await seedRootOrg(t, 'Ministry SAML Empty');
    const provider = await addProvider(owner);
    const empty = await call(t, { method: 'POST', url: pathOf(provider.saml.acsUrl), headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'RelayState=x' });
    expect(empty.statusCode).toBe(400);
    expect(codeOf(empty)).toBe('saml_response_invalid');
    expect(login).toBeTypeOf('function');
  });
});
