import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEffectsTable, effects, emitTicks, newOrg, orderPerAggregate, subscribeCounter, waitFor } from './events-fixtures.js';
import { call, seedRootOrg, startTestApp, type TestApp } from './harness.js';
import { haveNatsServer, OwnNatsServer } from './nats-server.js';

// Fault tests against a NATS server of our own, killed and restarted mid-run. They run in both
// CI modes (the database differs); only a machine without nats-server skips them.
describe.skipIf(!haveNatsServer)('event stream with NATS restarting', () => {
  let nats: OwnNatsServer;
  let t: TestApp;
  let orgId: string;
  beforeAll(async () => {
    nats = await OwnNatsServer.start();
    t = await startTestApp({ NATS_URL: nats.url, GUDDU_DB_POOL_SIZE: '10', GUDDU_SECRET_KEY: randomBytes(32).toString('base64') }, { role: 'all' });
    await createEffectsTable(t);
    orgId = await newOrg(t);
    await subscribeCounter(t, 'test.restart');
  });
  afterAll(async () => {
    await t?.close();
    await nats?.close();
  });

  it('loses nothing and duplicates no effect when NATS is killed and restarted during 1,000 events', async () => {
    const aggregates = Array.from({ length: 10 }, (_, i) => `r-${i}`);
    let killed = false;
    for (let seq = 0; seq < 100; seq++) {
      await emitTicks(t, orgId, aggregates, seq);
      if (seq === 30) {
        // Some events are through, some in flight: cut the broker.
        await waitFor('the first deliveries', async () => (await effects(t, 'test.restart', 'r-')).length > 0);
        await nats.kill();
        killed = true;
      }
      if (seq === 70) {
        const during = (await effects(t, 'test.restart', 'r-')).length;
        expect(during).toBeLessThan(1000);
        await nats.startAgain();
      }
    }
    expect(killed).toBe(true);

    await waitFor('1,000 deliveries after the restart', async () => (await effects(t, 'test.restart', 'r-')).length >= 1000, 90_000);
    // Long enough for a lost ack to come back as a redelivery (ack wait 10 s) and be refused.
    await new Promise((r) => setTimeout(r, 1000));
    const rows = await effects(t, 'test.restart', 'r-');
    expect(rows).toHaveLength(1000);
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(1000);
    for (const seqs of orderPerAggregate(rows).values()) expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => i));
  }, 120_000);

  it('keeps accepting mutations while NATS is down, and delivers their events once it is back', async () => {
    const root = await seedRootOrg(t, 'Ministry while NATS is down');
    await nats.kill();
    try {
      for (let i = 0; i < 5; i++) {
        const res = await call(t, { method: 'POST', url: '/api/v1/organisations', token: root.owner.accessToken, payload: { name: `Mission ${i}`, kind: 'mission' } });
        expect(res.statusCode).toBe(201);
      }
      const ready = await call(t, { method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json<{ checks: Record<string, string> }>().checks.events).toMatch(/backlog [1-9]\d*, .*nats disconnected/);
      const [id] = await emitTicks(t, orgId, ['while-down'], 0);
      await new Promise((r) => setTimeout(r, 300));
      expect((await effects(t, 'test.restart', 'while-down')).map((e) => e.event_id)).toEqual([]);
      await nats.startAgain();
      await waitFor('the event emitted while NATS was down', async () => (await effects(t, 'test.restart', 'while-down')).length === 1, 30_000);
      expect((await effects(t, 'test.restart', 'while-down'))[0]!.event_id).toBe(id);
      await waitFor('an empty outbox', async () => /^backlog 0,/.test((await call(t, { method: 'GET', url: '/readyz' })).json<{ checks: Record<string, string> }>().checks.events ?? ''));
    } finally {
      await nats.startAgain();
    }
  }, 60_000);
});
