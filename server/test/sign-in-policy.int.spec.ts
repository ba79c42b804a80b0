import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminService } from '../src/modules/identity/admin.service.js';
import { codeNow, enrolTotp, letTimePass, signInWithCode } from './mfa-fixtures.js';
import { addUser, call, chainAudit, createChildOrg, login, PASSWORD, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const codeOf = (res: { json: <T>() => T }) => res.json<{ code: string }>().code;
const setPolicy = (as: Session, body: Record<string, unknown>, org?: string) =>
  call(t, { method: 'PUT', url: '/api/v1/sign-in-policy', token: as.accessToken, payload: body, ...(org ? { org } : {}) });
const members = (token: string, org?: string) => call(t, { method: 'GET', url: '/api/v1/users', token, ...(org ? { org } : {}) });

/** A root organisation whose owner has an authenticator, requiring `rule` of its subtree. */
async function orgRequiring(name: string, rule: 'publishers' | 'everyone') {
  const root = await seedRootOrg(t, name);
  const { secret } = await enrolTotp(t, root.owner.accessToken);
  const res = await setPolicy(root.owner, { mfaRequiredFor: rule });
  expect(res.statusCode, res.body).toBe(200);
  return { ...root, secret };
}

describe('a policy that requires a second factor', () => {
  it('holds a member without one to enrolment, through refresh too, until they enrol', async () => {
    const { orgId } = await orgRequiring('Ministry Everyone', 'everyone');
    // The operator command's user, signing in with the password: a session, held to enrolment.
    const { session } = await addUser(t, orgId, 'viewer');
    const held = await members(session.accessToken);
    expect(held.statusCode).toBe(403);
    expect(codeOf(held)).toBe('mfa_enrolment_required');
    expect((await call(t, { method: 'GET', url: '/api/v1/me', token: session.accessToken })).statusCode).toBe(200);
    const status = await call(t, { method: 'GET', url: '/api/v1/auth/mfa', token: session.accessToken });
    expect(status.json()).toMatchObject({ requiredHere: true, totp: { state: 'none' } });

    const refreshed = await call(t, { method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: session.refreshToken } });
    expect(refreshed.statusCode).toBe(200);
    const afterRefresh = await members(refreshed.json<{ accessToken: string }>().accessToken);
    expect(codeOf(afterRefresh)).toBe('mfa_enrolment_required');

    await enrolTotp(t, session.accessToken);
    expect((await members(session.accessToken)).statusCode).toBe(200);
  });

  it('cannot be got round with another organisation’s header', async () => {
    const root = await seedRootOrg(t, 'Ministry Header');
    const mission = await createChildOrg(t, root.owner, 'Mission Strict');
    const { secret } = await enrolTotp(t, root.owner.accessToken);
    expect((await setPolicy(root.owner, { mfaRequiredFor: 'everyone' }, mission)).statusCode).toBe(200);
    // An approver of the ministry (no rule there) has a full session at the ministry…
    const { session } = await addUser(t, root.orgId, 'approver');
    expect((await members(session.accessToken)).statusCode).toBe(200);
    // …but the mission's rule holds when the same session acts there.
    const there = await members(session.accessToken, mission);
    expect(there.statusCode).toBe(403);
    expect(codeOf(there)).toBe('mfa_enrolment_required');
    expect(secret).toBeTruthy();
  });

  it('holds an invited member to enrolment after accepting', async () => {
    const { orgId, owner } = await orgRequiring('Ministry Invite', 'everyone');
    const email = `invitee-${randomUUID().slice(0, 6)}@mea.gov.in`;
    const inv = await call(t, { method: 'POST', url: '/api/v1/invitations', token: owner.accessToken, payload: { email, role: 'editor' } });
    expect(inv.statusCode, inv.body).toBe(201);
    const accepted = await call(t, {
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token: inv.json<{ token: string }>().token, password: PASSWORD, displayName: 'Invitee' },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const s = await login(t, email, PASSWORD, orgId);
    expect(codeOf(await members(s.accessToken))).toBe('mfa_enrolment_required');
  });

  it('for publishers, holds only those who can publish', async () => {
    const { orgId } = await orgRequiring('Ministry Publishers', 'publishers');
    const editor = await addUser(t, orgId, 'editor');
    expect((await members(editor.session.accessToken)).statusCode).toBe(200);
    const admin = await addUser(t, orgId, 'admin');
    expect(codeOf(await members(admin.session.accessToken))).toBe('mfa_enrolment_required');
  });

  it('asks a session opened before its user enrolled to show the factor', async () => {
    const { orgId } = await orgRequiring('Ministry Old Session', 'everyone');
    const { email, session } = await addUser(t, orgId, 'viewer');
    const other = await login(t, email); // a second device, also held
    const { secret } = await enrolTotp(t, session.accessToken);
    const res = await members(other.accessToken);
    expect(res.statusCode).toBe(403);
    expect(codeOf(res)).toBe('mfa_verification_required');
    await letTimePass(t, session.userId);
    expect((await call(t, { method: 'POST', url: '/api/v1/auth/mfa/step-up', token: other.accessToken, payload: { code: await codeNow(secret) } })).statusCode).toBe(200);
    expect((await members(other.accessToken)).statusCode).toBe(200);
  });

  it('cannot be set by someone without a factor of their own (no locking the organisation out)', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry Lockout');
    const res = await setPolicy(owner, { mfaRequiredFor: 'everyone' });
    expect(res.statusCode).toBe(409);
    expect(codeOf(res)).toBe('mfa_enrol_first');
    const get = await call(t, { method: 'GET', url: '/api/v1/sign-in-policy', token: owner.accessToken });
    expect(get.json()).toMatchObject({ own: null, effective: { mfaRequiredFor: 'nobody', stepUpMinutes: 10 } });
  });

  it('is inherited: a child reads the strictest rule above it and cannot loosen it', async () => {
    const root = await orgRequiring('Ministry Inherit', 'everyone');
    const mission = await createChildOrg(t, root.owner, 'Mission Loose');
    expect((await setPolicy(root.owner, { mfaRequiredFor: 'nobody', stepUpMinutes: 5 }, mission)).statusCode).toBe(200);
    const get = await call(t, { method: 'GET', url: '/api/v1/sign-in-policy', token: root.owner.accessToken, org: mission });
    expect(get.json()).toMatchObject({ own: { mfaRequiredFor: 'nobody', stepUpMinutes: 5 }, effective: { mfaRequiredFor: 'everyone', stepUpMinutes: 5, setBy: root.orgId } });
    const { session } = await addUser(t, mission, 'viewer');
    expect(codeOf(await members(session.accessToken))).toBe('mfa_enrolment_required');
  });
});

