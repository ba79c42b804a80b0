import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transactor } from '../src/platform/database/transactor.js';
import { addUser, call, createChildOrg, seedRootOrg, startTestApp, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

describe('row-level security', () => {
  it('every table with an org_id column has a policy that is enabled and forced', async () => {
    const { rows } = await sql<{ table: string; enabled: boolean; forced: boolean; policies: number }>`
      SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
             (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      WHERE c.relkind IN ('r', 'p')
        AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped)
      ORDER BY 1`.execute(t.runtime.db);
    expect(rows.length).toBeGreaterThanOrEqual(6);
    const unprotected = rows.filter((r) => !r.enabled || !r.forced || r.policies === 0).map((r) => r.table);
    expect(unprotected).toEqual([]);
  });

  it('the request role is neither superuser, nor owner of any table, nor exempt from RLS', async () => {
    const { rows } = await sql<{ rolsuper: boolean; rolbypassrls: boolean; owns: number }>`
      SELECT r.rolsuper, r.rolbypassrls,
             (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid) AS owns
      FROM pg_roles r WHERE r.rolname = 'guddu_app'`.execute(t.runtime.db);
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false, owns: 0 }]);
  });

  it('a query without a WHERE clause sees only its own tenant', async () => {
    const a = await seedRootOrg(t, 'Ministry A');
    // A second, unrelated tenant: a root organisation made through the operator path.
    const tx = t.app.get(Transactor);
    const otherOrg = await tx.withTenantBypass('test: second tenant', async (trx) => {
      const { rows } = await sql<{ id: string }>`INSERT INTO organisations (name) VALUES ('Ministry B') RETURNING id`.execute(trx);
      return rows[0]!.id;
    });
    await addUser(t, otherOrg, 'admin');
    const seen = await tx.inTenant({ orgId: a.orgId }, async (trx) => {
      const audit = await sql<{ org_id: string }>`SELECT org_id FROM audit_events`.execute(trx);
      const members = await sql<{ org_id: string }>`SELECT org_id FROM memberships`.execute(trx);
      const orgs = await sql<{ id: string }>`SELECT id FROM organisations`.execute(trx);
      return { audit: audit.rows, members: members.rows, orgs: orgs.rows };
    });
    expect(seen.audit.length).toBeGreaterThan(0);
    expect(new Set(seen.audit.map((r) => r.org_id))).toEqual(new Set([a.orgId]));
    expect(new Set(seen.members.map((r) => r.org_id))).toEqual(new Set([a.orgId]));
    expect(seen.orgs.map((r) => r.id)).toEqual([a.orgId]);
  });

  it('refuses to write a row into another tenant, whatever the statement says', async () => {
    const tx = t.app.get(Transactor);
    const [x, y] = await tx.withTenantBypass('test: two tenants', async (trx) => {
      const { rows } = await sql<{ id: string }>`INSERT INTO organisations (name) VALUES ('X'), ('Y') RETURNING id`.execute(trx);
      return rows.map((r) => r.id);
    });
    await expect(
      tx.inTenant({ orgId: x! }, (trx) =>
        sql`INSERT INTO invitations (org_id, email, role, token_hash, expires_at)
            VALUES (${y}, 'a@b.c', 'viewer', '\\x00', now())`.execute(trx),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});

describe('the opening statement of a unit of work', () => {
  it('refuses an id that is not a UUID before it reaches SQL (ids are inlined there)', async () => {
    const tx = t.app.get(Transactor);
    await expect(tx.inTenant({ orgId: "00000000-0000-0000-0000-000000000000'; DROP TABLE users; --" }, async () => 1)).rejects.toThrow(
      /not a UUID/,
    );
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM users`.execute(t.runtime.db);
    expect(rows[0]!.n).toBeGreaterThan(0);
  });

  it('rolls back everything when the work fails, and the connection is usable afterwards', async () => {
    const a = await seedRootOrg(t, 'Ministry Rollback');
    const tx = t.app.get(Transactor);
    await expect(
      tx.inTenant({ orgId: a.orgId }, async (trx) => {
        await sql`UPDATE organisations SET name = 'changed' WHERE id = ${a.orgId}`.execute(trx);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const name = await tx.inTenant({ orgId: a.orgId }, async (trx) => {
      const { rows } = await sql<{ name: string }>`SELECT name FROM organisations WHERE id = ${a.orgId}`.execute(trx);
      return rows[0]?.name;
    });
    expect(name).toBe('Ministry Rollback');
  });
});

describe('a unit of work and its connection', () => {
  it('refuses a query that outlives its unit of work instead of running it on a reused connection', async () => {
    const a = await seedRootOrg(t, 'Ministry Straggler');
    const tx = t.app.get(Transactor);
    let straggler: Promise<unknown> | undefined;
    await tx.inTenant({ orgId: a.orgId }, async (trx) => {
      straggler = new Promise((r) => setTimeout(r, 50)).then(() => sql`SELECT name FROM organisations`.execute(trx));
    });
    await expect(straggler).rejects.toThrow(/outlived its unit of work/);
  });
});

describe('security-definer functions called by a request', () => {
  it.each([
    ['guddu_user_memberships', (other: { userId: string; orgId: string }) => sql`SELECT * FROM guddu_user_memberships(${other.userId}::uuid)`],
    ['guddu_user_standing', (other: { userId: string; orgId: string }) => sql`SELECT * FROM guddu_user_standing(${other.userId}::uuid, ${other.orgId}::uuid)`],
    ['guddu_revoke_user_sessions', (other: { userId: string; orgId: string }) => sql`SELECT guddu_revoke_user_sessions(${other.userId}::uuid, 'probe')`],
    ['guddu_request_context', (other: { userId: string; orgId: string }) =>
      sql`SELECT * FROM guddu_request_context(${other.userId}::uuid, ${other.orgId}::uuid, ${other.userId}::uuid)`],
  ])('%s refuses another tenant\'s user or organisation', async (_name, query) => {
    const mine = await seedRootOrg(t, 'Ministry Definer A');
    const theirs = await seedRootOrg(t, 'Ministry Definer B');
    const attempt = t.app
      .get(Transactor)
      .inTenant({ orgId: mine.orgId, userId: mine.owner.userId }, (trx) => query({ userId: theirs.owner.userId, orgId: theirs.orgId }).execute(trx));
    await expect(attempt).rejects.toMatchObject({ code: '42501' });
    // Their session is untouched.
    const me = await call(t, { method: 'GET', url: '/api/v1/me', token: theirs.owner.accessToken });
    expect(me.statusCode).toBe(200);
  });

  it('lets the request role write no password but the caller\'s own', async () => {
    const mine = await seedRootOrg(t, 'Ministry Password A');
    const member = await addUser(t, mine.orgId, 'editor');
    const attempt = t.app
      .get(Transactor)
      .inTenant({ orgId: mine.orgId, userId: mine.owner.userId }, (trx) =>
        sql`UPDATE users SET password_hash = 'x' WHERE id = ${member.session.userId}`.execute(trx),
      );
    await expect(attempt).rejects.toMatchObject({ code: '42501' });
  });
});

describe('organisation hierarchy', () => {
  it('a role granted on a parent applies to its children, and not the other way round', async () => {
    const root = await seedRootOrg(t, 'Ministry H');
    const division = await createChildOrg(t, root.owner, 'Europe Division', 'division');
    const mission = await createChildOrg(t, root.owner, 'Embassy Paris', 'mission', division);
    // The ministry owner acts in the mission without a membership there.
    const list = await call(t, { method: 'GET', url: '/api/v1/organisations', token: root.owner.accessToken, org: mission });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: { id: string }[] }>().items.map((o) => o.id)).toEqual([mission]);
    // A mission editor cannot act in the division above it.
    const editor = await addUser(t, mission, 'editor');
    const up = await call(t, { method: 'GET', url: '/api/v1/organisations', token: editor.session.accessToken, org: division });
    expect(up.statusCode).toBe(404);
    expect(up.json<{ code: string }>().code).toBe('not_found');
    // The ministry view lists the whole subtree, parents first.
    const all = await call(t, { method: 'GET', url: '/api/v1/organisations', token: root.owner.accessToken });
    expect(all.json<{ items: { id: string }[] }>().items.map((o) => o.id)).toEqual([root.orgId, division, mission]);
  });
});
