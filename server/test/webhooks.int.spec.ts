import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookDispatch } from '../src/modules/webhooks/webhook-dispatch.service.js';
import { systemContext } from '../src/platform/context/request-context.js';
import { Transactor } from '../src/platform/database/transactor.js';
import { EventOutbox } from '../src/platform/events/event-outbox.js';
import type { EventEnvelope } from '../src/platform/events/events.types.js';
import { modeEnv, waitFor } from './events-fixtures.js';
import { addUser, call, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';
import { Receiver, verifyStandardWebhook } from './webhooks-fixtures.js';

interface Attempt { number: number; trigger: string; succeeded: boolean; statusCode: number | null; error: string | null; responseBody: string | null; durationMs: number }
interface Delivery { id: string; eventId: string; eventName: string; state: string; attempts: number; attemptLog: Attempt[] }

// One key for both lives of the app in the restart test: the secrets it sealed must still open.
const KEY = randomBytes(32).toString('base64');
const NATS = modeEnv();
const REDIS: Record<string, string> = process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL, GUDDU_REDIS_PREFIX: `wh${randomUUID().slice(0, 8)}` } : {};
const env = () => ({
  ...NATS,
  GUDDU_SECRET_KEY: KEY,
  ...REDIS,
  GUDDU_WEBHOOKS_ALLOW_PRIVATE: 'true',
  GUDDU_WEBHOOKS_RETRY_SCHEDULE: '0.2,0.2,0.2,0.2',
  GUDDU_WEBHOOKS_DISABLE_AFTER_HOURS: '0',
  GUDDU_WEBHOOKS_DISABLE_AFTER_FAILURES: '7',
  GUDDU_WEBHOOKS_TIMEOUT_MS: '2000',
  GUDDU_SHUTDOWN_GRACE_SECONDS: '1',
  GUDDU_JOB_LOCK_MS: '2000',
});

let t: TestApp;
let orgId: string;
let owner: Session;
const receivers: Receiver[] = [];

beforeAll(async () => {
  t = await startTestApp(env(), { role: 'all' });
  ({ orgId, owner } = await seedRootOrg(t));
}, 120_000);
afterAll(async () => {
  await t?.close();
  for (const r of receivers) await r.close();
});

async function receiver(): Promise<Receiver> {
  const r = await new Receiver().start();
  receivers.push(r);
  return r;
}

async function register(url: string, events: string[], as = owner, org?: string) {
  const res = await call(t, { method: 'POST', url: '/api/v1/webhooks', token: as.accessToken, ...(org ? { org } : {}), payload: { url, events, description: 'test' } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ webhook: { id: string }; secret: string }>();
}

/** A real domain event through the outbox and the stream. */
async function emit(name: 'organisations.updated' | 'messages.published', org = orgId, app = t): Promise<string> {
  const ctx = systemContext('test', org);
  return app.app.get(Transactor).inTenant({ orgId: org }, () =>
    name === 'organisations.updated'
      ? app.app.get(EventOutbox).emit(ctx, name, { organisationId: org, changed: ['name'] }, { aggregateType: 'organisation', aggregateId: org })
      : app.app.get(EventOutbox).emit(ctx, name, { messageId: randomUUID(), version: 1, succeeded: 2 }, { aggregateType: 'message', aggregateId: randomUUID() }),
  );
}

async function deliveries(webhookId: string, app = t): Promise<Delivery[]> {
  const res = await call(app, { method: 'GET', url: `/api/v1/webhooks/${webhookId}/deliveries`, token: owner.accessToken });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: Delivery[] }>().items;
}

async function until(webhookId: string, what: string, check: (d: Delivery[]) => boolean, app = t): Promise<Delivery[]> {
  let last: Delivery[] = [];
  await waitFor(what, async () => check((last = await deliveries(webhookId, app))), 45_000);
  return last;
}

