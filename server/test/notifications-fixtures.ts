import { sql } from 'kysely';
import { until } from './jobs-harness.js';
import { call, type Session, type TestApp } from './harness.js';

/** The outbox id of the newest event of `name` about `aggregateId`, once it exists. */
export async function eventOf(t: TestApp, name: string, aggregateId: string): Promise<string> {
  let id: string | undefined;
  await until(
    async () => {
      const { rows } = await sql<{ id: string }>`SELECT id FROM outbox_events WHERE name = ${name} AND aggregate_id = ${aggregateId} ORDER BY position DESC LIMIT 1`.execute(t.runtime.db);
      id = rows[0]?.id;
      return id !== undefined;
    },
    20_000,
    `event ${name} of ${aggregateId}`,
  );
  return id!;
}

/** Waits until `consumer` has handled the event (its dedup row committed with its effects). */
export async function handled(t: TestApp, consumer: string, eventId: string): Promise<void> {
  await until(
    async () => {
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM event_consumptions WHERE consumer = ${consumer} AND event_id = ${eventId}`.execute(t.runtime.db);
      return rows[0]!.n === 1;
    },
    25_000,
    `${consumer} to handle ${eventId}`,
  );
}

export async function recipientsOf(t: TestApp, eventId: string): Promise<string[]> {
  const { rows } = await sql<{ user_id: string }>`SELECT user_id FROM notifications WHERE event_id = ${eventId} ORDER BY user_id`.execute(t.runtime.db);
  return rows.map((r) => r.user_id);
}

export async function deliveriesOf(t: TestApp, eventId: string) {
  const { rows } = await sql<{ id: string; user_id: string; channel: string; state: string; attempts: number; reason: string | null; provider_ref: string | null }>`
    SELECT id, user_id, channel, state, attempts, reason, provider_ref FROM notification_deliveries WHERE event_id = ${eventId} ORDER BY user_id, channel`.execute(t.runtime.db);
  return rows;
}

export async function createAndSubmit(t: TestApp, as: Session, title: string): Promise<{ id: string; contentHash: string }> {
  const created = await call(t, { method: 'POST', url: '/api/v1/messages', token: as.accessToken, payload: { title, content: { bodies: { en: title } } } });
  if (created.statusCode !== 201) throw new Error(`create: ${created.statusCode} ${created.body}`);
  const m = created.json<{ id: string }>();
  const submitted = await call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/submit`, token: as.accessToken, payload: {} });
  if (submitted.statusCode !== 200) throw new Error(`submit: ${submitted.statusCode} ${submitted.body}`);
  return { id: m.id, contentHash: submitted.json<{ contentHash: string }>().contentHash };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
