import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditService } from '../src/modules/audit/audit.service.js';
import { Transactor } from '../src/platform/database/transactor.js';
import { systemContext } from '../src/platform/context/request-context.js';
import { addUser, call, createChildOrg, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';
import type { AuditRecord } from '../src/modules/audit/audit.canonical.js';

// What an audit event records, and how the log is read back: filters, pages, permissions, tenants.

// The API's view of an event: the hashed record without its organisation, plus its place in the chain.
type EventView = Omit<AuditRecord, 'orgId'> & { no: number; seq: number | null };
interface Page {
  items: EventView[];
  nextCursor: string | null;
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ GUDDU_LOGIN_MAX_ATTEMPTS_PER_IP: '10000' });
});
afterAll(async () => t?.close());

async function page(as: Session, query = ''): Promise<Page> {
  const res = await call(t, { method: 'GET', url: `/api/v1/audit${query}`, token: as.accessToken });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Page>();
}

describe('what an audit event records', () => {
  it('actor, organisation, action, target, ip, user agent and the x-request-id as correlation id', async () => {
    const root = await seedRootOrg(t, 'Ministry Recorded');
    const res = await call(t, {
      method: 'POST',
      url: '/api/v1/organisations',
      token: root.owner.accessToken,
      headers: { 'x-request-id': 'audit-corr-7f3a', 'user-agent': 'GudduTest/1.0 (+audit)' },
      payload: { name: 'Embassy Tokyo', kind: 'mission' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-request-id']).toBe('audit-corr-7f3a');
    const created = res.json<{ id: string }>().id;
    const { items } = await page(root.owner, `?targetId=${created}`);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      actorType: 'user',
      actorId: root.owner.userId,
      action: 'organisation.created',
      targetType: 'organisation',
      targetId: created,
      before: null,
      after: { name: 'Embassy Tokyo', kind: 'mission', parentId: root.orgId },
      ip: '127.0.0.1',
      userAgent: 'GudduTest/1.0 (+audit)',
      correlationId: 'audit-corr-7f3a',
    });
    // Recorded in the organisation acted in, not in the new child.
    const { rows } = await sql<{ org_id: string }>`SELECT org_id FROM audit_events WHERE id = ${items[0]!.id}`.execute(t.runtime.db);
    expect(rows).toEqual([{ org_id: root.orgId }]);
  });

  it('redacts password, token, secret and key fields at any depth, and the chain still verifies', async () => {
    const root = await seedRootOrg(t, 'Ministry Redacted');
    const tx = t.app.get(Transactor);
    const audit = t.app.get(AuditService);
    const secrets = {
      password: 'hunter2-password-value',
      accessToken: 'eyJ-token-value',
      clientSecret: 'shh-secret-value',
      keep: 'visible',
      nested: { apiKey: 'api-key-value', refresh_token: 'refresh-value', list: [{ passwordHash: 'argon-hash-value', label: 'ok' }] },
    };
    await tx.inTenant({ orgId: root.orgId }, () =>
      audit.record(systemContext('test', root.orgId), { action: 'test.secrets', targetType: 'test', targetId: 'x', before: secrets, after: secrets }),
    );
    const { rows } = await sql<{ before: unknown; after: unknown; actor_type: string }>`
      SELECT before, after, actor_type FROM audit_events WHERE org_id = ${root.orgId} AND action = 'test.secrets'`.execute(t.runtime.db);
    const redacted = {
      password: '[redacted]',
      accessToken: '[redacted]',
      clientSecret: '[redacted]',
      keep: 'visible',
      nested: { apiKey: '[redacted]', refresh_token: '[redacted]', list: [{ passwordHash: '[redacted]', label: 'ok' }] },
    };
    expect(rows).toEqual([{ before: redacted, after: redacted, actor_type: 'system' }]);
    expect(JSON.stringify(rows)).not.toMatch(/-value/);
    const verify = await call(t, { method: 'GET', url: '/api/v1/audit/verify', token: root.owner.accessToken });
    expect(verify.json<{ valid: boolean }>().valid).toBe(true);
  });
});

describe('listing the audit log', () => {
  let owner: Session;
  let orgId: string;
  let editor: Session;
  let invitationId: string;
  let all: EventView[];

  beforeAll(async () => {
    const root = await seedRootOrg(t, 'Ministry Listed');
    owner = root.owner;
    orgId = root.orgId;
    await createChildOrg(t, owner, 'Mission One');
    await createChildOrg(t, owner, 'Mission Two');
    const inv = await call(t, { method: 'POST', url: '/api/v1/invitations', token: owner.accessToken, payload: { email: 'listed@mea.gov.in', role: 'viewer' } });
    invitationId = inv.json<{ id: string }>().id;
    editor = (await addUser(t, orgId, 'editor')).session;
    await call(t, { method: 'PATCH', url: `/api/v1/users/${editor.userId}/role`, token: owner.accessToken, payload: { role: 'analyst' } });
    all = (await page(owner, '?limit=200')).items;
  });

  it('lists every event of the organisation newest first', async () => {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_events WHERE org_id = ${orgId}`.execute(t.runtime.db);
    expect(all).toHaveLength(rows[0]!.n);
    expect(all.map((e) => e.no)).toEqual(all.map((e) => e.no).sort((x, y) => y - x));
    expect(new Set(all.map((e) => e.no)).size).toBe(all.length);
  });

  it('filters by exact action', async () => {
    const { items } = await page(owner, '?action=organisation.created');
    expect(items.map((e) => e.action)).toEqual(['organisation.created', 'organisation.created']);
  });

  it('filters by an action prefix ending in *, with LIKE wildcards taken literally', async () => {
    const { items } = await page(owner, '?action=auth.*');
    expect(items.length).toBeGreaterThanOrEqual(2);
    expect(items.map((e) => e.id)).toEqual(all.filter((e) => e.action.startsWith('auth.')).map((e) => e.id));
    // "_" would match the "." of "auth." if it reached LIKE unescaped.
    expect((await page(owner, '?action=auth_*')).items).toEqual([]);
    expect((await page(owner, '?action=%25*')).items).toEqual([]);
  });

  it('filters by actor', async () => {
    const { items } = await page(owner, `?actorId=${editor.userId}`);
    expect(items.map((e) => e.action)).toEqual(['auth.signed_in']);
    expect((await page(owner, `?actorId=${owner.userId}`)).items.every((e) => e.actorId === owner.userId)).toBe(true);
  });

  it('filters by target type and target id', async () => {
    const byId = await page(owner, `?targetType=invitation&targetId=${invitationId}`);
    expect(byId.items.map((e) => [e.action, e.targetId])).toEqual([['invitation.created', invitationId]]);
    const users = await page(owner, '?targetType=user');
    expect(users.items.map((e) => e.action)).toEqual(all.filter((e) => e.targetType === 'user').map((e) => e.action));
    expect(users.items.map((e) => e.action)).toContain('membership.role_changed');
  });

  it('filters by time: from is inclusive, to is exclusive', async () => {
    const pivot = all[Math.floor(all.length / 2)]!.occurredAt;
    const from = await page(owner, `?from=${encodeURIComponent(pivot)}&limit=200`);
    const to = await page(owner, `?to=${encodeURIComponent(pivot)}&limit=200`);
    expect(from.items.map((e) => e.id)).toEqual(all.filter((e) => e.occurredAt >= pivot).map((e) => e.id));
    expect(to.items.map((e) => e.id)).toEqual(all.filter((e) => e.occurredAt < pivot).map((e) => e.id));
    expect(from.items.length + to.items.length).toBe(all.length);
    expect((await page(owner, '?from=2999-01-01T00:00:00Z')).items).toEqual([]);
  });

  it('walks every event newest first with limit=2, without duplicates or gaps', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p: Page = await page(owner, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(p.items.length).toBeLessThanOrEqual(2);
      seen.push(...p.items.map((e) => e.no));
      cursor = p.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    expect(seen).toEqual(all.map((e) => e.no));
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(all.length / 2));
  });

  it('combines a filter with the cursor', async () => {
    const first = await page(owner, '?action=organisation.created&limit=1');
    expect(first.items).toHaveLength(1);
    const second = await page(owner, `?action=organisation.created&limit=1&cursor=${first.nextCursor}`);
    expect(second.items).toHaveLength(1);
    expect(second.items[0]!.no).toBeLessThan(first.items[0]!.no);
    expect(second.items[0]!.action).toBe('organisation.created');
  });

  it('refuses a viewer, who lacks audit.read, with 403', async () => {
    const viewer = await addUser(t, orgId, 'viewer');
    for (const url of ['/api/v1/audit', '/api/v1/audit/verify']) {
      const res = await call(t, { method: 'GET', url, token: viewer.session.accessToken });
      expect(res.statusCode).toBe(403);
      expect(res.json<{ code: string }>().code).toBe('forbidden');
    }
  });

  it("never shows another tenant's events", async () => {
    const other = await seedRootOrg(t, 'Ministry Elsewhere');
    const theirs = await page(other.owner, '?limit=200');
    expect(theirs.items.length).toBeGreaterThan(0);
    const mine = new Set(all.map((e) => e.id));
    expect(theirs.items.filter((e) => mine.has(e.id))).toEqual([]);
    expect((await page(other.owner, `?targetId=${invitationId}`)).items).toEqual([]);
    expect((await page(other.owner, `?actorId=${owner.userId}`)).items).toEqual([]);
    // Asking for the other tenant by header is answered as if it did not exist.
    const res = await call(t, { method: 'GET', url: '/api/v1/audit', token: other.owner.accessToken, org: orgId });
    expect(res.statusCode).toBe(404);
  });
});