describe('registering', () => {
  it('shows the secret at creation and rotation only, sealed at rest', async () => {
    const r = await receiver();
    const created = await register(r.url, ['messages.*']);
    expect(created.secret).toMatch(/^whsec_/);
    const list = await call(t, { method: 'GET', url: '/api/v1/webhooks', token: owner.accessToken });
    const one = await call(t, { method: 'GET', url: `/api/v1/webhooks/${created.webhook.id}`, token: owner.accessToken });
    for (const res of [list, one]) {
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('whsec_');
      expect(res.body).not.toContain(created.secret.slice(6, 20));
    }
    expect(list.json<{ events: string[] }>().events).toContain('publishing.delivery_failed');
    const stored = await sql<{ secret_sealed: string }>`SELECT secret_sealed FROM webhooks WHERE id = ${created.webhook.id}`.execute(t.runtime.db);
    expect(stored.rows[0]!.secret_sealed).not.toContain(created.secret.slice(6));
    const rotated = await call(t, { method: 'POST', url: `/api/v1/webhooks/${created.webhook.id}/rotate-secret`, token: owner.accessToken });
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json<{ secret: string }>().secret).not.toBe(created.secret);
    const audit = await sql<{ action: string }>`SELECT action FROM audit_events WHERE target_id = ${created.webhook.id}`.execute(t.runtime.db);
    expect(audit.rows.map((a) => a.action).sort()).toEqual(['webhooks.created', 'webhooks.secret_rotated']);
  });

  it('refuses unknown events and needs webhooks.manage', async () => {
    const bad = await call(t, { method: 'POST', url: '/api/v1/webhooks', token: owner.accessToken, payload: { url: 'https://hooks.example.org/x', events: ['messages.nope'] } });
    expect(bad.statusCode).toBe(400);
    const { session: editor } = await addUser(t, orgId, 'editor');
    expect((await call(t, { method: 'GET', url: '/api/v1/webhooks', token: editor.accessToken })).statusCode).toBe(403);
  });
});

