import { randomBytes, randomUUID } from 'node:crypto';
import { jetstreamManager, StorageType } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transactor } from '../src/platform/database/transactor.js';
import { EventOutbox } from '../src/platform/events/event-outbox.js';
import { EventSubscribers } from '../src/platform/events/event-subscribers.js';
import type { EventTransport, PublishOutcome } from '../src/platform/events/event-transport.js';
import type { EventEnvelope } from '../src/platform/events/events.types.js';
import { OutboxRelay } from '../src/platform/events/outbox-relay.js';
import { OutboxRepository } from '../src/platform/events/outbox.repository.js';
import { ParkedEventsRepository } from '../src/platform/events/parked-events.repository.js';
import { systemContext } from '../src/platform/context/request-context.js';
import { createEffectsTable, deleteStreams, effects, modeEnv, newOrg, waitFor } from './events-fixtures.js';
import { addUser, call, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';

declare module '../src/platform/events/events.types.js' {
  interface GudduEvents {
    /** Test-only: an event whose padding makes it the poison one. */
    'test.poisoned': { seq: number; padding: string };
  }
}

// Small numbers, so that an event is dead-lettered within a few relay polls.
const MAX_ATTEMPTS = 3;
const retryEnv = { GUDDU_OUTBOX_MAX_ATTEMPTS: String(MAX_ATTEMPTS), GUDDU_OUTBOX_RETRY_BASE_MS: '20', GUDDU_OUTBOX_RETRY_MAX_MS: '100' };
const POISON = 'x'.repeat(10_000);
const STREAM_MAX_MSG_SIZE = 4096;

interface OutboxState {
  attempts: number;
  last_error: string | null;
  dead_lettered_at: Date | null;
  published_at: Date | null;
}

async function emit(t: TestApp, orgId: string, aggregateId: string, seq: number, padding = ''): Promise<string> {
  const ctx = systemContext('test', orgId);
  return t.app.get(Transactor).inTenant({ orgId }, () => t.app.get(EventOutbox).emit(ctx, 'test.poisoned', { seq, padding }, { aggregateType: 'poisoned', aggregateId }));
}

async function state(t: TestApp, id: string): Promise<OutboxState> {
  return t.runtime.db.selectFrom('outbox_events').select(['attempts', 'last_error', 'dead_lettered_at', 'published_at']).where('id', '=', id).executeTakeFirstOrThrow();
}

/**
 * Runs with the in-process transport (no NATS_URL) and with the run's NATS. The poison event is
 * the large one: in-process, its subscriber throws on it while "broken"; with NATS, the stream
 * refuses it (max_msg_size) until an operator raises the limit. Either way the fix is outside
 * Guddu, and the redrive is what delivers it.
 */
describe('dead letters of the outbox', () => {
  const env: Record<string, string> = { ...modeEnv(), ...retryEnv, GUDDU_DB_POOL_SIZE: '10', GUDDU_SECRET_KEY: randomBytes(32).toString('base64') };
  const nats = env.NATS_URL ? { url: env.NATS_URL, stream: `${env.GUDDU_NATS_PREFIX!.toUpperCase()}_TEST`, subjects: `${env.GUDDU_NATS_PREFIX}.test.>` } : undefined;
  let t: TestApp;
  let a: { orgId: string; owner: Session };
  let b: { orgId: string; owner: Session };
  let broken = true;

  async function withStreams<T>(fn: (jsm: Awaited<ReturnType<typeof jetstreamManager>>) => Promise<T>): Promise<T> {
    const nc = await connect({ servers: nats!.url });
    try {
      return await fn(await jetstreamManager(nc));
    } finally {
      await nc.close();
    }
  }

  beforeAll(async () => {
    // The operator's stream, made before Guddu's transport would make it without the limit.
    if (nats) await withStreams((jsm) => jsm.streams.add({ name: nats.stream, subjects: [nats.subjects], storage: StorageType.File, max_msg_size: STREAM_MAX_MSG_SIZE }));
    t = await startTestApp(env, { role: 'all' });
    await createEffectsTable(t);
    a = await seedRootOrg(t, 'Ministry A');
    b = await seedRootOrg(t, 'Ministry B');
    const tx = t.app.get(Transactor);
    await t.app.get(EventSubscribers).register('test.poisoned', 'test.dead-letter', async (e) => {
      if (broken && !nats && e.payload.padding.length > STREAM_MAX_MSG_SIZE) throw new Error('the subscriber is broken');
      await sql`INSERT INTO test_effects (consumer, event_id, aggregate, seq, app)
                VALUES ('test.dead-letter', ${e.id}, ${e.aggregateId}, ${e.payload.seq}, 'a')`.execute(tx.current());
    });
  });
  afterAll(async () => {
    await t?.close();
    if (env.NATS_URL && env.GUDDU_NATS_PREFIX) await deleteStreams(env.NATS_URL, env.GUDDU_NATS_PREFIX);
  });

  const fix = async () => {
    broken = false;
    if (nats) await withStreams((jsm) => jsm.streams.update(nats.stream, { max_msg_size: -1 }));
  };
  const readiness = async () => (await call(t, { method: 'GET', url: '/readyz' })).json<{ checks: Record<string, string> }>().checks.events ?? '';
  const deadLetters = async (as: Session) => {
    const res = await call(t, { method: 'GET', url: '/api/v1/admin/events?state=dead_lettered', token: as.accessToken });
    expect(res.statusCode).toBe(200);
    return res.json<{ items: { id: string; attempts: number; lastError: string; heldBack: number; aggregateId: string; payload: { seq: number } }[] }>().items;
  };

  it('dead-letters an event after the set number of attempts, holds back its aggregate only, and delivers it in order once redriven', async () => {
    const run = randomUUID().slice(0, 8);
    const poisonAggregate = `poison-${run}`;
    const poison = await emit(t, a.orgId, poisonAggregate, 1, POISON);
    const behind = await emit(t, a.orgId, poisonAggregate, 2);
    await emit(t, a.orgId, `other-${run}-1`, 1);
    await emit(t, a.orgId, `other-${run}-2`, 1);

    // Other aggregates are not blocked.
    await waitFor('the other aggregates', async () => (await effects(t, 'test.dead-letter', `other-${run}`)).length === 2);
    await waitFor('the dead letter', async () => (await state(t, poison)).dead_lettered_at !== null, 20_000);
    const dead = await state(t, poison);
    expect(dead.attempts).toBe(MAX_ATTEMPTS);
    expect(dead.published_at).toBeNull();
    expect(dead.last_error).toMatch(nats ? /exceeds maximum|max_payload/i : /^test\.dead-letter: the subscriber is broken/);

    // The relay has stopped trying it, and the rest of its aggregate waits, never tried.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await state(t, poison)).attempts).toBe(MAX_ATTEMPTS);
    expect(await state(t, behind)).toMatchObject({ attempts: 0, published_at: null, dead_lettered_at: null });
    expect(await effects(t, 'test.dead-letter', poisonAggregate)).toEqual([]);
    expect(await readiness()).toMatch(/; dead-lettered 1; /);

    const listed = (await deadLetters(a.owner)).find((d) => d.id === poison);
    expect(listed).toMatchObject({ attempts: MAX_ATTEMPTS, heldBack: 1, aggregateId: poisonAggregate, payload: { seq: 1 } });

    // Redriven before the fix: it fails again, a fresh set of attempts, and comes back.
    expect((await call(t, { method: 'POST', url: `/api/v1/admin/events/${poison}/redrive`, token: a.owner.accessToken })).statusCode).toBe(204);
    await waitFor('the dead letter again', async () => {
      const s = await state(t, poison);
      return s.dead_lettered_at !== null && s.attempts === MAX_ATTEMPTS;
    }, 20_000);

    await fix();
    expect((await call(t, { method: 'POST', url: `/api/v1/admin/events/${poison}/redrive`, token: a.owner.accessToken })).statusCode).toBe(204);
    await waitFor('the redriven event and the one behind it', async () => (await effects(t, 'test.dead-letter', poisonAggregate)).length === 2, 20_000);
    const delivered = await effects(t, 'test.dead-letter', poisonAggregate);
    expect(delivered.map((e) => [e.event_id, e.seq])).toEqual([
      [poison, 1],
      [behind, 2],
    ]);
    await waitFor('both published', async () => (await state(t, behind)).published_at !== null);
    expect(await readiness()).toMatch(/; dead-lettered 0; /);

    const audit = await sql<{ action: string; target_id: string }>`SELECT action, target_id FROM audit_events WHERE org_id = ${a.orgId} AND action = 'event.redriven'`.execute(t.runtime.db);
    expect(audit.rows).toEqual([
      { action: 'event.redriven', target_id: poison },
      { action: 'event.redriven', target_id: poison },
    ]);
    const again = await call(t, { method: 'POST', url: `/api/v1/admin/events/${poison}/redrive`, token: a.owner.accessToken });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ code: string }>().code).toBe('event_not_dead_lettered');
  }, 60_000);

  it('an admin discards a dead letter with a reason: audited, never delivered, and the events behind it go on', async () => {
    broken = true;
    if (nats) await withStreams((jsm) => jsm.streams.update(nats.stream, { max_msg_size: STREAM_MAX_MSG_SIZE }));
    const aggregate = `discard-${randomUUID().slice(0, 8)}`;
    const poison = await emit(t, a.orgId, aggregate, 1, POISON);
    const behind = await emit(t, a.orgId, aggregate, 2);
    await waitFor('the dead letter', async () => (await state(t, poison)).dead_lettered_at !== null, 20_000);
    const discard = (id: string, query: string, as = a.owner) => call(t, { method: 'DELETE', url: `/api/v1/admin/events/${id}${query}`, token: as.accessToken });

    const noReason = await discard(poison, '');
    expect(noReason.statusCode).toBe(400);
    expect(noReason.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await discard(poison, '?reason=%20%20')).statusCode).toBe(400);
    const other = await discard(poison, '?reason=not%20mine', b.owner);
    expect(other.statusCode).toBe(404);
    expect(other.json<{ code: string }>().code).toBe('event_not_found');
    expect((await discard(behind, '?reason=not%20dead')).json<{ code: string }>().code).toBe('event_not_dead_lettered');
    expect((await discard(poison, '?reason=announcement%20withdrawn')).statusCode).toBe(204);

    await waitFor('the event behind it', async () => (await effects(t, 'test.dead-letter', aggregate)).length === 1, 20_000);
    expect((await effects(t, 'test.dead-letter', aggregate)).map((e) => e.event_id)).toEqual([behind]);
    expect(await t.runtime.db.selectFrom('outbox_events').select('id').where('id', '=', poison).executeTakeFirst()).toBeUndefined();
    expect((await deadLetters(a.owner)).map((d) => d.id)).not.toContain(poison);
    expect((await discard(poison, '?reason=again')).statusCode).toBe(404);
    const audit = await sql<{ action: string; before: { name: string; attempts: number }; after: { reason: string } }>`
      SELECT action, before, after FROM audit_events WHERE org_id = ${a.orgId} AND target_id = ${poison}`.execute(t.runtime.db);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ action: 'event.discarded', before: { name: 'test.poisoned', attempts: MAX_ATTEMPTS }, after: { reason: 'announcement withdrawn' } });
  }, 60_000);

  it("another organisation's admin can neither see nor redrive a dead letter; a non-admin cannot list them", async () => {
    broken = true;
    if (nats) await withStreams((jsm) => jsm.streams.update(nats.stream, { max_msg_size: STREAM_MAX_MSG_SIZE }));
    const poison = await emit(t, a.orgId, `poison-${randomUUID().slice(0, 8)}`, 1, POISON);
    await waitFor('the dead letter', async () => (await state(t, poison)).dead_lettered_at !== null, 20_000);

    expect((await deadLetters(a.owner)).map((d) => d.id)).toContain(poison);
    expect((await deadLetters(b.owner)).map((d) => d.id)).not.toContain(poison);
    const redrive = await call(t, { method: 'POST', url: `/api/v1/admin/events/${poison}/redrive`, token: b.owner.accessToken });
    expect(redrive.statusCode).toBe(404);
    expect(redrive.json<{ code: string }>().code).toBe('event_not_found');
    expect((await state(t, poison)).dead_lettered_at).not.toBeNull();
    // Nor by naming the other organisation: the caller holds no role there.
    const switched = await call(t, { method: 'POST', url: `/api/v1/admin/events/${poison}/redrive`, token: b.owner.accessToken, org: a.orgId });
    expect([403, 404]).toContain(switched.statusCode);
    expect((await state(t, poison)).dead_lettered_at).not.toBeNull();

    const { session: editor } = await addUser(t, a.orgId, 'editor');
    expect((await call(t, { method: 'GET', url: '/api/v1/admin/events', token: editor.accessToken })).statusCode).toBe(403);
    expect((await call(t, { method: 'POST', url: `/api/v1/admin/events/${poison}/redrive`, token: editor.accessToken })).statusCode).toBe(403);

    // Below the request role, the database refuses too: the redrive function serves only the
    // caller's organisation, and the table itself cannot be updated.
    const tx = t.app.get(Transactor);
    const result = await tx.inTenant({ orgId: b.orgId }, (trx) => sql<{ r: string | null }>`SELECT guddu_outbox_redrive(${poison}::uuid) AS r`.execute(trx));
    expect(result.rows[0]!.r).toBeNull();
    await expect(tx.inTenant({ orgId: a.orgId }, (trx) => sql`UPDATE outbox_events SET dead_lettered_at = NULL`.execute(trx))).rejects.toThrow(/permission denied/);
    expect((await state(t, poison)).dead_lettered_at).not.toBeNull();
  }, 60_000);
});

