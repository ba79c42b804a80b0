import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runAdminCommand } from '../src/admin-commands.js';
import { canonicalJson, contentHash, linkHash, type AuditRecord } from '../src/modules/audit/audit.canonical.js';
import { AuditRepository, type AuditEventRow } from '../src/modules/audit/audit.repository.js';
import { AuditService, type ChainReport } from '../src/modules/audit/audit.service.js';
import type { Database } from '../src/platform/database/database.types.js';
import { Transactor } from '../src/platform/database/transactor.js';
import { systemContext } from '../src/platform/context/request-context.js';
import { addUser, call, chainAudit, createChildOrg, login, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';

// The hash chain: what verify accepts, what tampering it catches, who can rewrite history at all.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ GUDDU_LOGIN_MAX_ATTEMPTS_PER_IP: '10000' });
});
afterAll(async () => t?.close());

type Tenant = { orgId: string; owner: Session; events: number };

/** A tenant whose chain holds `1 + 1 + children` events: user.created, auth.signed_in, organisation.created... */
async function tenantWithEvents(children = 4): Promise<Tenant> {
  const root = await seedRootOrg(t, `Ministry ${randomUUID().slice(0, 6)}`);
  for (let i = 0; i < children; i++) await createChildOrg(t, root.owner, `Mission ${i}`);
  await chainAudit(t, root.orgId);
  return { orgId: root.orgId, owner: root.owner, events: await eventCount(root.orgId) };
}

