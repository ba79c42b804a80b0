import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transactor } from '../src/platform/database/transactor.js';
import { EventOutbox } from '../src/platform/events/event-outbox.js';
import { EventSubscribers } from '../src/platform/events/event-subscribers.js';
import { systemContext } from '../src/platform/context/request-context.js';
import { createEffectsTable, deleteStreams, effects, modeEnv, waitFor } from './events-fixtures.js';
import { call, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';

declare module '../src/platform/events/events.types.js' {
  interface GudduEvents {
    /** Test-only: an event a subscriber chokes on while `poison` is set and it is broken. */
    'test.choked': { seq: number; poison: boolean };
  }
}

const MAX_ATTEMPTS = 3;
const CONSUMER = 'test.choking';

interface Letter {
  id: string;
  eventId: string;
  consumer: string | null;
  attempts: number;
  lastError: string;
  heldBack: number;
  aggregateId: string;
  payload: { seq: number };
}

/**
 * A subscriber of the NATS transport that keeps failing an event (distributed mode: the stream
 * redelivers it; embedded mode has no subscriber dead letters, the relay's cover it). The poison
 * event is dead-lettered after the set attempts, the consumer's other aggregates go on, and the
 * later events of its aggregate are parked behind it until an admin redrives or discards it.
 */
describe.skipIf(!process.env.NATS_URL)('dead letters of a JetStream subscriber', () => {
  const env: Record<string, string> = {
    ...modeEnv(),
    GUDDU_OUTBOX_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    GUDDU_OUTBOX_RETRY_BASE_MS: '20',
    GUDDU_OUTBOX_RETRY_MAX_MS: '100',
    GUDDU_SECRET_KEY: randomBytes(32).toString('base64'),
  };
  let t: TestApp;
  let a: { orgId: string; owner: Session };
  let b: { orgId: string; owner: Session };
  let broken = true;

  beforeAll(async () => {
    t = await startTestApp(env, { role: 'all' });
    await createEffectsTable(t);
    a = await seedRootOrg(t, 'Ministry A');
    b = await seedRootOrg(t, 'Ministry B');
    const tx = t.app.get(Transactor);
    await t.app.get(EventSubscribers).register('test.choked', CONSUMER, async (e) => {
      if (broken && e.payload.poison) throw new Error('the subscriber chokes on it');
      await sql`INSERT INTO test_effects (consumer, event_id, aggregate, seq, app)
                VALUES (${CONSUMER}, ${e.id}, ${e.aggregateId}, ${e.payload.seq}, 'a')`.execute(tx.current());
    });
  });
  afterAll(async () => {
    await t?.close();
    if (env.NATS_URL && env.GUDDU_NATS_PREFIX) await deleteStreams(env.NATS_URL, env.GUDDU_NATS_PREFIX);
  });

  const emit = (aggregateId: string, seq: number, poison = false) =>
    t.app.get(Transactor).inTenant({ orgId: a.orgId }, () =>
      t.app.get(EventOutbox).emit(systemContext('test', a.orgId), 'test.choked', { seq, poison }, { aggregateType: 'choked', aggregateId }),
    );
  const letters = async (as: Session) => {
    const res = await call(t, { method: 'GET', url: '/api/v1/admin/events', token: as.accessToken });
    expect(res.statusCode).toBe(200);
    return res.json<{ items: Letter[] }>().items;
  };
  const rows = async (eventId: string) =>
    (await sql<{ state: string; attempts: number }>`SELECT state, attempts FROM event_dead_letters WHERE event_id = ${eventId}`.execute(t.runtime.db)).rows;
  const readiness = async () => (await call(t, { method: 'GET', url: '/readyz' })).json<{ checks: Record<string, string> }>().checks.events ?? '';
  const redrive = (id: string, as = a.owner) => call(t, { method: 'POST', url: `/api/v1/admin/events/${id}/redrive`, token: as.accessToken });
  const discard = (id: string, reason: string | undefined, as = a.owner) =>
    call(t, { method: 'DELETE', url: `/api/v1/admin/events/${id}${reason === undefined ? '' : `?reason=${encodeURIComponent(reason)}`}`, token: as.accessToken });

  it('dead-letters the event after the set deliveries, parks the rest of its aggregate, lets the others go, and delivers in order once redriven', async () => {
    broken = true;
    const run = randomUUID().slice(0, 8);
    const poisoned = `poisoned-${run}`;
    const first = await emit(poisoned, 1, true);
    const second = await emit(poisoned, 2);
    await emit(`other-${run}`, 1);

    await waitFor('the dead letter', async () => (await rows(first)).some((r) => r.state === 'dead'), 20_000);
    expect(await rows(first)).toEqual([{ state: 'dead', attempts: MAX_ATTEMPTS }]);
    // The consumer went on: the other aggregate was handled, the poisoned one's next event parked.
    await waitFor('the other aggregate', async () => (await effects(t, CONSUMER, `other-${run}`)).length === 1);
    await waitFor('the next event parked', async () => (await rows(second)).length === 1);
    expect(await rows(second)).toEqual([{ state: 'pending', attempts: 0 }]);
    await new Promise((r) => setTimeout(r, 1_500)); // the redelivery polls every second: it must leave them
    expect(await effects(t, CONSUMER, poisoned)).toEqual([]);
    expect(await readiness()).toMatch(/; dead-lettered 1; parked 1; /);

    const letter = (await letters(a.owner)).find((l) => l.eventId === first);
    expect(letter).toMatchObject({ consumer: CONSUMER, attempts: MAX_ATTEMPTS, heldBack: 1, aggregateId: poisoned, payload: { seq: 1 } });
    expect(letter!.lastError).toMatch(/chokes on it/);
    expect((await letters(b.owner)).map((l) => l.eventId)).not.toContain(first);
    expect((await redrive(letter!.id, b.owner)).statusCode).toBe(404);

    // Redriven while still broken: a fresh set of attempts, then dead again; nothing behind it ran.
    expect((await redrive(letter!.id)).statusCode).toBe(204);
    await waitFor('the dead letter again', async () => (await rows(first)).some((r) => r.state === 'dead' && r.attempts === MAX_ATTEMPTS), 20_000);
    expect(await effects(t, CONSUMER, poisoned)).toEqual([]);

    broken = false;
    expect((await redrive(letter!.id)).statusCode).toBe(204);
    await waitFor('the redriven event and the one parked behind it', async () => (await effects(t, CONSUMER, poisoned)).length === 2, 20_000);
    expect((await effects(t, CONSUMER, poisoned)).map((e) => [e.event_id, e.seq])).toEqual([
      [first, 1],
      [second, 2],
    ]);
    expect(await rows(first)).toEqual([]);
    expect(await rows(second)).toEqual([]);

    // A later event of the aggregate goes straight through again.
    const third = await emit(poisoned, 3);
    await waitFor('the next event', async () => (await effects(t, CONSUMER, poisoned)).length === 3);
    expect((await effects(t, CONSUMER, poisoned)).at(-1)?.event_id).toBe(third);
    expect(await readiness()).toMatch(/; dead-lettered 0; parked 0; /);
    const audit = await sql<{ action: string }>`SELECT action FROM audit_events WHERE org_id = ${a.orgId} AND target_id = ${letter!.id}`.execute(t.runtime.db);
    expect(audit.rows.map((r) => r.action)).toEqual(['event.redriven', 'event.redriven']);
  }, 60_000);

  it('an admin discards a dead letter with a reason: it is never handled, and the events parked behind it go on', async () => {
    broken = true;
    const poisoned = `discarded-${randomUUID().slice(0, 8)}`;
    const first = await emit(poisoned, 1, true);
    const second = await emit(poisoned, 2);
    await waitFor('the dead letter', async () => (await rows(first)).some((r) => r.state === 'dead'), 20_000);
    await waitFor('the next event parked', async () => (await rows(second)).length === 1);
    const letter = (await letters(a.owner)).find((l) => l.eventId === first)!;

    const noReason = await discard(letter.id, undefined);
    expect(noReason.statusCode).toBe(400);
    expect((await discard(letter.id, 'not ours', b.owner)).statusCode).toBe(404);
    expect((await discard(letter.id, 'the post it announced was withdrawn')).statusCode).toBe(204);

    await waitFor('the event behind it', async () => (await effects(t, CONSUMER, poisoned)).length === 1, 10_000);
    expect((await effects(t, CONSUMER, poisoned)).map((e) => e.event_id)).toEqual([second]);
    expect(await rows(first)).toEqual([]);
    const again = await discard(letter.id, 'twice');
    expect(again.statusCode).toBe(404);
    const audit = await sql<{ action: string; after: { reason: string } }>`
      SELECT action, after FROM audit_events WHERE org_id = ${a.orgId} AND target_id = ${letter.id}`.execute(t.runtime.db);
    expect(audit.rows).toEqual([{ action: 'event.discarded', after: { reason: 'the post it announced was withdrawn' } }]);
  }, 60_000);
});
