import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditService, type ChainReport } from '../src/modules/audit/audit.service.js';
import { systemContext } from '../src/platform/context/request-context.js';
import type { Database } from '../src/platform/database/database.types.js';
import { Transactor } from '../src/platform/database/transactor.js';
import { call, chainAudit, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';

// The lock-free append and its sequencer (decision 0009): events chain in a deterministic order
// after commit, never before an event of a transaction that is still running; nothing is lost
// between commit and chaining; tampering shows, chained or not; checkpoints anchor the head.
// The test app runs no sequencer loop (role cli): each test chains when it chooses.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

async function tenant(): Promise<{ orgId: string; owner: Session }> {
  const root = await seedRootOrg(t, `Ministry ${randomUUID().slice(0, 6)}`);
  await chainAudit(t, root.orgId);
  return root;
}

function record(orgId: string, action: string): Promise<void> {
  return t.app.get(Transactor).inTenant({ orgId }, () => t.app.get(AuditService).record(systemContext('test', orgId), { action, targetType: 'test' }));
}

function verify(orgId: string): Promise<ChainReport> {
  return t.app.get(Transactor).inTenant({ orgId }, () => t.app.get(AuditService).verify(orgId));
}

async function rows(orgId: string) {
  return (
    await sql<{ id: string; action: string; seq: number | null; no: number; txid: string }>`
      SELECT id, action, seq, no, txid::text AS txid FROM audit_events WHERE org_id = ${orgId} ORDER BY no`.execute(t.runtime.db)
  ).rows;
}

async function tamper(fn: (trx: Transaction<Database>) => Promise<unknown>): Promise<void> {
  await t.runtime.db.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await fn(trx);
  });
}

describe('audit sequencer', () => {
  it('loses nothing between commit and chaining: a later process chains what an earlier one committed', async () => {
    const { orgId } = await tenant();
    for (let i = 0; i < 5; i++) await record(orgId, `test.unchained.${i}`);
    const pending = await verify(orgId);
    expect(pending).toMatchObject({ valid: true, pending: 5 });
    // The writer's process is gone; another one, on the same database, picks the events up.
    const second = await startTestApp({ GUDDU_SECRET_KEY: t.runtime.secretKey.toString('base64') }, { databaseUrl: t.url });
    try {
      await chainAudit(second, orgId);
    } finally {
      await second.close();
    }
    const after = await rows(orgId);
    expect(after.every((r) => r.seq !== null)).toBe(true);
    expect(after.map((r) => r.seq)).toEqual(after.map((_, i) => i + 1));
    expect(await verify(orgId)).toMatchObject({ valid: true, checked: after.length, headSeq: after.length, pending: 0 });
  });

  it('does not chain past a transaction still running, then chains its event first (older transaction id)', async () => {
    const { orgId } = await tenant();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let appended!: () => void;
    const inFlight = new Promise<void>((r) => (appended = r));
    const slow = t.app.get(Transactor).inTenant({ orgId }, async () => {
      await t.app.get(AuditService).record(systemContext('test', orgId), { action: 'test.slow', targetType: 'test' });
      appended();
      await held;
    });
    await inFlight;
    await record(orgId, 'test.fast');
    await t.app.get(AuditService).chainCommitted();
    const during = await rows(orgId);
    expect(during.find((r) => r.action === 'test.fast')!.seq).toBeNull();
    release();
    await slow;
    await chainAudit(t, orgId);
    const after = await rows(orgId);
    const slowSeq = after.find((r) => r.action === 'test.slow')!.seq!;
    const fastSeq = after.find((r) => r.action === 'test.fast')!.seq!;
    expect(fastSeq).toBe(slowSeq + 1);
    expect(await verify(orgId)).toMatchObject({ valid: true, pending: 0 });
  });

  it('chains concurrent writers of two organisations in (transaction, insertion) order, gap-free, while sequencers run alongside', async () => {
    const a = await tenant();
    const b = await tenant();
    const audit = t.app.get(AuditService);
    let writing = true;
    const sequencers = Array.from({ length: 2 }, async () => {
      while (writing) {
        await audit.chainBatch();
        await new Promise((r) => setTimeout(r, 5));
      }
    });
    await Promise.all(Array.from({ length: 30 }, (_, i) => record(i % 2 ? a.orgId : b.orgId, `test.concurrent.${i}`)));
    writing = false;
    await Promise.all(sequencers);
    for (const { orgId } of [a, b]) {
      await chainAudit(t, orgId);
      const chained = (await rows(orgId)).sort((x, y) => x.seq! - y.seq!);
      expect(chained.map((r) => r.seq)).toEqual(chained.map((_, i) => i + 1));
      const order = chained.map((r) => [BigInt(r.txid), r.no] as const);
      for (let i = 1; i < order.length; i++) {
        const [tx0, no0] = order[i - 1]!;
        const [tx1, no1] = order[i]!;
        expect(tx1 > tx0 || (tx1 === tx0 && no1 > no0)).toBe(true);
      }
      expect(await verify(orgId)).toMatchObject({ valid: true, checked: chained.length, pending: 0 });
    }
  });
});

