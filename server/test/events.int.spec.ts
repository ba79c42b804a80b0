import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transactor } from '../src/platform/database/transactor.js';
import { EventDelivery } from '../src/platform/events/event-delivery.js';
import { EventOutbox } from '../src/platform/events/event-outbox.js';
import { EventSubscribers } from '../src/platform/events/event-subscribers.js';
import { OutboxRepository } from '../src/platform/events/outbox.repository.js';
import { systemContext } from '../src/platform/context/request-context.js';
import { createEffectsTable, deleteStreams, effects, emitTicks, modeEnv, newOrg, orderPerAggregate, subscribeCounter, waitFor } from './events-fixtures.js';
import { call, seedRootOrg, startTestApp, type TestApp } from './harness.js';

// Runs with the in-process transport (no NATS_URL) and with the run's NATS (NATS_URL set).
// Two processes on one database share the secret key, as replicas do.
// Small relay rounds, so that two relays share the work on ten aggregates.
const env: Record<string, string> = { ...modeEnv(), GUDDU_DB_POOL_SIZE: '10', GUDDU_OUTBOX_BATCH_AGGREGATES: '3', GUDDU_SECRET_KEY: randomBytes(32).toString('base64') };
let t: TestApp;
let orgId: string;
beforeAll(async () => {
  t = await startTestApp(env, { role: 'all' });
  await createEffectsTable(t);
  orgId = await newOrg(t);
});
afterAll(async () => {
  await t?.close();
  if (env.NATS_URL && env.GUDDU_NATS_PREFIX) await deleteStreams(env.NATS_URL, env.GUDDU_NATS_PREFIX);
});

const published = async (id: string) => {
  const row = await t.runtime.db.selectFrom('outbox_events').select('published_at').where('id', '=', id).executeTakeFirst();
  return row?.published_at != null;
};

