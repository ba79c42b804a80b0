import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { MessageDetail } from '../src/modules/messages/messages.dto.js';
import { Transactor } from '../src/platform/database/transactor.js';
import { addUser, call, createChildOrg, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';

// Row-level security of every table the messages module adds, checked in the database as the
// request role (guddu_app), not through the API's own WHERE clauses.
type Msg = z.infer<typeof MessageDetail>;
const TABLES = ['campaigns', 'messages', 'message_versions', 'message_texts', 'message_words', 'message_comments', 'approval_policies', 'message_approvals', 'publishing_suspensions', 'blackout_days'];
const INHERITED = ['approval_policies', 'publishing_suspensions', 'blackout_days'];

let t: TestApp;
let ministry: string;
let missionA: string;
let missionB: string;
let other: string;
let owner: Session;

async function counts(orgId: string): Promise<Record<string, number>> {
  return t.app.get(Transactor).inTenant({ orgId }, async (db) => {
    const out: Record<string, number> = {};
    for (const table of TABLES) out[table] = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db)).rows[0]!.n;
    return out;
  });
}

/** One row in every table, made through the API in `org`. */
async function populate(org: string, as: Session, approver: Session) {
  const api = (method: 'POST' | 'PUT', url: string, payload: Record<string, unknown>) => call(t, { method, url, token: as.accessToken, org, payload });
  expect((await api('POST', '/api/v1/campaigns', { name: 'Campaign' })).statusCode).toBe(201);
  expect((await api('PUT', '/api/v1/approval-policy', { stages: [{ name: 'Desk', approvers: { roles: ['approver'] }, rule: 'any' }] })).statusCode).toBe(200);
  const m = (await api('POST', '/api/v1/messages', { title: 'x', content: { bodies: { en: 'Text', hi: 'पाठ' } } })).json<Msg>();
  expect((await api('POST', `/api/v1/messages/${m.id}/comments`, { body: 'A comment' })).statusCode).toBe(201);
  await api('POST', `/api/v1/messages/${m.id}/submit`, {});
  const approved = await call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/approvals`, token: approver.accessToken, org, payload: { decision: 'approved', contentHash: m.contentHash } });
  expect(approved.statusCode, approved.body).toBe(200);
  expect((await api('POST', '/api/v1/blackouts', { startsOn: '2031-02-01', endsOn: '2031-02-01', zone: 'Asia/Kolkata', reason: 'Mourning' })).statusCode).toBe(201);
  expect((await api('POST', '/api/v1/publishing/suspensions', { reason: 'Crisis' })).statusCode).toBe(201);
}

beforeAll(async () => {
  t = await startTestApp();
  ({ orgId: ministry, owner } = await seedRootOrg(t));
  missionA = await createChildOrg(t, owner, 'Embassy A');
  missionB = await createChildOrg(t, owner, 'Embassy B');
  const approver = (await addUser(t, ministry, 'approver')).session;
  const o = await seedRootOrg(t, 'Another ministry');
  other = o.orgId;
  const otherApprover = (await addUser(t, other, 'approver')).session;
  await populate(missionA, owner, approver);
  await populate(other, o.owner, otherApprover);
});
afterAll(async () => t?.close());

describe('messages: row-level security', () => {
  it('every new table has rows for each tenant, and each tenant sees only its own', async () => {
    const mine = await counts(missionA);
    for (const table of TABLES) expect(mine[table], table).toBeGreaterThan(0);
    const theirs = await counts(other);
    const all = await t.app.get(Transactor).withTenantBypass('test: totals', async (db) => {
      const out: Record<string, number> = {};
      for (const table of TABLES) out[table] = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db)).rows[0]!.n;
      return out;
    });
    for (const table of TABLES) expect(mine[table]! + theirs[table]!, table).toBe(all[table]);
  });

  it('an ancestor sees its subtree; a sibling sees nothing; a child sees only the rules it inherits', async () => {
    const fromMinistry = await counts(ministry);
    const fromA = await counts(missionA);
    const fromB = await counts(missionB);
    for (const table of TABLES) {
      expect(fromMinistry[table], `ministry ${table}`).toBe(fromA[table]);
      expect(fromB[table], `sibling ${table}`).toBe(0);
    }
    // Declared at the ministry, read from a mission: the inherited rules only.
    const ministryApprover = (await addUser(t, ministry, 'approver')).session;
    await populate(ministry, owner, ministryApprover);
    const belowB = await counts(missionB);
    for (const table of TABLES) expect(belowB[table], `inherited ${table}`).toBe(INHERITED.includes(table) ? 1 : 0);
  });

  it('a child cannot change or remove what it inherits, nor write into another tenant', async () => {
    await t.app.get(Transactor).inTenant({ orgId: missionB }, async (db) => {
      const upd = await sql`UPDATE approval_policies SET allow_self_approval = true`.execute(db);
      expect(Number(upd.numAffectedRows)).toBe(0);
      const del = await sql`DELETE FROM blackout_days`.execute(db);
      expect(Number(del.numAffectedRows)).toBe(0);
      const res = await sql`UPDATE publishing_suspensions SET resumed_at = now()`.execute(db);
      expect(Number(res.numAffectedRows)).toBe(0);
    });
    await expect(
      t.app.get(Transactor).inTenant({ orgId: missionA }, (db) => sql`INSERT INTO campaigns (org_id, name) VALUES (${other}::uuid, 'planted')`.execute(db)),
    ).rejects.toThrow(/row-level security/);
  });

  it('versions and comments are immutable even where they are visible', async () => {
    await expect(t.app.get(Transactor).inTenant({ orgId: missionA }, (db) => sql`UPDATE message_versions SET content_hash = repeat('0', 64)`.execute(db))).rejects.toThrow();
    await expect(t.app.get(Transactor).withTenantBypass('test: owner cannot either', (db) => sql`DELETE FROM message_comments`.execute(db))).rejects.toThrow(/immutable/);
  });
});
