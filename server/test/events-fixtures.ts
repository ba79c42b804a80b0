import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { sql } from 'kysely';
import { Transactor } from '../src/platform/database/transactor.js';
import { EventOutbox } from '../src/platform/events/event-outbox.js';
import { EventSubscribers } from '../src/platform/events/event-subscribers.js';
import { systemContext } from '../src/platform/context/request-context.js';
import type { TestApp } from './harness.js';

declare module '../src/platform/events/events.types.js' {
  interface GudduEvents {
    /** Test-only: the n-th event of an aggregate. */
    'test.ticked': { seq: number };
  }
}

/**
 * Env for an app whose event transport is NATS when the run has one, in-process otherwise. Each
 * call names its own streams, so test files sharing the machine's NATS do not see each other.
 */
export const modeEnv = (): Record<string, string> =>
  process.env.NATS_URL ? { NATS_URL: process.env.NATS_URL, GUDDU_NATS_PREFIX: natsPrefix() } : {};

export const natsPrefix = () => `t${randomUUID().replace(/-/g, '').slice(0, 12)}`;

/** Removes a test's streams (and their consumers) from a shared NATS. */
export async function deleteStreams(url: string, prefix: string): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    for await (const name of jsm.streams.names()) if (name.startsWith(`${prefix.toUpperCase()}_`)) await jsm.streams.delete(name);
  } finally {
    await nc.close();
  }
}

/**
 * The subscribers' side effect: one row per handler run, in the handler's transaction. No
 * unique key on purpose: a duplicate effect must show up as a second row.
 */
export async function createEffectsTable(t: TestApp): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS test_effects (
    n bigserial PRIMARY KEY, consumer text NOT NULL, event_id uuid NOT NULL,
    aggregate text NOT NULL, seq int NOT NULL, app text NOT NULL)`.execute(t.runtime.db);
  await sql`GRANT SELECT, INSERT ON test_effects TO guddu_app`.execute(t.runtime.db);
  await sql`GRANT USAGE ON SEQUENCE test_effects_n_seq TO guddu_app`.execute(t.runtime.db);
}

/** Subscribes `consumer` to test.ticked in `t`; each run inserts one effect row. */
export async function subscribeCounter(t: TestApp, consumer: string, appName = 'a'): Promise<void> {
  const tx = t.app.get(Transactor);
  await t.app.get(EventSubscribers).register('test.ticked', consumer, async (e) => {
    await sql`INSERT INTO test_effects (consumer, event_id, aggregate, seq, app)
              VALUES (${consumer}, ${e.id}, ${e.aggregateId}, ${e.payload.seq}, ${appName})`.execute(tx.current());
  });
}

export async function newOrg(t: TestApp): Promise<string> {
  return t.app.get(Transactor).withTenantBypass('test: a tenant for events', async (trx) => {
    const { rows } = await sql<{ id: string }>`INSERT INTO organisations (name) VALUES (${`Events ${randomUUID().slice(0, 6)}`}) RETURNING id`.execute(trx);
    return rows[0]!.id;
  });
}

/** Emits one tick per aggregate, in one tenant transaction; returns the event ids. */
export async function emitTicks(t: TestApp, orgId: string, aggregates: string[], seq: number): Promise<string[]> {
  const outbox = t.app.get(EventOutbox);
  const ctx = systemContext('test', orgId);
  return t.app.get(Transactor).inTenant({ orgId }, async () => {
    const ids: string[] = [];
    for (const a of aggregates) ids.push(await outbox.emit(ctx, 'test.ticked', { seq }, { aggregateType: 'tick', aggregateId: a }));
    return ids;
  });
}

/** What `consumer` did, in order; `prefix` keeps to aggregates of one test. */
export async function effects(t: TestApp, consumer: string, prefix = '') {
  const { rows } = await sql<{ event_id: string; aggregate: string; seq: number; app: string }>`
    SELECT event_id, aggregate, seq, app FROM test_effects
    WHERE consumer = ${consumer} AND starts_with(aggregate, ${prefix}) ORDER BY n`.execute(t.runtime.db);
  return rows;
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Per aggregate, the sequence numbers in the order the subscriber applied them. */
export function orderPerAggregate(rows: { aggregate: string; seq: number }[]): Map<string, number[]> {
  const by = new Map<string, number[]>();
  for (const r of rows) by.set(r.aggregate, [...(by.get(r.aggregate) ?? []), r.seq]);
  return by;
}
