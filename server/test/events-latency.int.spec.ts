import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transactor } from '../src/platform/database/transactor.js';
import { EventSubscribers } from '../src/platform/events/event-subscribers.js';
import { createEffectsTable, deleteStreams, effects, emitTicks, modeEnv, newOrg, subscribeCounter, waitFor } from './events-fixtures.js';
import { startTestApp, type TestApp } from './harness.js';

// Decision 0034: how soon a committed event reaches its subscribers. Runs with the in-process
// transport (no NATS_URL) and with the run's NATS (NATS_URL set).
// The idle poll is a minute here, so that only the commit's wake-up can deliver in time; a pool
// of 20 gives the relay three lanes and room for two deliveries at once.
const POLL_MS = 60_000;
const env: Record<string, string> = {
  ...modeEnv(),
  GUDDU_OUTBOX_POLL_MS: String(POLL_MS),
  GUDDU_DB_POOL_SIZE: '20',
  GUDDU_OUTBOX_RELAY_LANES: '3',
  GUDDU_SECRET_KEY: randomBytes(32).toString('base64'),
};
let relay: TestApp;
let orgId: string;
beforeAll(async () => {
  relay = await startTestApp(env, { role: 'all' });
  await createEffectsTable(relay);
  orgId = await newOrg(relay);
});
afterAll(async () => {
  await relay?.close();
  if (env.NATS_URL && env.GUDDU_NATS_PREFIX) await deleteStreams(env.NATS_URL, env.GUDDU_NATS_PREFIX);
});

/** Resolves when `consumer` has applied the event `id`; the time it took, in ms. */
async function timeToEffect(consumer: string, id: string, started: number): Promise<number> {
  await waitFor(`${consumer} to apply ${id}`, async () => (await effects(relay, consumer)).some((e) => e.event_id === id), POLL_MS / 2);
  return performance.now() - started;
}

describe('event latency', () => {
  it('an event committed by another process reaches a subscriber at once, not at the next poll', async () => {
    await subscribeCounter(relay, 'test.wake');
    // An API process: it serves requests and emits events, and runs no relay of its own.
    const api = await startTestApp(env, { role: 'api', databaseUrl: relay.url });
    try {
      // Let the relay's lanes finish their first rounds and go to sleep.
      await new Promise((r) => setTimeout(r, 500));
      const waits: number[] = [];
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        const [id] = await emitTicks(api, orgId, [`wake-${randomUUID().slice(0, 8)}`], i);
        waits.push(await timeToEffect('test.wake', id!, started));
      }
      // Without the NOTIFY wake-up each would wait up to a minute for the poll (a margin for a loaded machine).
      for (const ms of waits) expect(ms).toBeLessThan(POLL_MS / 4);
    } finally {
      await api.close();
    }
  }, 120_000);

  it('an event of another aggregate goes while a round is busy, and an event’s subscribers do not wait for each other', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const blocked = new Promise<void>((r) => (entered = r));
    const run = randomUUID().slice(0, 8);
    const slow = `slow-${run}`;
    const tx = relay.app.get(Transactor);
    // Holds its delivery of the slow aggregate's event until released.
    await relay.app.get(EventSubscribers).register('test.ticked', 'test.lanes-held', async (e) => {
      if (e.aggregateId === slow) {
        entered();
        await released;
      }
      await sql`INSERT INTO test_effects (consumer, event_id, aggregate, seq, app)
                VALUES ('test.lanes-held', ${e.id}, ${e.aggregateId}, ${e.payload.seq}, 'a')`.execute(tx.current());
    });
    await subscribeCounter(relay, 'test.lanes-free');
    try {
      const [slowId] = await emitTicks(relay, orgId, [slow], 1);
      await blocked;
      // The same event, another subscriber: done while the first still holds it.
      await timeToEffect('test.lanes-free', slowId!, performance.now());
      // Another aggregate, committed while that round is busy: delivered without waiting for it.
      const started = performance.now();
      const [fastId] = await emitTicks(relay, orgId, [`fast-${run}`], 1);
      expect(await timeToEffect('test.lanes-free', fastId!, started)).toBeLessThan(POLL_MS / 4);
      // In embedded mode the held subscriber takes it too (with NATS its consumer goes in stream order).
      if (!process.env.NATS_URL) await timeToEffect('test.lanes-held', fastId!, started);
      expect((await effects(relay, 'test.lanes-held', slow)).length).toBe(0);
    } finally {
      release();
    }
    await waitFor('the held event', async () => (await effects(relay, 'test.lanes-held', slow)).length === 1);
  }, 120_000);
});