async function eventCount(orgId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_events WHERE org_id = ${orgId}`.execute(t.runtime.db);
  return rows[0]!.n;
}

async function eventAt(orgId: string, seq: number): Promise<{ id: string; hash: string }> {
  const { rows } = await sql<{ id: string; hash: string }>`SELECT id, hash FROM audit_events WHERE org_id = ${orgId} AND seq = ${seq}`.execute(t.runtime.db);
  return rows[0]!;
}

async function verifyOverHttp(tenant: Tenant): Promise<ChainReport> {
  await chainAudit(t, tenant.orgId);
  const res = await call(t, { method: 'GET', url: '/api/v1/audit/verify', token: tenant.owner.accessToken });
  expect(res.statusCode).toBe(200);
  return res.json<ChainReport>();
}

/** Superuser tampering, with the append-only triggers switched off for this transaction only. */
async function tamper(fn: (trx: Transaction<Database>) => Promise<unknown>): Promise<void> {
  await t.runtime.db.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await fn(trx);
  });
}

/** What someone able to bypass the triggers would write to rewrite `event` consistently. */
function forge(event: AuditEventRow, prev: string, changes: Partial<AuditRecord>): AuditRecord & { content: string; hash: string } {
  const record: AuditRecord = {
    id: event.id,
    orgId: event.orgId,
    occurredAt: event.occurredAt,
    actorType: event.actorType,
    actorId: event.actorId,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    before: event.before,
    after: event.after,
    ip: event.ip,
    userAgent: event.userAgent,
    correlationId: event.correlationId,
    ...changes,
  };
  const content = contentHash(canonicalJson(record), event.txid!, event.no);
  return { ...record, content, hash: linkHash(prev, event.seq!, content) };
}

function chain(orgId: string): Promise<AuditEventRow[]> {
  const repo = t.app.get(AuditRepository);
  return t.app.get(Transactor).withTenantBypass('test: read a whole chain', () => repo.chainSlice(orgId, 0, 10_000));
}

describe('audit chain verification', () => {
  it('is valid after a mix of mutations, and counts every event', async () => {
    const root = await seedRootOrg(t, 'Ministry Mixed');
    const division = await createChildOrg(t, root.owner, 'Europe Division', 'division');
    await createChildOrg(t, root.owner, 'Embassy Paris', 'mission', division);
    const invite = await call(t, { method: 'POST', url: '/api/v1/invitations', token: root.owner.accessToken, payload: { email: 'new@mea.gov.in', role: 'editor' } });
    expect(invite.statusCode).toBe(201);
    const editor = await addUser(t, root.orgId, 'editor');
    const role = await call(t, { method: 'PATCH', url: `/api/v1/users/${editor.session.userId}/role`, token: root.owner.accessToken, payload: { role: 'approver' } });
    expect(role.statusCode).toBe(204);
    const again = await login(t, root.ownerEmail);
    const { rows } = await sql<{ action: string }>`SELECT action FROM audit_events WHERE org_id = ${root.orgId} ORDER BY no`.execute(t.runtime.db);
    expect(rows.map((r) => r.action)).toEqual([
      'user.created',
      'auth.signed_in',
      'organisation.created',
      'organisation.created',
      'invitation.created',
      'user.created',
      'auth.signed_in',
      'membership.role_changed',
      'auth.signed_in',
    ]);
    const report = await verifyOverHttp({ orgId: root.orgId, owner: again, events: rows.length });
    expect(report).toMatchObject({ valid: true, checked: rows.length, headSeq: rows.length, pending: 0 });
  });

  it('reports an organisation without events as a valid empty chain', async () => {
    const root = await seedRootOrg(t, 'Ministry Empty');
    const quiet = await createChildOrg(t, root.owner, 'Quiet Mission');
    const report = await t.app.get(Transactor).inTenant({ orgId: quiet }, () => t.app.get(AuditService).verify(quiet));
    expect(report).toMatchObject({ valid: true, checked: 0, headSeq: 0, pending: 0 });
  });

  it.each([
    ['after', sql`after = jsonb_set(after, '{name}', '"Forged Mission"')`],
    ['action', sql`action = 'organisation.renamed'`],
    ['actor_id', sql`actor_id = NULL`],
    ['occurred_at', sql`occurred_at = occurred_at + interval '1 second'`],
    ['target_id', sql`target_id = ${randomUUID()}`],
    ['correlation_id', sql`correlation_id = 'someone-else'`],
  ])('detects a changed %s as hash_mismatch at that event', async (_column, assignment) => {
    const tenant = await tenantWithEvents();
    const victim = await eventAt(tenant.orgId, 4);
    await tamper((trx) => sql`UPDATE audit_events SET ${assignment} WHERE org_id = ${tenant.orgId} AND seq = 4`.execute(trx));
    expect(await verifyOverHttp(tenant)).toEqual({ valid: false, checked: 3, brokenAt: { seq: 4, id: victim.id, reason: 'hash_mismatch' } });
  });

  it('detects a deleted middle event as sequence_gap', async () => {
    const tenant = await tenantWithEvents();
    await tamper((trx) => sql`DELETE FROM audit_events WHERE org_id = ${tenant.orgId} AND seq = 3`.execute(trx));
    expect(await verifyOverHttp(tenant)).toEqual({ valid: false, checked: 2, brokenAt: { seq: 3, id: null, reason: 'sequence_gap' } });
  });

  it('detects a deleted first event as sequence_gap at seq 1', async () => {
    const tenant = await tenantWithEvents(1);
    await tamper((trx) => sql`DELETE FROM audit_events WHERE org_id = ${tenant.orgId} AND seq = 1`.execute(trx));
    expect(await verifyOverHttp(tenant)).toEqual({ valid: false, checked: 0, brokenAt: { seq: 1, id: null, reason: 'sequence_gap' } });
  });

  it('detects a deleted last event as head_mismatch', async () => {
    const tenant = await tenantWithEvents();
    await tamper((trx) => sql`DELETE FROM audit_events WHERE org_id = ${tenant.orgId} AND seq = ${tenant.events}`.execute(trx));
    const last = tenant.events - 1;
    expect(await verifyOverHttp(tenant)).toEqual({ valid: false, checked: last, brokenAt: { seq: last + 1, id: null, reason: 'head_mismatch' } });
  });

  it('detects a changed hash even when the next prev_hash is changed to match', async () => {
    const tenant = await tenantWithEvents();
    const victim = await eventAt(tenant.orgId, 3);
    const forged = 'f'.repeat(64);
    await tamper(async (trx) => {
      await sql`UPDATE audit_events SET hash = ${forged} WHERE org_id = ${tenant.orgId} AND seq = 3`.execute(trx);
      await sql`UPDATE audit_events SET prev_hash = ${forged} WHERE org_id = ${tenant.orgId} AND seq = 4`.execute(trx);
    });
    expect(await verifyOverHttp(tenant)).toEqual({ valid: false, checked: 2, brokenAt: { seq: 3, id: victim.id, reason: 'hash_mismatch' } });
  });

  it('detects a changed prev_hash as prev_hash_mismatch', async () => {
    const tenant = await tenantWithEvents();
    const victim = await eventAt(tenant.orgId, 5);
    await tamper((trx) => sql`UPDATE audit_events SET prev_hash = ${'0'.repeat(64)} WHERE org_id = ${tenant.orgId} AND seq = 5`.execute(trx));
    expect(await verifyOverHttp(tenant)).toEqual({ valid: false, checked: 4, brokenAt: { seq: 5, id: victim.id, reason: 'prev_hash_mismatch' } });
  });

  it('catches an event rewritten with a correctly recomputed hash at the next link', async () => {
    const tenant = await tenantWithEvents();
    const events = await chain(tenant.orgId);
    const target = events[2]!; // seq 3
    const forged = forge(target, target.prevHash!, { after: { name: 'Forged Mission', kind: 'mission', parentId: tenant.orgId } });
    const hash = forged.hash;
    await tamper(async (trx) => {
      await sql`UPDATE audit_events SET after = ${JSON.stringify(forged.after)}::jsonb, content_hash = ${forged.content}, hash = ${hash} WHERE id = ${target.id}`.execute(trx);
      await sql`UPDATE audit_events SET prev_hash = ${hash} WHERE org_id = ${tenant.orgId} AND seq = 4`.execute(trx);
    });
    const next = events[3]!;
    expect(await verifyOverHttp(tenant)).toEqual({ valid: false, checked: 3, brokenAt: { seq: 4, id: next.id, reason: 'hash_mismatch' } });
  });

  it('catches a rewritten tail whose hashes all agree, because the chain head does not', async () => {
    const tenant = await tenantWithEvents();
    const events = await chain(tenant.orgId);
    let prev = events[1]!.hash!;
    await tamper(async (trx) => {
      for (const event of events.slice(2)) {
        const { hash, content } = forge(event, prev, { actorId: null, actorType: 'system' });
        await sql`UPDATE audit_events SET actor_type = 'system', actor_id = NULL, content_hash = ${content}, prev_hash = ${prev}, hash = ${hash} WHERE id = ${event.id}`.execute(trx);
        prev = hash;
      }
    });
    expect(await verifyOverHttp(tenant)).toEqual({
      valid: false,
      checked: tenant.events,
      brokenAt: { seq: tenant.events + 1, id: null, reason: 'head_mismatch' },
    });
  });

  it('detects a chain head moved back as head_mismatch', async () => {
    const tenant = await tenantWithEvents(1);
    await tamper((trx) => sql`UPDATE audit_chain_heads SET seq = seq - 1 WHERE org_id = ${tenant.orgId}`.execute(trx));
    expect(await verifyOverHttp(tenant)).toEqual({ valid: false, checked: tenant.events, brokenAt: { seq: tenant.events + 1, id: null, reason: 'head_mismatch' } });
  });

  it('the verify-audit command exits 0 on an intact chain and 1 with the break on a tampered one', async () => {
    const intact = await tenantWithEvents(1);
    const broken = await tenantWithEvents(2);
    await tamper((trx) => sql`UPDATE audit_events SET target_type = 'forged' WHERE org_id = ${broken.orgId} AND seq = 2`.execute(trx));
    const printed: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    try {
      expect(await runAdminCommand(t.app, 'verify-audit', { org: intact.orgId })).toBe(0);
      expect(await runAdminCommand(t.app, 'verify-audit', { org: broken.orgId })).toBe(1);
    } finally {
      spy.mockRestore();
    }
    const reports = printed.filter((p) => p.startsWith('{')).map((p) => JSON.parse(p) as ChainReport & { organisationId: string });
    expect(reports).toHaveLength(2);
    expect(reports[0]).toMatchObject({ organisationId: intact.orgId, valid: true, checked: intact.events, headSeq: intact.events, pending: 0 });
    expect(reports[1]).toMatchObject({ organisationId: broken.orgId, valid: false, brokenAt: { seq: 2, reason: 'hash_mismatch' } });
  });

  it('the verify-audit command without --org checks every organisation', async () => {
    const first = await tenantWithEvents(1);
    const second = await tenantWithEvents(2);
    const printed: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    try {
      await runAdminCommand(t.app, 'verify-audit', {});
    } finally {
      spy.mockRestore();
    }
    const reports = printed.filter((p) => p.startsWith('{')).map((p) => JSON.parse(p) as ChainReport & { organisationId: string });
    expect(reports.find((r) => r.organisationId === first.orgId)).toMatchObject({ valid: true, checked: first.events });
    expect(reports.find((r) => r.organisationId === second.orgId)).toMatchObject({ valid: true, checked: second.events });
  });
});

describe('audit events are append-only', () => {
  it.each([
    'UPDATE audit_events SET action = action',
    'DELETE FROM audit_events',
    'TRUNCATE audit_events',
    "INSERT INTO audit_events SELECT * FROM audit_events LIMIT 1",
    "UPDATE audit_chain_heads SET hash = repeat('f', 64)",
  ])(
    'the request role is refused "%s"',
    async (statement) => {
      const tenant = await tenantWithEvents(0);
      const attempt = t.app
        .get(Transactor)
        .inTenant({ orgId: tenant.orgId, userId: tenant.owner.userId }, (trx) => sql.raw(statement).execute(trx));
      await expect(attempt).rejects.toMatchObject({ code: '42501', message: expect.stringMatching(/permission denied/) as unknown });
      expect(await eventCount(tenant.orgId)).toBe(tenant.events);
    },
  );

  it.each(['UPDATE audit_events SET action = action', 'DELETE FROM audit_events', 'TRUNCATE audit_events'])(
    'even the table owner is stopped by the trigger: "%s"',
    async (statement) => {
      const tenant = await tenantWithEvents(0);
      await expect(sql.raw(statement).execute(t.runtime.db)).rejects.toThrow(/append-only/);
      expect(await eventCount(tenant.orgId)).toBe(tenant.events);
    },
  );
});

describe('appending goes through guddu_audit_append only', () => {
  it("a request cannot extend another organisation's chain", async () => {
    const mine = await tenantWithEvents(0);
    const theirs = await tenantWithEvents(0);
    const attempt = t.app
      .get(Transactor)
      .inTenant({ orgId: mine.orgId, userId: mine.owner.userId }, () =>
        t.app.get(AuditService).record(systemContext('test', theirs.orgId), { action: 'test.forged', targetType: 'test' }),
      );
    await expect(attempt).rejects.toMatchObject({ code: '42501' });
    expect(await eventCount(theirs.orgId)).toBe(theirs.events);
  });
});

describe('audit writes are part of the change they describe', () => {
  it('a transaction that fails after recording leaves no event and no hole in the chain', async () => {
    const tenant = await tenantWithEvents(1);
    const tx = t.app.get(Transactor);
    const audit = t.app.get(AuditService);
    const attempt = tx.inTenant({ orgId: tenant.orgId }, async () => {
      await audit.record(systemContext('test', tenant.orgId), { action: 'test.doomed', targetType: 'test' });
      throw new Error('the change after the audit write failed');
    });
    await expect(attempt).rejects.toThrow(/failed/);
    expect(await eventCount(tenant.orgId)).toBe(tenant.events);
    await tx.inTenant({ orgId: tenant.orgId }, () => audit.record(systemContext('test', tenant.orgId), { action: 'test.kept', targetType: 'test' }));
    await chainAudit(t, tenant.orgId);
    const { rows } = await sql<{ action: string; seq: number }>`
      SELECT action, seq FROM audit_events WHERE org_id = ${tenant.orgId} AND action LIKE 'test.%'`.execute(t.runtime.db);
    expect(rows).toEqual([{ action: 'test.kept', seq: tenant.events + 1 }]);
    expect(await verifyOverHttp(tenant)).toMatchObject({ valid: true, checked: tenant.events + 1, headSeq: tenant.events + 1, pending: 0 });
  });

  it('a refused invitation (already a member) records no invitation.created', async () => {
    const tenant = await tenantWithEvents(0);
    const member = await addUser(t, tenant.orgId, 'viewer');
    const before = await eventCount(tenant.orgId);
    const res = await call(t, { method: 'POST', url: '/api/v1/invitations', token: tenant.owner.accessToken, payload: { email: member.email, role: 'editor' } });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ code: string }>().code).toBe('already_member');
    expect(await eventCount(tenant.orgId)).toBe(before);
  });
});

describe('concurrent appends', () => {
  it('20 parallel mutations in one organisation get seq 1..N without gaps and a valid chain', async () => {
    const tenant = await tenantWithEvents(0);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(t, { method: 'POST', url: '/api/v1/organisations', token: tenant.owner.accessToken, payload: { name: `Consulate ${i}`, kind: 'mission' } }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array<number>(20).fill(201));
    await chainAudit(t, tenant.orgId);
    const { rows } = await sql<{ seq: number }>`SELECT seq FROM audit_events WHERE org_id = ${tenant.orgId} ORDER BY seq`.execute(t.runtime.db);
    const n = tenant.events + 20;
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(await verifyOverHttp(tenant)).toMatchObject({ valid: true, checked: n, headSeq: n, pending: 0 });
  });

  it('parallel mutations in two organisations keep two independent valid chains', async () => {
    const a = await tenantWithEvents(0);
    const b = await tenantWithEvents(0);
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => [a, b].map((x) => createChildOrg(t, x.owner, `Post ${i}`))).flat(),
    );
    for (const x of [a, b]) expect(await verifyOverHttp(x)).toMatchObject({ valid: true, checked: x.events + 10, headSeq: x.events + 10, pending: 0 });
  });
});
