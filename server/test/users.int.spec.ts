import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, call, createChildOrg, PASSWORD, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  // Every harness sign-in comes from 127.0.0.1; the default 30 a minute would throttle the file.
  t = await startTestApp({ GUDDU_LOGIN_MAX_ATTEMPTS_PER_IP: '1000' });
});
afterAll(async () => t?.close());

interface AuditEvent {
  no: number;
  action: string;
  actorId: string | null;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
}

/** The newest event's insertion number in the organisation, read as `as`. */
async function auditHead(as: Session, org?: string): Promise<number> {
  const res = await call(t, { method: 'GET', url: '/api/v1/audit?limit=1', token: as.accessToken, ...(org ? { org } : {}) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: AuditEvent[] }>().items[0]?.no ?? 0;
}

/** Every event appended after `no`, oldest first. */
async function auditSince(as: Session, no: number, org?: string): Promise<AuditEvent[]> {
  const res = await call(t, { method: 'GET', url: '/api/v1/audit?limit=200', token: as.accessToken, ...(org ? { org } : {}) });
  expect(res.statusCode, res.body).toBe(200);
  return res
    .json<{ items: AuditEvent[] }>()
    .items.filter((e) => e.no > no)
    .reverse();
}

const setRole = (as: Session, userId: string, role: string, org?: string) =>
  call(t, { method: 'PATCH', url: `/api/v1/users/${userId}/role`, token: as.accessToken, payload: { role }, ...(org ? { org } : {}) });
const removeMember = (as: Session, userId: string, org?: string) =>
  call(t, { method: 'DELETE', url: `/api/v1/users/${userId}/membership`, token: as.accessToken, ...(org ? { org } : {}) });
const setActive = (as: Session, userId: string, active: boolean, org?: string) =>
  call(t, { method: 'POST', url: `/api/v1/users/${userId}/${active ? 'reactivate' : 'deactivate'}`, token: as.accessToken, ...(org ? { org } : {}) });
const members = async (as: Session, org?: string) => {
  const res = await call(t, { method: 'GET', url: '/api/v1/users', token: as.accessToken, ...(org ? { org } : {}) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: { id: string; email: string; role: string; status: string }[] }>().items;
};
const codeOf = (res: { json: <T>() => T }) => res.json<{ code: string }>().code;

/** A tenant with an owner, an admin and an editor. */
async function team(name: string) {
  const root = await seedRootOrg(t, name);
  const admin = await addUser(t, root.orgId, 'admin');
  const editor = await addUser(t, root.orgId, 'editor');
  return { ...root, admin: admin.session, adminEmail: admin.email, editor: editor.session, editorEmail: editor.email };
}

describe('members', () => {
  it('lists the members of the organisation with their roles, and nobody from another tenant', async () => {
    const a = await team('Ministry Members A');
    const b = await seedRootOrg(t, 'Ministry Members B');
    // user.read is enough: an editor may see who they work with.
    const items = await members(a.editor);
    expect(items.map((m) => [m.email, m.role, m.status]).sort()).toEqual(
      [
        [a.ownerEmail, 'owner', 'active'],
        [a.adminEmail, 'admin', 'active'],
        [a.editorEmail, 'editor', 'active'],
      ].sort(),
    );
    expect(items.map((m) => m.id)).not.toContain(b.owner.userId);
  });
});

describe('role changes', () => {
  it('lets an admin make an editor an approver, and records one audit event with before and after', async () => {
    const a = await team('Ministry Roles');
    const head = await auditHead(a.owner);
    const res = await setRole(a.admin, a.editor.userId, 'approver');
    expect(res.statusCode, res.body).toBe(204);
    expect((await members(a.owner)).find((m) => m.id === a.editor.userId)?.role).toBe('approver');
    const me = await call(t, { method: 'GET', url: '/api/v1/me', token: a.editor.accessToken });
    expect(me.json<{ organisation: { roles: string[] } }>().organisation.roles).toEqual(['approver']);
    const events = await auditSince(a.owner, head);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'membership.role_changed',
      actorId: a.admin.userId,
      targetType: 'user',
      targetId: a.editor.userId,
      before: { role: 'editor' },
      after: { role: 'approver' },
    });
  });

  it('refuses to let an admin grant owner (403 role_too_high) and writes nothing', async () => {
    const a = await team('Ministry Escalation');
    const head = await auditHead(a.owner);
    const res = await setRole(a.admin, a.editor.userId, 'owner');
    expect(res.statusCode).toBe(403);
    expect(codeOf(res)).toBe('role_too_high');
    expect((await members(a.owner)).find((m) => m.id === a.editor.userId)?.role).toBe('editor');
    expect(await auditSince(a.owner, head)).toEqual([]);
  });

  it('refuses to let an admin change an owner (403 role_too_high)', async () => {
    const a = await team('Ministry Rank');
    const res = await setRole(a.admin, a.owner.userId, 'viewer');
    expect(res.statusCode).toBe(403);
    expect(codeOf(res)).toBe('role_too_high');
    expect((await members(a.owner)).find((m) => m.id === a.owner.userId)?.role).toBe('owner');
  });

  it('refuses to let anyone change their own role (409 cannot_change_self) and writes nothing', async () => {
    const a = await team('Ministry Self');
    const head = await auditHead(a.owner);
    for (const res of [await setRole(a.admin, a.admin.userId, 'viewer'), await removeMember(a.owner, a.owner.userId)]) {
      expect(res.statusCode).toBe(409);
      expect(codeOf(res)).toBe('cannot_change_self');
    }
    expect((await members(a.owner)).find((m) => m.id === a.admin.userId)?.role).toBe('admin');
    expect(await auditSince(a.owner, head)).toEqual([]);
  });

  it('keeps the last owner: they can be neither demoted nor removed (409 last_owner)', async () => {
    // Only another owner can touch an owner, so the last owner of a mission is reached by the
    // ministry owner, whose role there comes from the parent.
    const root = await seedRootOrg(t, 'Ministry Last Owner');
    const mission = await createChildOrg(t, root.owner, 'Embassy Lisbon');
    const head = await auditHead(root.owner, mission);
    const sole = await addUser(t, mission, 'owner');
    const afterAdd = await auditHead(root.owner, mission);
    expect(afterAdd).toBeGreaterThan(head);
    for (const res of [
      await setRole(root.owner, sole.session.userId, 'admin', mission),
      await removeMember(root.owner, sole.session.userId, mission),
      await setActive(root.owner, sole.session.userId, false, mission),
    ]) {
      expect(res.statusCode, res.body).toBe(409);
      expect(codeOf(res)).toBe('last_owner');
    }
    expect((await members(root.owner, mission)).map((m) => [m.id, m.role, m.status])).toEqual([[sole.session.userId, 'owner', 'active']]);
    expect(await auditSince(root.owner, afterAdd, mission)).toEqual([]);
    // With a second owner there, the first may step down.
    await addUser(t, mission, 'owner');
    expect((await setRole(root.owner, sole.session.userId, 'admin', mission)).statusCode).toBe(204);
  });

  it('refuses an editor, who lacks user.manage (403 forbidden)', async () => {
    const a = await team('Ministry Editor');
    const viewer = await addUser(t, a.orgId, 'viewer');
    const res = await setRole(a.editor, viewer.session.userId, 'editor');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'forbidden', errors: { permission: 'user.manage' } });
    expect((await removeMember(a.editor, viewer.session.userId)).statusCode).toBe(403);
    expect((await members(a.owner)).find((m) => m.id === viewer.session.userId)?.role).toBe('viewer');
  });
});