/**
 * The relay's bookkeeping against a transport of the test's making (the database is real): what
 * counts as an attempt, and what is marked published after a failure in the middle of a batch.
 * The app runs no relay of its own ('api' role), so only the one built here touches the outbox.
 */
describe('outbox relay bookkeeping', () => {
  let t: TestApp;
  let orgId: string;
  beforeAll(async () => {
    t = await startTestApp({ GUDDU_SECRET_KEY: randomBytes(32).toString('base64') }, { role: 'api' });
    orgId = await newOrg(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A transport that answers each event with what `decide` says (and records what it saw). */
  function scripted(decide: (e: EventEnvelope) => PublishOutcome): EventTransport & { seen: string[] } {
    const seen: string[] = [];
    return {
      kind: 'nats',
      seen,
      start: async () => {},
      stop: async () => {},
      available: () => true,
      describe: () => 'scripted',
      publish: async (batch) => batch.map((e) => (seen.push(e.id), decide(e))),
    };
  }
  const relayWith = (transport: EventTransport, maxAttempts = 2) =>
    new OutboxRelay(t.app.get(Transactor), t.app.get(OutboxRepository), transport, t.runtime.databaseUrl, t.runtime.log, 50, { maxAttempts, baseMs: 10, maxMs: 10 });
  const emitTo = (aggregateId: string, seq: number) => emit(t, orgId, aggregateId, seq);
  const settle = () => new Promise((r) => setTimeout(r, 30));

  it('counts no attempt when the broker is at fault, and dead-letters when the event is', async () => {
    const id = await emitTo(`fault-${randomUUID()}`, 1);
    let fault: 'event' | 'transport' = 'transport';
    const relay = relayWith(scripted((e) => (e.id === id ? { status: 'failed', fault, error: new Error(`${fault} trouble`) } : { status: 'published' })));
    for (let i = 0; i < 3; i++) await relay.round();
    expect(await state(t, id)).toMatchObject({ attempts: 0, dead_lettered_at: null, published_at: null });

    fault = 'event';
    await relay.round();
    expect(await state(t, id)).toMatchObject({ attempts: 1, last_error: 'event trouble', dead_lettered_at: null });
    await settle();
    await relay.round();
    const dead = await state(t, id);
    expect(dead.attempts).toBe(2);
    expect(dead.dead_lettered_at).not.toBeNull();
    await settle();
    await relay.round(); // no longer claimed
    expect((await state(t, id)).attempts).toBe(2);
  });

  it('after a failure in the middle of an aggregate, marks published only what came before it', async () => {
    const agg = `prefix-${randomUUID()}`;
    const ids = [await emitTo(agg, 1), await emitTo(agg, 2), await emitTo(agg, 3)];
    const other = await emitTo(`prefix-other-${randomUUID()}`, 1);
    // The second event fails; the transport (wrongly) reports the third as published: the relay
    // must still not mark it, or it would be published ahead of the second.
    const transport = scripted((e) => (e.id === ids[1] ? { status: 'failed', fault: 'event', error: new Error('refused') } : { status: 'published' }));
    await relayWith(transport, 10).round();
    const [first, second, third] = await Promise.all(ids.map((id) => state(t, id)));
    expect(first!.published_at).not.toBeNull();
    expect(second).toMatchObject({ published_at: null, attempts: 1 });
    expect(third).toMatchObject({ published_at: null, attempts: 0 });
    expect((await state(t, other)).published_at).not.toBeNull();

    // Next time the second succeeds: the second and third go, in order.
    const again = scripted(() => ({ status: 'published' }));
    await settle();
    await relayWith(again, 10).round();
    expect(again.seen).toEqual([ids[1], ids[2]]);
    expect((await state(t, ids[2]!)).published_at).not.toBeNull();
  });

  it('prunes dead letters past their retention, of the relay and of subscribers, and what waited behind them goes on', async () => {
    const day = 24 * 3600_000;
    const oldAgg = `retention-old-${randomUUID()}`;
    const [oldDead, oldBehind] = [await emitTo(oldAgg, 1), await emitTo(oldAgg, 2)];
    const recentDead = await emitTo(`retention-recent-${randomUUID()}`, 1);
    const fail = new Set([oldDead, recentDead]);
    const transport = scripted((e) => (fail.has(e.id) ? { status: 'failed', fault: 'event', error: new Error('refused') } : { status: 'published' }));
    const parked = t.app.get(ParkedEventsRepository);
    const relay = new OutboxRelay(t.app.get(Transactor), t.app.get(OutboxRepository), transport, t.runtime.databaseUrl, t.runtime.log, 50, { maxAttempts: 1, baseMs: 10, maxMs: 10 }, { deadLetterRetentionMs: 30 * day, parked });
    await relay.round();
    expect((await state(t, oldDead)).dead_lettered_at).not.toBeNull();
    expect((await state(t, recentDead)).dead_lettered_at).not.toBeNull();
    await sql`UPDATE outbox_events SET dead_lettered_at = now() - interval '31 days' WHERE id = ${oldDead}`.execute(t.runtime.db);
    // A subscriber's old dead letter with an event parked behind it, and a recent one.
    const letter = (eventId: string, seq: number, state: 'dead' | 'pending', age: string) => sql`
      INSERT INTO event_dead_letters (consumer, event_id, org_id, name, aggregate_type, aggregate_id, envelope, state, dead_lettered_at)
      VALUES ('test.retention', ${eventId}, ${orgId}, 'test.poisoned', 'poisoned', 'retention', ${JSON.stringify({ seq })}::jsonb, ${state},
              CASE WHEN ${state} = 'dead' THEN now() - ${age}::interval END)`.execute(t.runtime.db);
    const [subOld, subBehind, subRecent] = [randomUUID(), randomUUID(), randomUUID()];
    await letter(subOld, 1, 'dead', '31 days');
    await letter(subBehind, 2, 'pending', '0 days');
    await letter(subRecent, 1, 'dead', '29 days');

    const pruned = await relay.prune();
    expect(pruned.deadLetters).toBe(2);
    expect(await t.runtime.db.selectFrom('outbox_events').select('id').where('id', '=', oldDead).executeTakeFirst()).toBeUndefined();
    expect((await state(t, recentDead)).dead_lettered_at).not.toBeNull();
    const left = await sql<{ event_id: string; state: string }>`SELECT event_id, state FROM event_dead_letters WHERE consumer = 'test.retention' ORDER BY position`.execute(t.runtime.db);
    expect(left.rows).toEqual([
      { event_id: subBehind, state: 'pending' },
      { event_id: subRecent, state: 'dead' },
    ]);
    // Given up as a discard gives it up: a redelivery of the pruned one from the stream is skipped.
    const consumed = await sql<{ n: number }>`SELECT count(*)::int AS n FROM event_consumptions WHERE consumer = 'test.retention' AND event_id = ${subOld}`.execute(t.runtime.db);
    expect(consumed.rows[0]!.n).toBe(1);

    // The relay's held-back event is no longer behind anything.
    await relay.round();
    expect((await state(t, oldBehind)).published_at).not.toBeNull();
    expect((await relay.prune()).deadLetters).toBe(0);
  });
});