describe('step-up', () => {
  it('asks a user with a factor for a fresh one before suspending, and the audit says which', async () => {
    const { orgId, owner, secret } = await orgRequiring('Ministry Step Up', 'publishers');
    await sql`UPDATE sessions SET mfa_at = now() - interval '11 minutes' WHERE id = ${decodeJwt(owner.accessToken).sid}`.execute(t.runtime.db);
    const suspend = () => call(t, { method: 'POST', url: '/api/v1/publishing/suspensions', token: owner.accessToken, payload: { reason: 'Crisis' } });
    const stale = await suspend();
    expect(stale.statusCode).toBe(403);
    expect(codeOf(stale)).toBe('step_up_required');
    expect(stale.json()).toMatchObject({ errors: { maxAgeMinutes: 10 } });

    await letTimePass(t, owner.userId);
    const up = await call(t, { method: 'POST', url: '/api/v1/auth/mfa/step-up', token: owner.accessToken, payload: { code: await codeNow(secret) } });
    expect(up.statusCode, up.body).toBe(200);
    const fresh = await suspend();
    expect(fresh.statusCode, fresh.body).toBe(201);
    await chainAudit(t, orgId);
    const { rows } = await sql<{ after: { secondFactor?: { method: string } } }>`
      SELECT after FROM audit_events WHERE org_id = ${orgId} AND action LIKE 'publishing.suspen%' ORDER BY seq DESC LIMIT 1`.execute(t.runtime.db);
    expect(rows[0]?.after.secondFactor?.method).toBe('totp');
  });

  it('asks nothing more of a user with no factor where no policy requires one', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry No Step Up');
    const res = await call(t, { method: 'PUT', url: '/api/v1/approval-policy', token: owner.accessToken, payload: { stages: [] } });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('uses the minutes the policy sets', async () => {
    const { owner } = await orgRequiring('Ministry Minutes', 'publishers');
    expect((await setPolicy(owner, { mfaRequiredFor: 'publishers', stepUpMinutes: 2 })).statusCode).toBe(200);
    await sql`UPDATE sessions SET mfa_at = now() - interval '3 minutes' WHERE id = ${decodeJwt(owner.accessToken).sid}`.execute(t.runtime.db);
    const res = await call(t, { method: 'PUT', url: '/api/v1/approval-policy', token: owner.accessToken, payload: { stages: [] } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'step_up_required', errors: { maxAgeMinutes: 2 } });
  });
});

describe('resetting factors', () => {
  it('lets an admin reset a member’s factors: sessions end, audited, and the member enrols again', async () => {
    const { orgId, owner } = await orgRequiring('Ministry Reset', 'everyone');
    const { email, session } = await addUser(t, orgId, 'editor');
    const { secret } = await enrolTotp(t, session.accessToken);
    const res = await call(t, { method: 'POST', url: `/api/v1/users/${session.userId}/mfa/reset`, token: owner.accessToken });
    expect(res.statusCode, res.body).toBe(204);
    expect(codeOf(await members(session.accessToken))).toBe('session_revoked');
    // Password alone again, and held to enrolment.
    const again = await login(t, email);
    expect(codeOf(await members(again.accessToken))).toBe('mfa_enrolment_required');
    await chainAudit(t, orgId);
    const { rows } = await sql<{ action: string }>`SELECT action FROM audit_events WHERE org_id = ${orgId} AND target_id = ${session.userId} AND action = 'user.mfa_reset'`.execute(t.runtime.db);
    expect(rows).toHaveLength(1);
    expect(secret).toBeTruthy();
  });

  it('refuses to reset one’s own factors, or those of a member ranked above', async () => {
    const { orgId, owner } = await orgRequiring('Ministry Reset Self', 'publishers');
    const self = await call(t, { method: 'POST', url: `/api/v1/users/${owner.userId}/mfa/reset`, token: owner.accessToken });
    expect(codeOf(self)).toBe('cannot_change_self');
    const admin = await addUser(t, orgId, 'admin');
    const { secret } = await enrolTotp(t, admin.session.accessToken);
    const up = await call(t, { method: 'POST', url: `/api/v1/users/${owner.userId}/mfa/reset`, token: admin.session.accessToken });
    expect(codeOf(up)).toBe('role_too_high');
    expect(secret).toBeTruthy();
  });

  it('lets the operator reset the last owner’s factors from the CLI, the way back in', async () => {
    const { ownerEmail, owner } = await orgRequiring('Ministry Lost Phone', 'everyone');
    const result = await t.app.get(AdminService).resetFactors(ownerEmail);
    expect(result).toMatchObject({ userId: owner.userId, factorsRemoved: true });
    expect(codeOf(await members(owner.accessToken))).toBe('session_revoked');
    const again = await login(t, ownerEmail);
    expect(codeOf(await members(again.accessToken))).toBe('mfa_enrolment_required');
    await enrolTotp(t, again.accessToken);
    expect((await members(again.accessToken)).statusCode).toBe(200);
  });

  it('signs a member with a factor in through both steps whatever the policy', async () => {
    const { ownerEmail, owner, secret } = await orgRequiring('Ministry Both Steps', 'everyone');
    await letTimePass(t, owner.userId);
    const pair = await signInWithCode(t, ownerEmail, () => codeNow(secret));
    expect((await members(pair.accessToken)).statusCode).toBe(200);
  });
});