describe('tampering with events not chained yet', () => {
  it('detects an edited pending event as hash_mismatch with no seq', async () => {
    const { orgId } = await tenant();
    await record(orgId, 'test.pending');
    const victim = (await rows(orgId)).at(-1)!;
    await tamper((trx) => sql`UPDATE audit_events SET action = 'test.forged' WHERE id = ${victim.id}`.execute(trx));
    expect(await verify(orgId)).toMatchObject({ valid: false, brokenAt: { seq: null, id: victim.id, reason: 'hash_mismatch' } });
  });

  it('detects two pending events swapped in the order (their insertion numbers exchanged)', async () => {
    const { orgId } = await tenant();
    await record(orgId, 'test.first');
    await record(orgId, 'test.second');
    const [x, y] = (await rows(orgId)).slice(-2);
    await tamper(async (trx) => {
      await sql`UPDATE audit_events SET no = -1 WHERE id = ${x!.id}`.execute(trx);
      await sql`UPDATE audit_events SET no = ${x!.no} WHERE id = ${y!.id}`.execute(trx);
      await sql`UPDATE audit_events SET no = ${y!.no} WHERE id = ${x!.id}`.execute(trx);
    });
    expect(await verify(orgId)).toMatchObject({ valid: false, brokenAt: { seq: null, reason: 'hash_mismatch' } });
  });

  it('detects an event planted below what is already chained as out_of_order', async () => {
    const { orgId } = await tenant();
    await record(orgId, 'test.real');
    await chainAudit(t, orgId);
    // A copy of a genuine append, given a transaction id older than the chained ones: a pending
    // event the sequencer could never have left behind.
    await tamper(async (trx) => {
      await sql`INSERT INTO audit_events (id, org_id, occurred_at, actor_type, action, target_type, txid, no, content_hash)
        SELECT gen_random_uuid(), org_id, occurred_at, actor_type, 'test.planted', target_type, '3'::xid8, 0, 'x'
        FROM audit_events WHERE org_id = ${orgId} AND action = 'test.real'`.execute(trx);
    });
    const id = (await rows(orgId)).find((r) => r.action === 'test.planted')!.id;
    const event = (await sql<{ occurred_at: Date; actor_type: 'system' }>`SELECT occurred_at, actor_type FROM audit_events WHERE id = ${id}`.execute(t.runtime.db)).rows[0]!;
    const { canonicalJson, contentHash } = await import('../src/modules/audit/audit.canonical.js');
    const canonical = canonicalJson({
      id, orgId, occurredAt: event.occurred_at.toISOString(), actorType: event.actor_type, actorId: null, action: 'test.planted',
      targetType: 'test', targetId: null, before: null, after: null, ip: null, userAgent: null, correlationId: null,
    });
    await tamper((trx) => sql`UPDATE audit_events SET content_hash = ${contentHash(canonical, '3', 0)} WHERE id = ${id}`.execute(trx));
    expect(await verify(orgId)).toMatchObject({ valid: false, brokenAt: { seq: null, id, reason: 'out_of_order' } });
  });

  it('detects two chained events swapped (seq exchanged)', async () => {
    const { orgId } = await tenant();
    await record(orgId, 'test.a');
    await record(orgId, 'test.b');
    await chainAudit(t, orgId);
    const chained = await rows(orgId);
    const [x, y] = chained.slice(-2);
    await tamper(async (trx) => {
      await sql`UPDATE audit_events SET seq = -1 WHERE id = ${x!.id}`.execute(trx);
      await sql`UPDATE audit_events SET seq = ${x!.seq} WHERE id = ${y!.id}`.execute(trx);
      await sql`UPDATE audit_events SET seq = ${y!.seq} WHERE id = ${x!.id}`.execute(trx);
    });
    expect(await verify(orgId)).toMatchObject({ valid: false, brokenAt: { seq: x!.seq, reason: 'prev_hash_mismatch' } });
  });
});