describe('delivering', () => {
  it('signs each event per Standard Webhooks, sends the envelope, and only the events it asked for', async () => {
    const r = await receiver();
    const { webhook, secret } = await register(r.url, ['organisations.*']);
    const eventId = await emit('organisations.updated');
    await emit('messages.published');
    const [d] = await until(webhook.id, 'delivered', (x) => x[0]?.state === 'succeeded');
    expect(d).toMatchObject({ eventId, eventName: 'organisations.updated', attempts: 1 });
    expect(d!.attemptLog).toEqual([expect.objectContaining({ number: 1, trigger: 'event', succeeded: true, statusCode: 200, responseBody: 'ok' })]);
    expect(r.received).toHaveLength(1);
    const got = r.received[0]!;
    expect(got.headers['webhook-id']).toBe(d!.id);
    expect(verifyStandardWebhook(secret, got.headers, got.body)).toBe(true);
    expect(verifyStandardWebhook(secret, got.headers, got.body.replace('name', 'kind'))).toBe(false);
    expect(JSON.parse(got.body)).toMatchObject({ id: eventId, type: 'organisations.updated', organisationId: orgId, data: { changed: ['name'] } });
  });

  it('retries on the schedule, logging every attempt, until the receiver takes it', async () => {
    const r = await receiver();
    r.answer = (n) => (n <= 2 ? 503 : 200);
    const { webhook, secret } = await register(r.url, ['messages.published']);
    await emit('messages.published');
    const [d] = await until(webhook.id, 'retried to success', (x) => x[0]?.state === 'succeeded');
    expect(d!.attemptLog.map((a) => [a.trigger, a.statusCode])).toEqual([['event', 503], ['retry', 503], ['retry', 200]]);
    expect(d!.attemptLog[0]!.responseBody!.length).toBe(1024);
    expect(new Set(r.received.map((x) => x.headers['webhook-id']))).toEqual(new Set([d!.id]));
    for (const x of r.received) expect(verifyStandardWebhook(secret, x.headers, x.body)).toBe(true);
  });

  it('switches a webhook off after sustained failure, says why, emits webhooks.disabled; an admin redelivers once it is back', async () => {
    const r = await receiver();
    r.answer = () => 500;
    const { webhook } = await register(r.url, ['messages.published']);
    await emit('messages.published');
    await emit('messages.published');
    await until(webhook.id, 'both settled', (x) => x.length === 2 && x.every((d) => d.state === 'failed' || d.state === 'skipped'));
    const view = (await call(t, { method: 'GET', url: `/api/v1/webhooks/${webhook.id}`, token: owner.accessToken })).json<{ enabled: boolean; disabledReason: string; consecutiveFailures: number }>();
    expect(view.enabled).toBe(false);
    expect(view.disabledReason).toMatch(/failed/);
    // An attempt already out when it was switched off still counts.
    expect(view.consecutiveFailures).toBeGreaterThanOrEqual(7);
    const ev = await sql<{ payload: { webhookId: string; auto: boolean } }>`SELECT payload FROM outbox_events WHERE name = 'webhooks.disabled'`.execute(t.runtime.db);
    expect(ev.rows.map((e) => e.payload)).toContainEqual(expect.objectContaining({ webhookId: webhook.id, auto: true }));
    const audited = await sql<{ action: string }>`SELECT action FROM audit_events WHERE target_id = ${webhook.id} AND action = 'webhooks.auto_disabled'`.execute(t.runtime.db);
    expect(audited.rows).toHaveLength(1);
    expect(r.received.length).toBe(view.consecutiveFailures);
    expect((await deliveries(webhook.id)).flatMap((d) => d.attemptLog)).toHaveLength(view.consecutiveFailures);

    const failed = (await deliveries(webhook.id))[0]!;
    const refused = await call(t, { method: 'POST', url: `/api/v1/webhooks/${webhook.id}/deliveries/${failed.id}/redeliver`, token: owner.accessToken });
    expect(refused.statusCode).toBe(409);
    r.answer = () => 204;
    const on = await call(t, { method: 'PATCH', url: `/api/v1/webhooks/${webhook.id}`, token: owner.accessToken, payload: { enabled: true } });
    expect(on.json()).toMatchObject({ enabled: true, disabledReason: null, consecutiveFailures: 0 });
    const again = await call(t, { method: 'POST', url: `/api/v1/webhooks/${webhook.id}/deliveries/${failed.id}/redeliver`, token: owner.accessToken });
    expect(again.statusCode, again.body).toBe(202);
    const done = await until(webhook.id, 'redelivered', (x) => x.find((d) => d.id === failed.id)?.state === 'succeeded');
    const last = done.find((d) => d.id === failed.id)!.attemptLog.at(-1)!;
    expect(last).toMatchObject({ trigger: 'redelivery', succeeded: true, statusCode: 204 });
    expect(r.received.at(-1)!.headers['webhook-id']).toBe(failed.id);
  });

  it('a test ping is signed, logged and answered at once', async () => {
    const r = await receiver();
    r.answer = () => 418;
    const { webhook } = await register(r.url, ['*']);
    const ping = await call(t, { method: 'POST', url: `/api/v1/webhooks/${webhook.id}/ping`, token: owner.accessToken });
    expect(ping.statusCode, ping.body).toBe(200);
    expect(ping.json()).toMatchObject({ succeeded: false, statusCode: 418 });
    expect(JSON.parse(r.received[0]!.body)).toMatchObject({ type: 'webhooks.ping' });
    const [d] = await deliveries(webhook.id);
    expect(d).toMatchObject({ eventName: 'webhooks.ping', state: 'failed', attemptLog: [expect.objectContaining({ trigger: 'ping' })] });
  });
});