describe('transactional outbox', () => {
  it('never delivers an event whose transaction rolled back; delivers a committed one once, even when published twice', async () => {
    await subscribeCounter(t, 'test.once');
    const outbox = t.app.get(EventOutbox);
    const ctx = systemContext('test', orgId);
    await expect(
      t.app.get(Transactor).inTenant({ orgId }, async () => {
        await outbox.emit(ctx, 'test.ticked', { seq: -1 }, { aggregateType: 'tick', aggregateId: 'rolled-back' });
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    const [id] = await emitTicks(t, orgId, ['kept'], 1);

    await waitFor('the committed event', async () => (await effects(t, 'test.once')).length === 1);
    await waitFor('the first publish', () => published(id!));
    // The relay publishes it again (as after a crash between publish and commit).
    await t.runtime.db.updateTable('outbox_events').set({ published_at: null }).where('id', '=', id!).execute();
    await waitFor('the second publish', () => published(id!));
    await new Promise((r) => setTimeout(r, 500));
    // And a consumer sees it delivered again (JetStream would drop the republish by message id).
    const subscriber = t.app.get(EventSubscribers).of('test.ticked').find((s) => s.consumer === 'test.once')!;
    const row = await t.runtime.db.selectFrom('outbox_events').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    const again = await t.app.get(EventDelivery).deliver(subscriber, {
      id: row.id,
      name: 'test.ticked',
      orgId,
      aggregateType: row.aggregate_type,
      aggregateId: row.aggregate_id,
      correlationId: row.correlation_id,
      occurredAt: row.occurred_at.toISOString(),
      payload: { seq: 1 },
    });

    expect(again).toBe('duplicate');
    const seen = await effects(t, 'test.once');
    expect(seen.map((e) => [e.event_id, e.aggregate])).toEqual([[id, 'kept']]);
    const rolledBack = await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox_events WHERE aggregate_id = 'rolled-back'`.execute(t.runtime.db);
    expect(rolledBack.rows[0]!.n).toBe(0);
  });

  it('prunes published events and dedup rows past their retention, and nothing else', async () => {
    const [oldId, recentId] = await emitTicks(t, orgId, ['prune-old', 'prune-recent'], 1);
    await waitFor('both published', async () => (await published(oldId!)) && (await published(recentId!)));
    const [pendingId] = await emitTicks(t, orgId, ['prune-pending'], 1);
    await t.runtime.db.updateTable('outbox_events').set({ published_at: null }).where('id', '=', pendingId!).execute();
    await sql`UPDATE outbox_events SET published_at = now() - interval '8 days' WHERE id = ${oldId}`.execute(t.runtime.db);
    await sql`INSERT INTO event_consumptions (consumer, event_id, processed_at) VALUES
      ('test.prune', ${oldId}, now() - interval '31 days'), ('test.prune', ${recentId}, now())`.execute(t.runtime.db);

    const now = new Date();
    const day = 24 * 3600_000;
    const pruned = await t.app
      .get(Transactor)
      .withTenantBypass('test: prune', () => t.app.get(OutboxRepository).prune(new Date(now.getTime() - 7 * day), new Date(now.getTime() - 30 * day), 1000));
    expect(pruned).toMatchObject({ events: 1, consumptions: 1 });
    const left = await sql<{ id: string }>`SELECT id FROM outbox_events WHERE id IN (${oldId}, ${recentId}, ${pendingId})`.execute(t.runtime.db);
    expect(left.rows.map((r) => r.id).sort()).toEqual([recentId, pendingId].sort());
    const kept = await sql<{ event_id: string }>`SELECT event_id FROM event_consumptions WHERE consumer = 'test.prune'`.execute(t.runtime.db);
    expect(kept.rows.map((r) => r.event_id)).toEqual([recentId]);
  });

  it('keeps the order of each aggregate for 1,000 events across 10 aggregates with two relays', async () => {
    const second = await startTestApp(env, { role: 'all', databaseUrl: t.url });
    try {
      await subscribeCounter(t, 'test.order', 'first');
      await subscribeCounter(second, 'test.order', 'second');
      const aggregates = Array.from({ length: 10 }, (_, i) => `agg-${i}`);
      for (let seq = 0; seq < 100; seq++) await emitTicks(seq % 2 ? t : second, orgId, aggregates, seq);

      // (With NATS, a new subscriber also gets the stream's earlier events: count only these.)
      await waitFor('1,000 deliveries', async () => (await effects(t, 'test.order', 'agg-')).length >= 1000, 60_000);
      await new Promise((r) => setTimeout(r, 300));
      const rows = await effects(t, 'test.order', 'agg-');
      expect(rows).toHaveLength(1000);
      expect(new Set(rows.map((r) => r.event_id)).size).toBe(1000);
      const order = orderPerAggregate(rows);
      expect([...order.keys()].sort()).toEqual(aggregates);
      for (const seqs of order.values()) expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => i));
      // Both relays took part (in-process delivery runs in the relay's own process).
      if (!process.env.NATS_URL) expect(new Set(rows.map((r) => r.app))).toEqual(new Set(['first', 'second']));
    } finally {
      await second.close();
    }
  }, 90_000);

  it('emits domain events with the audit record of the change, and readiness reports the backlog', async () => {
    const root = await seedRootOrg(t, 'Ministry of Events');
    const res = await call(t, { method: 'POST', url: '/api/v1/organisations', token: root.owner.accessToken, payload: { name: 'Embassy Oslo', kind: 'mission' } });
    expect(res.statusCode).toBe(201);
    const created = await t.runtime.db.selectFrom('outbox_events').selectAll().where('name', '=', 'organisations.created').where('org_id', '=', root.orgId).execute();
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ aggregate_type: 'organisation', aggregate_id: res.json<{ id: string }>().id, correlation_id: res.headers['x-request-id'] });
    expect(created[0]!.payload).toEqual({ organisationId: res.json<{ id: string }>().id, parentId: root.orgId, kind: 'mission' });

    const ready = await call(t, { method: 'GET', url: '/readyz' });
    expect(ready.json<{ checks: Record<string, string> }>().checks.events).toMatch(/^backlog \d+, oldest [\d.]+s; dead-lettered \d+; parked \d+; (in-process|nats connected)$/);
  });

  it('a request cannot read or write another tenant\'s outbox, nor mark events published', async () => {
    const other = await newOrg(t);
    await emitTicks(t, other, ['secret'], 0);
    const tx = t.app.get(Transactor);
    const seen = await tx.inTenant({ orgId }, (trx) => sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox_events WHERE org_id = ${other}`.execute(trx));
    expect(seen.rows[0]!.n).toBe(0);
    await expect(
      tx.inTenant({ orgId }, (trx) =>
        sql`INSERT INTO outbox_events (id, name, org_id, aggregate_type, aggregate_id, payload)
            VALUES (gen_random_uuid(), 'test.ticked', ${other}, 'tick', 'x', '{}')`.execute(trx),
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(tx.inTenant({ orgId }, (trx) => sql`UPDATE outbox_events SET published_at = now()`.execute(trx))).rejects.toThrow(/permission denied/);
    await expect(tx.inTenant({ orgId }, (trx) => sql`SELECT * FROM event_consumptions`.execute(trx))).rejects.toThrow(/permission denied/);
  });
});