describe('signed checkpoints', () => {
  type Signed = { checkpoint: { org: string; seq: number; hash: string }; jws: string };
  type Check = { signature: string; matches: boolean; chain: ChainReport };

  it('a checkpoint verifies while the chain grows, and stops matching once history is rewritten', async () => {
    const { orgId, owner } = await tenant();
    const res = await call(t, { method: 'GET', url: '/api/v1/audit/checkpoint', token: owner.accessToken });
    expect(res.statusCode, res.body).toBe(200);
    const signed = res.json<Signed>();
    expect(signed.checkpoint).toMatchObject({ org: orgId, seq: 2 });
    const check = async (jws: string) => call(t, { method: 'POST', url: '/api/v1/audit/checkpoint/verify', token: owner.accessToken, payload: { jws } });

    await record(orgId, 'test.later');
    await chainAudit(t, orgId);
    const ok = await check(signed.jws);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<Check>()).toMatchObject({ signature: 'valid', matches: true, chain: { valid: true } });

    // Rewritten wholesale, consistently (hashes, links and head recomputed): verify alone
    // cannot tell, the checkpoint can.
    await tamper(async (trx) => {
      await sql`UPDATE audit_events SET seq = NULL, prev_hash = NULL, hash = NULL, chained_at = NULL WHERE org_id = ${orgId}`.execute(trx);
      await sql`UPDATE audit_events SET action = 'test.rewritten' WHERE org_id = ${orgId} AND action = 'auth.signed_in'`.execute(trx);
      await sql`DELETE FROM audit_chain_heads WHERE org_id = ${orgId}`.execute(trx);
    });
    // The content hash still covers the old action; the forger recomputes it too.
    const { canonicalJson, contentHash } = await import('../src/modules/audit/audit.canonical.js');
    const events = await t.app.get(Transactor).inTenant({ orgId }, () => t.app.get(AuditService).list(orgId, {}, 100));
    await tamper(async (trx) => {
      for (const e of events) {
        const { no, txid, contentHash: _c, seq: _s, prevHash: _p, hash: _h, chainedAt: _a, ...fields } = e;
        await sql`UPDATE audit_events SET content_hash = ${contentHash(canonicalJson(fields), txid!, no)} WHERE id = ${e.id}`.execute(trx);
      }
    });
    await chainAudit(t, orgId);
    expect(await verify(orgId)).toMatchObject({ valid: true });
    const rewritten = await check(signed.jws);
    expect(rewritten.json<Check>()).toMatchObject({ signature: 'valid', matches: false });
  });

  it('refuses a checkpoint whose payload was altered, with a 400 problem', async () => {
    const { owner } = await tenant();
    const { jws } = (await call(t, { method: 'GET', url: '/api/v1/audit/checkpoint', token: owner.accessToken })).json<Signed>();
    const [header, payload, signature] = jws.split('.');
    const forged = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { seq: number };
    forged.seq += 1;
    const altered = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
    const res = await call(t, { method: 'POST', url: '/api/v1/audit/checkpoint/verify', token: owner.accessToken, payload: { jws: altered } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.json<{ code: string }>().code).toBe('validation_failed');
  });
});
