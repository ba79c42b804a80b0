import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transactor } from '../src/platform/database/transactor.js';
import { addUser, call, login, PASSWORD, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';

const ACCOUNT_LIMIT = 3;
const NEW_PASSWORD = 'saffron-kite-above-jaipur';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    GUDDU_LOGIN_MAX_FAILURES_PER_ACCOUNT: String(ACCOUNT_LIMIT),
    // Every harness sign-in comes from 127.0.0.1; the default 30 a minute would throttle the file.
    GUDDU_LOGIN_MAX_ATTEMPTS_PER_IP: '1000',
  });
});
afterAll(async () => t?.close());

interface Invitation {
  id: string;
  email: string;
  role: string;
  status: string;
}
interface Created extends Invitation {
  token: string;
  acceptUrl: string;
}

const invite = (as: Session, email: string, role: string) =>
  call(t, { method: 'POST', url: '/api/v1/invitations', token: as.accessToken, payload: { email, role } });
const accept = (payload: { token: string; password: string; displayName?: string }) =>
  call(t, { method: 'POST', url: '/api/v1/invitations/accept', payload });
const revoke = (as: Session, id: string) => call(t, { method: 'DELETE', url: `/api/v1/invitations/${id}`, token: as.accessToken });
const attempt = (email: string, password = PASSWORD) =>
  call(t, { method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
const codeOf = (res: { json: <T>() => T }) => res.json<{ code: string }>().code;
const newEmail = () => `invitee-${randomUUID().slice(0, 8)}@mea.gov.in`;

async function created(as: Session, email: string, role: string): Promise<Created> {
  const res = await invite(as, email, role);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Created>();
}

async function invitations(as: Session): Promise<Invitation[]> {
  const res = await call(t, { method: 'GET', url: '/api/v1/invitations', token: as.accessToken });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: Invitation[] }>().items;
}

const statusOf = async (as: Session, id: string) => (await invitations(as)).find((i) => i.id === id)?.status;

async function auditActions(as: Session): Promise<string[]> {
  const res = await call(t, { method: 'GET', url: '/api/v1/audit?limit=200', token: as.accessToken });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: { action: string }[] }>().items.map((e) => e.action);
}

async function rolesIn(email: string, orgId: string, password = PASSWORD): Promise<string[]> {
  const session = await login(t, email, password, orgId);
  const me = await call(t, { method: 'GET', url: '/api/v1/me', token: session.accessToken });
  return me.json<{ organisation: { roles: string[] } }>().organisation.roles;
}

describe('creating and listing invitations', () => {
  it('returns the token once, on creation, and never in the list', async () => {
    const { orgId } = await seedRootOrg(t, 'Ministry Invite');
    const admin = (await addUser(t, orgId, 'admin')).session;
    const inv = await created(admin, 'New.Person@MEA.gov.in', 'editor');
    expect(inv).toMatchObject({ email: 'new.person@mea.gov.in', role: 'editor', status: 'pending' });
    expect(inv.token.length).toBeGreaterThanOrEqual(32);
    expect(inv.acceptUrl).toContain(inv.token);
    const res = await call(t, { method: 'GET', url: '/api/v1/invitations', token: admin.accessToken });
    expect(res.json<{ items: Invitation[] }>().items.map((i) => i.id)).toEqual([inv.id]);
    expect(res.json<{ items: object[] }>().items[0]).not.toHaveProperty('token');
    expect(res.body).not.toContain(inv.token);
  });

  it('refuses to invite someone who is already a member (409 already_member), whatever the case', async () => {
    const { orgId, owner } = await seedRootOrg(t, 'Ministry Already');
    const editor = await addUser(t, orgId, 'editor');
    const res = await invite(owner, editor.email.toUpperCase(), 'admin');
    expect(res.statusCode).toBe(409);
    expect(codeOf(res)).toBe('already_member');
    expect(await invitations(owner)).toEqual([]);
  });

  it('refuses an approver, who lacks user.invite (403 forbidden)', async () => {
    const { orgId, owner } = await seedRootOrg(t, 'Ministry Approver');
    const approver = (await addUser(t, orgId, 'approver')).session;
    const res = await invite(approver, newEmail(), 'viewer');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'forbidden', errors: { permission: 'user.invite' } });
    expect(await invitations(owner)).toEqual([]);
  });

  it('refuses to let an admin invite an owner (403 role_too_high), but not an admin', async () => {
    const { orgId, owner } = await seedRootOrg(t, 'Ministry Invite Rank');
    const admin = (await addUser(t, orgId, 'admin')).session;
    const res = await invite(admin, newEmail(), 'owner');
    expect(res.statusCode).toBe(403);
    expect(codeOf(res)).toBe('role_too_high');
    expect(await invitations(owner)).toEqual([]);
    expect((await invite(admin, newEmail(), 'admin')).statusCode).toBe(201);
  });

  it("keeps one tenant's invitations invisible to another (404 on revoke)", async () => {
    const a = await seedRootOrg(t, 'Ministry Tenant A');
    const b = await seedRootOrg(t, 'Ministry Tenant B');
    const inv = await created(a.owner, newEmail(), 'viewer');
    const res = await revoke(b.owner, inv.id);
    expect(res.statusCode).toBe(404);
    expect(codeOf(res)).toBe('invitation_not_found');
    expect(await invitations(b.owner)).toEqual([]);
    expect(await statusOf(a.owner, inv.id)).toBe('pending');
    expect((await accept({ token: inv.token, password: NEW_PASSWORD, displayName: 'Meera Iyer' })).statusCode).toBe(200);
  });
});