describe('removing members', () => {
  it('removes a membership, after which the member has no access here, and records one audit event', async () => {
    const a = await team('Ministry Removal');
    const head = await auditHead(a.owner);
    const res = await removeMember(a.admin, a.editor.userId);
    expect(res.statusCode, res.body).toBe(204);
    expect((await members(a.owner)).map((m) => m.id)).not.toContain(a.editor.userId);
    const gone = await call(t, { method: 'GET', url: '/api/v1/users', token: a.editor.accessToken });
    expect(gone.statusCode).toBe(404);
    const events = await auditSince(a.owner, head);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'membership.removed',
      actorId: a.admin.userId,
      targetId: a.editor.userId,
      before: { role: 'editor' },
      after: null,
    });
  });

  it('answers 404 user_not_found for a member of another tenant, for every mutation, and changes nothing', async () => {
    const a = await team('Ministry Isolation A');
    const b = await team('Ministry Isolation B');
    const headA = await auditHead(a.owner);
    const headB = await auditHead(b.owner);
    for (const res of [
      await setRole(a.owner, b.editor.userId, 'viewer'),
      await removeMember(a.owner, b.editor.userId),
      await setActive(a.owner, b.editor.userId, false),
      await setActive(a.owner, b.editor.userId, true),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(codeOf(res)).toBe('user_not_found');
    }
    expect((await members(b.owner)).find((m) => m.id === b.editor.userId)).toMatchObject({ role: 'editor', status: 'active' });
    expect((await call(t, { method: 'GET', url: '/api/v1/me', token: b.editor.accessToken })).statusCode).toBe(200);
    expect(await auditSince(a.owner, headA)).toEqual([]);
    expect(await auditSince(b.owner, headB)).toEqual([]);
  });

  it('answers 404 user_not_found for an id that is nobody', async () => {
    const a = await team('Ministry Nobody');
    const res = await removeMember(a.owner, randomUUID());
    expect(res.statusCode).toBe(404);
    expect(codeOf(res)).toBe('user_not_found');
  });
});