describe('tenancy', () => {
  it('another organisation cannot see, change or redeliver a webhook, and row-level security hides every row', async () => {
    const r = await receiver();
    const { webhook } = await register(r.url, ['organisations.*']);
    await emit('organisations.updated');
    const [d] = await until(webhook.id, 'delivered', (x) => x[0]?.state === 'succeeded');
    const other = await seedRootOrg(t, 'Another ministry');
    for (const [method, url] of [['GET', `/api/v1/webhooks/${webhook.id}`], ['PATCH', `/api/v1/webhooks/${webhook.id}`], ['DELETE', `/api/v1/webhooks/${webhook.id}`], ['GET', `/api/v1/webhooks/${webhook.id}/deliveries`], ['POST', `/api/v1/webhooks/${webhook.id}/deliveries/${d!.id}/redeliver`], ['POST', `/api/v1/webhooks/${webhook.id}/ping`]] as const) {
      const res = await call(t, { method, url, token: other.owner.accessToken, ...(method === 'PATCH' ? { payload: { enabled: false } } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    const list = await call(t, { method: 'GET', url: '/api/v1/webhooks', token: other.owner.accessToken });
    expect(list.json<{ items: unknown[] }>().items).toEqual([]);
    const seen = await t.app.get(Transactor).inTenant({ orgId: other.orgId }, async (db) => [
      ...(await db.selectFrom('webhooks').select('id').execute()),
      ...(await db.selectFrom('webhook_deliveries').select('id').execute()),
      ...(await db.selectFrom('webhook_attempts').select('id').execute()),
    ]);
    expect(seen).toEqual([]);
    // The other organisation's events never reach this webhook.
    await emit('organisations.updated', other.orgId);
    await new Promise((res) => setTimeout(res, 1500));
    expect(await deliveries(webhook.id)).toHaveLength(1);
  });
});

describe('restarts', () => {
  it('a call that outlives its lease and the worker that took the attempt over record it once', async () => {
    const r = await receiver();
    r.answer = (n) => (n === 1 ? { status: 200, afterMs: 1_500 } : 200);
    const { webhook } = await register(r.url, ['messages.published']);
    // A pending delivery made by hand, so that only the two calls below work on it (no job, no sweep before the hour).
    const row = await sql<{ id: string }>`INSERT INTO webhook_deliveries (org_id, webhook_id, event_id, event_name, body, next_attempt_at)
      VALUES (${orgId}, ${webhook.id}, ${randomUUID()}, 'messages.published', '{}', now() + interval '1 hour') RETURNING id`.execute(t.runtime.db);
    const deliveryId = row.rows[0]!.id;
    const job = { deliveryId, attempt: 1, trigger: 'event' as const, orgId, correlationId: 'test', idempotencyKey: randomUUID() };
    const dispatch = t.app.get(WebhookDispatch);
    const slow = dispatch.deliverJob(job);
    await waitFor('the first call out', () => Promise.resolve(r.received.length >= 1), 10_000);
    // Its lease runs out while the receiver takes its time, and another worker takes the same attempt.
    await sql`UPDATE webhook_deliveries SET lease_until = now() - interval '1 second' WHERE id = ${deliveryId}`.execute(t.runtime.db);
    await dispatch.deliverJob(job);
    // The late answer is dropped quietly: no second attempt row, no error that would retry the job.
    await expect(slow).resolves.toBeUndefined();
    const [after] = await deliveries(webhook.id);
    expect(after).toMatchObject({ id: deliveryId, state: 'succeeded', attempts: 1 });
    expect(after!.attemptLog).toHaveLength(1);
    expect(r.received).toHaveLength(2);
  }, 60_000);

  it('a worker dying mid-call loses nothing, and a redelivered event adds no second delivery', async () => {
    const r = await receiver();
    r.answer = (n) => (n <= 3 ? 'hang' : 200);
    const { webhook, secret } = await register(r.url, ['messages.published']);
    const events = [await emit('messages.published'), await emit('messages.published'), await emit('messages.published')];
    await waitFor('three calls out', () => Promise.resolve(r.received.length >= 3), 30_000);
    // The process goes away with its calls unanswered (the grace period is shorter than the call timeout).
    await t.close();
    t = await startTestApp(env(), { role: 'all', databaseUrl: t.url });
    const done = await until(webhook.id, 'all delivered after the restart', (x) => x.length === 3 && x.every((d) => d.state === 'succeeded'));
    expect(done.map((d) => d.eventId).sort()).toEqual([...events].sort());
    const ids = done.map((d) => d.id);
    // Every event's call that hung was made again, with the same webhook-id, and answered once.
    expect(r.received.length).toBeGreaterThanOrEqual(6);
    for (const id of ids) expect(r.ofId(id).filter((x) => x.answered === 200)).toHaveLength(1);
    for (const x of r.received) expect(verifyStandardWebhook(secret, x.headers, x.body)).toBe(true);
    // The stream delivering the same event again (a consumer's redelivery) finds its row.
    const row = await sql<EventEnvelope & { org_id: string; aggregate_type: string; aggregate_id: string; occurred_at: Date }>`SELECT id, name, org_id, aggregate_type, aggregate_id, payload, occurred_at FROM outbox_events WHERE id = ${events[0]}`.execute(t.runtime.db);
    const e = row.rows[0]!;
    const envelope = { id: e.id, name: e.name, orgId: e.org_id, aggregateType: e.aggregate_type, aggregateId: e.aggregate_id, correlationId: null, occurredAt: new Date(e.occurred_at).toISOString(), payload: e.payload } as EventEnvelope;
    await t.app.get(Transactor).inTenant({ orgId }, () => t.app.get(WebhookDispatch).fanOut(envelope));
    expect(await deliveries(webhook.id)).toHaveLength(3);
  }, 120_000);
});
