import { randomBytes, randomUUID } from 'node:crypto';
import { Worker, type IQueueBackend } from 'bullmq';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationAdminAlerts } from '../src/modules/notifications/notification-admin-alerts.js';
import { jobBackend } from '../src/platform/jobs/job-backend.js';
import { JobQueue, QUEUE_NAME } from '../src/platform/jobs/job-queue.js';
import { until, testPrefix } from './jobs-harness.js';
import { addUser, call, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';
import { startMailbox, type Mailbox } from './smtp-fixture.js';

// What Guddu gave up on reaches the admins who can act on it: a dead-lettered event (by the relay
// or by a subscriber) and a job that exhausted its retries, in the organisation concerned, or
// the first root's owners for a job that belongs to no organisation; by email too.
const prefix = testPrefix();
const redis = process.env.REDIS_URL;
const secretKey = randomBytes(32).toString('base64');
const env = () => ({ GUDDU_SECRET_KEY: secretKey, GUDDU_SMTP_URL: box.url, GUDDU_PUBLIC_URL: 'https://guddu.example', GUDDU_REDIS_PREFIX: prefix, ...(redis ? { REDIS_URL: redis } : {}) });
// No background work in this app: the test takes and fails jobs by hand, and a worker would race it.
// A second app with workers on the same database sends the emails at the end.
let t: TestApp;
let box: Mailbox;
let first: { orgId: string; owner: Session; ownerEmail: string };
let other: { orgId: string; owner: Session; ownerEmail: string };
let editor: { email: string; session: Session };

beforeAll(async () => {
  box = await startMailbox();
  t = await startTestApp(env());
  first = await seedRootOrg(t, 'Ministry First');
  other = await seedRootOrg(t, 'Ministry Other');
  editor = await addUser(t, other.orgId, 'editor');
});
afterAll(async () => {
  await t?.close();
  await box?.close();
});

async function notificationsOf(s: Session, kind: string) {
  const res = await call(t, { method: 'GET', url: '/api/v1/notifications?limit=100', token: s.accessToken });
  return res.json<{ items: { kind: string; params: Record<string, string | number>; subject: { id: string } }[] }>().items.filter((n) => n.kind === kind);
}

/** What a JetStream subscriber writes when it gives an event up (distributed mode), here written as it would. */
async function subscriberDeadLetter(orgId: string, error: string): Promise<string> {
  const eventId = randomUUID();
  const envelope = { id: eventId, name: 'messages.published', orgId, correlationId: `corr-${eventId}` };
  const { rows } = await sql<{ id: string }>`
    INSERT INTO event_dead_letters (consumer, event_id, org_id, name, aggregate_type, aggregate_id, envelope, state, attempts, last_error, dead_lettered_at)
    VALUES ('webhooks.fan-out', ${eventId}, ${orgId}, 'messages.published', 'message', ${randomUUID()}, ${JSON.stringify(envelope)}::jsonb, 'dead', 5, ${error}, now())
    RETURNING id`.execute(t.runtime.db);
  return rows[0]!.id;
}

/** What the relay leaves when the transport refused an event every time: unpublished, dead-lettered. */
async function relayDeadLetter(orgId: string, error: string, stampedSecondsAgo = 0): Promise<string> {
  const id = randomUUID();
  await sql`
    INSERT INTO outbox_events (id, name, org_id, aggregate_type, aggregate_id, payload, attempts, last_error, dead_lettered_at)
    VALUES (${id}, 'messages.retracted', ${orgId}, 'message', ${randomUUID()}, '{}'::jsonb, 8, ${error}, now() - make_interval(secs => ${stampedSecondsAgo}))`.execute(t.runtime.db);
  return id;
}

/** A job failed for good, taken and failed by hand (as the jobs admin test does). */
async function failedJob(orgId: string | null, reason: string): Promise<string> {
  // Taken by hand, so it must be first in line: this runs before anything else is queued.
  const key = `alert-${randomUUID()}`;
  const id = await t.app.get(JobQueue).enqueue('scheduler.fire', { entryId: randomUUID(), version: 1, orgId, correlationId: key, idempotencyKey: key });
  const backend = jobBackend({ redisUrl: t.runtime.config.redisUrl, redisPrefix: prefix, databaseUrl: t.runtime.databaseUrl, poolSize: 1 });
  const manual = new Worker<unknown, unknown, string, IQueueBackend>(QUEUE_NAME, null, { connection: backend.connection, ...(backend.prefix ? { prefix: backend.prefix } : {}) }, backend.factory);
  try {
    const token = randomUUID();
    const taken = await manual.getNextJob(token);
    expect(taken?.id).toBe(id);
    taken.opts.attempts = 1; // no retry left: moveToFailed puts it in the failed set, not back in line
    await taken.moveToFailed(new Error(reason), token, false);
  } finally {
    await manual.close();
  }
  return id;
}

describe('admins hear of what Guddu gave up on', () => {
  it('a job that exhausted its retries reaches its organisation’s admins; one of no organisation, the first root’s owners', async () => {
    const mine = await failedJob(other.orgId, 'the channel refused the post');
    const system = await failedJob(null, 'the rollup could not read the metrics');
    const alerts = t.app.get(NotificationAdminAlerts);
    const failed = await t.app.get(JobQueue).raw().getJobs(['failed'], 0, 100, false);
    const marks = (await sql`SELECT source, seen_until FROM notification_alert_marks`.execute(t.runtime.db)).rows;
    // On failure, say what the job store and the marks held.
    expect((await alerts.scan()).jobs, JSON.stringify({ failed: failed.map((j) => [j.id, j.finishedOn]), marks })).toBe(2);
    expect((await alerts.scan()).jobs).toBe(0);

    const toOther = await notificationsOf(other.owner, 'job_failed');
    expect(toOther.map((n) => n.subject.id)).toEqual([mine]);
    expect(toOther[0]?.params).toMatchObject({ job: 'scheduler.fire', attempts: 1, reason: 'the channel refused the post' });
    const toFirst = await notificationsOf(first.owner, 'job_failed');
    expect(toFirst.map((n) => n.subject.id)).toEqual([system]);
    expect(await notificationsOf(editor.session, 'job_failed')).toHaveLength(0);
  });

  it('a subscriber’s and the relay’s dead letters reach those who manage jobs in that organisation only, once', async () => {
    const sub = await subscriberDeadLetter(other.orgId, 'webhook fan-out: connection reset');
    const relay = await relayDeadLetter(other.orgId, 'stream refused: maximum payload exceeded');
    const alerts = t.app.get(NotificationAdminAlerts);
    const firstScan = await alerts.scan();
    expect(firstScan.deadLetters).toBe(2);
    expect((await alerts.scan()).deadLetters).toBe(0);

    const told = await notificationsOf(other.owner, 'event_dead_lettered');
    expect(told.map((n) => n.subject.id).sort()).toEqual([sub, relay].sort());
    expect(told.find((n) => n.subject.id === sub)?.params).toMatchObject({ event: 'messages.published', consumer: 'webhooks.fan-out', reason: 'webhook fan-out: connection reset' });
    expect(told.find((n) => n.subject.id === relay)?.params).toMatchObject({ event: 'messages.retracted', consumer: 'the event relay' });
    // Not an editor there (no jobs.manage), not another organisation's admins.
    expect(await notificationsOf(editor.session, 'event_dead_lettered')).toHaveLength(0);
    expect(await notificationsOf(first.owner, 'event_dead_lettered')).toHaveLength(0);
  });

  it('a dead letter committed after a later-stamped one was seen is still told (a relay round stamps at its start)', async () => {
    const alerts = t.app.get(NotificationAdminAlerts);
    await alerts.scan();
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // after the app's own start, which the marks begin at
    const seen = await relayDeadLetter(other.orgId, 'seen first');
    expect((await alerts.scan()).deadLetters).toBe(1);
    // A long relay round stamped this two seconds ago and commits only now.
    const late = await relayDeadLetter(other.orgId, 'committed late', 2);
    expect((await alerts.scan()).deadLetters).toBe(1);
    expect((await alerts.scan()).deadLetters).toBe(0);
    const told = (await notificationsOf(other.owner, 'event_dead_lettered')).map((n) => n.subject.id);
    expect(told).toEqual(expect.arrayContaining([seen, late]));
  });

  it('the alerts go out by email once workers run, to the admins concerned only', { timeout: 90_000 }, async () => {
    const workers = await startTestApp(env(), { role: 'all', databaseUrl: t.url });
    try {
      await until(async () => box.to(other.ownerEmail).filter((m) => m.subject === 'An event was set aside').length === 4 && box.to(first.ownerEmail).some((m) => m.subject === 'A background job failed'), 60_000, 'the alert emails');
      expect(box.to(other.ownerEmail).filter((m) => m.subject === 'A background job failed')).toHaveLength(1);
      expect(box.to(first.ownerEmail).filter((m) => m.subject === 'An event was set aside')).toHaveLength(0);
      expect(box.to(editor.email)).toHaveLength(0);
    } finally {
      await workers.close();
    }
  });

  it('an admin may make these mandatory by email for the organisation, and the person cannot switch it off', async () => {
    const put = await call(t, { method: 'PUT', url: '/api/v1/notification-admin/mandates/job_failed/email', token: other.owner.accessToken });
    expect(put.statusCode, put.body).toBe(204);
    const prefs = await call(t, { method: 'GET', url: '/api/v1/notifications/preferences', token: other.owner.accessToken });
    const kind = prefs.json<{ kinds: { kind: string; email: { enabled: boolean; mandatory: boolean } }[] }>().kinds.find((k) => k.kind === 'job_failed');
    expect(kind?.email).toEqual({ enabled: true, mandatory: true });
  });
});