describe('deactivation', () => {
  it('deactivating and reactivating each record one audit event with before and after', async () => {
    const a = await team('Ministry Deactivation');
    const head = await auditHead(a.owner);
    expect((await setActive(a.admin, a.editor.userId, false)).statusCode).toBe(204);
    expect((await members(a.owner)).find((m) => m.id === a.editor.userId)?.status).toBe('deactivated');
    const deactivated = await auditSince(a.owner, head);
    expect(deactivated).toHaveLength(1);
    expect(deactivated[0]).toMatchObject({
      action: 'user.deactivated',
      actorId: a.admin.userId,
      targetId: a.editor.userId,
      before: { status: 'active' },
      after: { status: 'deactivated', sessionsEnded: 1 },
    });

    expect((await setActive(a.admin, a.editor.userId, true)).statusCode).toBe(204);
    expect((await members(a.owner)).find((m) => m.id === a.editor.userId)?.status).toBe('active');
    const reactivated = await auditSince(a.owner, deactivated[0]!.no);
    expect(reactivated).toHaveLength(1);
    expect(reactivated[0]).toMatchObject({
      action: 'user.reactivated',
      targetId: a.editor.userId,
      before: { status: 'deactivated' },
      after: { status: 'active' },
    });
    const signIn = await call(t, { method: 'POST', url: '/api/v1/auth/login', payload: { email: a.editorEmail, password: PASSWORD } });
    expect(signIn.statusCode).toBe(200);
  });

  it('ends the sessions of a deactivated user, so reactivation does not revive old tokens', async () => {
    const a = await team('Ministry Revival');
    expect((await setActive(a.admin, a.editor.userId, false)).statusCode).toBe(204);
    expect((await setActive(a.admin, a.editor.userId, true)).statusCode).toBe(204);
    const old = await call(t, { method: 'GET', url: '/api/v1/me', token: a.editor.accessToken });
    expect(old.statusCode).toBe(401);
    expect(codeOf(old)).toBe('session_revoked');
    const refresh = await call(t, { method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: a.editor.refreshToken } });
    expect(refresh.statusCode).toBe(401);
  });

  it('refuses to let an admin deactivate an owner (403 role_too_high) and writes nothing', async () => {
    const a = await team('Ministry Deactivate Owner');
    const head = await auditHead(a.owner);
    const res = await setActive(a.admin, a.owner.userId, false);
    expect(res.statusCode).toBe(403);
    expect(codeOf(res)).toBe('role_too_high');
    expect((await call(t, { method: 'GET', url: '/api/v1/me', token: a.owner.accessToken })).statusCode).toBe(200);
    expect(await auditSince(a.owner, head)).toEqual([]);
  });
});