describe('accepting as a new user', () => {
  it('refuses a weak password and writes nothing', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry Weak');
    const inv = await created(owner, newEmail(), 'editor');
    const before = await auditActions(owner);
    const res = await accept({ token: inv.token, password: 'password1234', displayName: 'Asha Rao' });
    expect(res.statusCode).toBe(400);
    expect(codeOf(res)).toBe('weak_password');
    expect(await statusOf(owner, inv.id)).toBe('pending');
    expect((await attempt(inv.email, 'password1234')).statusCode).toBe(401);
    expect(await auditActions(owner)).toEqual(before);
  });

  it('requires a display name for a new account, and writes nothing without one', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry Nameless');
    const inv = await created(owner, newEmail(), 'editor');
    const res = await accept({ token: inv.token, password: NEW_PASSWORD });
    expect(res.statusCode).toBe(400);
    expect(codeOf(res)).toBe('display_name_required');
    expect(await statusOf(owner, inv.id)).toBe('pending');
    expect((await attempt(inv.email, NEW_PASSWORD)).statusCode).toBe(401);
  });

  it('creates the account with the invited role, and the new user signs in', async () => {
    const { orgId, owner } = await seedRootOrg(t, 'Ministry Welcome');
    const inv = await created(owner, newEmail(), 'approver');
    const res = await accept({ token: inv.token, password: NEW_PASSWORD, displayName: 'Asha Rao' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ organisationId: orgId, role: 'approver', newAccount: true });
    expect(await rolesIn(inv.email, orgId, NEW_PASSWORD)).toEqual(['approver']);
    expect(await statusOf(owner, inv.id)).toBe('accepted');
    expect((await auditActions(owner)).filter((a) => a === 'invitation.accepted')).toHaveLength(1);
  });

  it('refuses a second acceptance (409 invitation_used)', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry Twice');
    const inv = await created(owner, newEmail(), 'viewer');
    expect((await accept({ token: inv.token, password: NEW_PASSWORD, displayName: 'Asha Rao' })).statusCode).toBe(200);
    const again = await accept({ token: inv.token, password: NEW_PASSWORD, displayName: 'Asha Rao' });
    expect(again.statusCode).toBe(409);
    expect(codeOf(again)).toBe('invitation_used');
  });

  it('refuses a revoked invitation (409 invitation_used) and creates no account', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry Revoked');
    const inv = await created(owner, newEmail(), 'viewer');
    expect((await revoke(owner, inv.id)).statusCode).toBe(204);
    expect(await statusOf(owner, inv.id)).toBe('revoked');
    const res = await accept({ token: inv.token, password: NEW_PASSWORD, displayName: 'Asha Rao' });
    expect(res.statusCode).toBe(409);
    expect(codeOf(res)).toBe('invitation_used');
    expect((await attempt(inv.email, NEW_PASSWORD)).statusCode).toBe(401);
  });

  it('refuses an expired invitation (410 invitation_expired) and creates no account', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry Expired');
    const inv = await created(owner, newEmail(), 'viewer');
    // Backdated in the database rather than a 1-second TTL for the whole file, which would race
    // every other test's acceptance.
    await t.app
      .get(Transactor)
      .withTenantBypass('test: expire an invitation', (trx) =>
        sql`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = ${inv.id}`.execute(trx),
      );
    expect(await statusOf(owner, inv.id)).toBe('expired');
    const res = await accept({ token: inv.token, password: NEW_PASSWORD, displayName: 'Asha Rao' });
    expect(res.statusCode).toBe(410);
    expect(codeOf(res)).toBe('invitation_expired');
    expect((await attempt(inv.email, NEW_PASSWORD)).statusCode).toBe(401);
  });

  it('answers 404 for a token that names no invitation', async () => {
    const res = await accept({ token: 'no-such-invitation-token', password: NEW_PASSWORD, displayName: 'Asha Rao' });
    expect(res.statusCode).toBe(404);
    expect(codeOf(res)).toBe('invitation_not_found');
  });
});

describe('accepting with an existing account', () => {
  it("requires that account's password, then adds the membership beside the old one", async () => {
    const a = await seedRootOrg(t, 'Ministry Host');
    const b = await seedRootOrg(t, 'Ministry Home');
    const guest = await addUser(t, b.orgId, 'editor');
    const inv = await created(a.owner, guest.email, 'viewer');
    const wrong = await accept({ token: inv.token, password: 'not-the-guest-passphrase', displayName: 'Impostor' });
    expect(wrong.statusCode).toBe(401);
    expect(codeOf(wrong)).toBe('invalid_credentials');
    expect(await statusOf(a.owner, inv.id)).toBe('pending');

    const res = await accept({ token: inv.token, password: PASSWORD });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ userId: guest.session.userId, organisationId: a.orgId, role: 'viewer', newAccount: false });
    expect(await rolesIn(guest.email, a.orgId)).toEqual(['viewer']);
    expect(await rolesIn(guest.email, b.orgId)).toEqual(['editor']);
  });

  it('counts wrong passwords against the account like sign-in does, so a token is no guessing oracle', async () => {
    const a = await seedRootOrg(t, 'Ministry Oracle');
    const b = await seedRootOrg(t, 'Ministry Victim');
    const inv = await created(a.owner, b.ownerEmail, 'viewer');
    for (let i = 0; i < ACCOUNT_LIMIT; i++) {
      expect((await accept({ token: inv.token, password: `wrong-guess-number-${i}` })).statusCode).toBe(401);
    }
    const res = await accept({ token: inv.token, password: PASSWORD });
    expect(res.statusCode).toBe(429);
    expect(codeOf(res)).toBe('login_throttled');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(await statusOf(a.owner, inv.id)).toBe('pending');
    // One count for both doors: sign-in is throttled too.
    expect((await attempt(b.ownerEmail)).statusCode).toBe(429);
  });
});
