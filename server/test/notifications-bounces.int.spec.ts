import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './jobs-harness.js';
import { addUser, call, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';
import { startMailbox, type Mailbox } from './smtp-fixture.js';

// Email that comes back: a mail server's 5xx for the recipient while sending, and a provider's
// bounce webhook. Either is recorded as bounced where the organisation's admins see it; a hard
// bounce stops email to the address.
const SECRET = 'bounce-secret-for-the-test-provider';
let t: TestApp;
let box: Mailbox;
let root: { orgId: string; owner: Session; ownerEmail: string };
let gone: { email: string; session: Session };
let flaky: { email: string; session: Session };

beforeAll(async () => {
  box = await startMailbox();
  t = await startTestApp({ GUDDU_SMTP_URL: box.url, GUDDU_PUBLIC_URL: 'https://guddu.example', GUDDU_NOTIFY_BOUNCE_SECRET: SECRET }, { role: 'all' });
  root = await seedRootOrg(t, 'Ministry Bounce');
  gone = await addUser(t, root.orgId, 'editor');
  flaky = await addUser(t, root.orgId, 'editor');
});
afterAll(async () => {
  await t?.close();
  await box?.close();
});

async function emailOf(userId: string, kind: string) {
  const { rows } = await sql<{ state: string; reason: string | null; bounced_at: Date | null }>`
    SELECT state, reason, bounced_at FROM notification_deliveries WHERE user_id = ${userId} AND kind = ${kind} AND channel = 'email' ORDER BY created_at DESC`.execute(t.runtime.db);
  return rows;
}

/** A suspension and its resumption: both reach everyone in the organisation by email. `between` runs before the resumption. */
async function suspendAndResume(reason: string, between: () => Promise<void> = async () => {}): Promise<void> {
  const s = await call(t, { method: 'POST', url: '/api/v1/publishing/suspensions', token: root.owner.accessToken, payload: { reason } });
  expect(s.statusCode, s.body).toBe(201);
  await between();
  const r = await call(t, { method: 'POST', url: `/api/v1/publishing/suspensions/${s.json<{ id: string }>().id}/resume`, token: root.owner.accessToken, payload: { decisions: [] } });
  expect(r.statusCode, r.body).toBe(200);
}

const failures = async () =>
  (await call(t, { method: 'GET', url: '/api/v1/notification-admin/failures', token: root.owner.accessToken })).json<{ items: { userId: string; recipient: string | null; kind: string; channel: string; state: string; reason: string | null; bouncedAt: string | null }[] }>().items;

const bounce = (payload: unknown, authorization: string | null = `Bearer ${SECRET}`) =>
  call(t, { method: 'POST', url: '/api/v1/notifications/bounces', payload: payload as Record<string, unknown>, ...(authorization ? { headers: { authorization } } : {}) });

describe('bounces', () => {
  it('a 5xx for the recipient at send is a permanent failure recorded as bounced; email to the address stops', async () => {
    box.refuse.add(gone.email);
    // The resumption waits for the refusal: sent side by side, both would reach the server and both be refused there.
    await suspendAndResume('Bounce drill', () => until(async () => (await emailOf(gone.session.userId, 'publishing_suspended'))[0]?.state === 'failed', 20_000, 'the refused email to settle'));
    const [refused] = await emailOf(gone.session.userId, 'publishing_suspended');
    expect(refused?.bounced_at).not.toBeNull();
    expect(refused?.reason).toMatch(/550|user unknown/);
    // The resumption came after: planned as skipped (or failed as bouncing if it was planned before), never sent.
    await until(async () => ['skipped', 'failed'].includes((await emailOf(gone.session.userId, 'publishing_resumed'))[0]?.state ?? ''), 20_000, 'the next email to settle');
    expect((await emailOf(gone.session.userId, 'publishing_resumed'))[0]?.reason).toMatch(/bounces/);
    const { rows } = await sql<{ type: string; source: string }>`SELECT type, source FROM notification_email_bounces WHERE address = ${gone.email}`.execute(t.runtime.db);
    expect(rows).toEqual([{ type: 'hard', source: 'smtp' }]);
    // Others got theirs; the admin sees who it did not reach.
    await until(async () => box.to(flaky.email).length === 2, 20_000, 'the others’ emails');
    const seen = (await failures()).filter((f) => f.userId === gone.session.userId && f.bouncedAt);
    expect(seen.map((f) => f.kind)).toContain('publishing_suspended');
    expect(seen[0]?.recipient).toContain(gone.email);
    expect(box.to(gone.email)).toHaveLength(0);
  });

  it('the provider webhook needs its secret and well-formed JSON', async () => {
    expect((await bounce({ address: flaky.email, type: 'soft', reason: 'mailbox full' }, null)).statusCode).toBe(401);
    const wrong = await bounce({ address: flaky.email, type: 'soft', reason: 'mailbox full' }, 'Bearer not-the-secret');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json<{ code: string }>().code).toBe('bounce_secret_invalid');
    const bad = await bounce({ address: 'not an address', type: 'medium', reason: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM notification_email_bounces WHERE address = ${flaky.email}`.execute(t.runtime.db);
    expect(rows[0]?.n).toBe(0);
  });

  it('a soft bounce marks the last email bounced and stops nothing; a hard one stops email to the address; both audited', async () => {
    const soft = await bounce({ address: flaky.email.toUpperCase(), type: 'soft', reason: '452 mailbox full' });
    expect(soft.statusCode, soft.body).toBe(200);
    expect(soft.json<{ organisations: number }>().organisations).toBe(1);
    expect((await failures()).some((f) => f.userId === flaky.session.userId && f.bouncedAt && f.reason?.includes('mailbox full'))).toBe(true);

    await suspendAndResume('Soft bounce drill');
    await until(async () => box.to(flaky.email).length === 4, 20_000, 'email still goes after a soft bounce');

    const hard = await bounce({ address: flaky.email, type: 'hard', reason: '550 5.1.1 no such user' });
    expect(hard.statusCode, hard.body).toBe(200);
    await suspendAndResume('Hard bounce drill');
    await until(async () => (await emailOf(flaky.session.userId, 'publishing_resumed'))[0]?.state === 'skipped', 20_000, 'the next email skipped');
    expect((await emailOf(flaky.session.userId, 'publishing_resumed'))[0]?.reason).toBe('the email address bounces');
    expect(box.to(flaky.email)).toHaveLength(4);
    // A later soft report does not reopen a hard-bouncing address.
    await bounce({ address: flaky.email, type: 'soft', reason: 'temporary' });
    const { rows } = await sql<{ type: string; bounces: number }>`SELECT type, bounces FROM notification_email_bounces WHERE address = ${flaky.email}`.execute(t.runtime.db);
    expect(rows).toEqual([{ type: 'hard', bounces: 3 }]);
    const audited = await sql<{ action: string }>`SELECT action FROM audit_events WHERE org_id = ${root.orgId} AND action = 'notifications.email_bounced'`.execute(t.runtime.db);
    expect(audited.rows).toHaveLength(3);
  });
});
