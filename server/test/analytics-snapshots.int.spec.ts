import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsSnapshots } from '../src/modules/analytics/analytics-snapshots.service.js';
import { Transactor } from '../src/platform/database/transactor.js';
import { channelsEnv, connectSandboxChannel, sandboxOf, type ChannelView } from './channels-fixtures.js';
import { addUser, call, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';
import { until } from './jobs-harness.js';

// Snapshots end to end under the simulators' clock: a real published delivery joins the
// schedule through its event, the sweep reads the sandbox network through publishing's rate
// limiter and stores through the COPY ingest, and the live feed carries the news.
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let t: TestApp;
let orgId: string;
let owner: Session;
let editor: Session;
let approver: Session;
let analyst: Session;
let mastodon: ChannelView;
let snapshots: AnalyticsSnapshots;

beforeAll(async () => {
  t = await startTestApp({ ...channelsEnv(), GUDDU_DB_POOL_SIZE: '10' }, { role: 'all' });
  ({ orgId, owner } = await seedRootOrg(t));
  editor = (await addUser(t, orgId, 'editor')).session;
  approver = (await addUser(t, orgId, 'approver')).session;
  analyst = (await addUser(t, orgId, 'analyst')).session;
  mastodon = await connectSandboxChannel(t, owner, 'mastodon');
  snapshots = t.app.get(AnalyticsSnapshots);
}, 120_000);
afterAll(async () => t?.close());

const clock = () => sandboxOf(t).harness.clock;

async function published(text: string): Promise<{ messageId: string; deliveryId: string; publishedAt: Date }> {
  const created = await call(t, { method: 'POST', url: '/api/v1/messages', token: editor.accessToken, payload: { title: text.slice(0, 40), content: { bodies: { en: text }, targets: [mastodon.id] } } });
  expect(created.statusCode, created.body).toBe(201);
  const m = created.json<{ id: string; revision: number; contentHash: string }>();
  const timed = await call(t, { method: 'PUT', url: `/api/v1/messages/${m.id}/schedule`, token: editor.accessToken, payload: { at: new Date(Date.now() + 2_500).toISOString(), zone: 'Asia/Kolkata' }, headers: { 'if-match': `"${m.revision}"` } });
  expect(timed.statusCode, timed.body).toBe(200);
  expect((await call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/submit`, token: editor.accessToken, payload: {} })).statusCode).toBe(200);
  const approved = await call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/approvals`, token: approver.accessToken, payload: { decision: 'approved', contentHash: m.contentHash } });
  expect(approved.statusCode, approved.body).toBe(200);
  let deliveryId = '';
  await until(async () => {
    const plan = await planFor(m.id);
    deliveryId = plan?.delivery_id ?? '';
    return deliveryId !== '';
  }, 30_000, 'the delivery joins the snapshot schedule', 200);
  const plan = await snapshots.planOf(deliveryId);
  return { messageId: m.id, deliveryId, publishedAt: plan!.published_at! };
}

async function planFor(messageId: string) {
  return t.app.get(Transactor).withTenantBypass('test', async (db) => db.selectFrom('analytics_snapshot_plan').selectAll().where('message_id', '=', messageId).executeTakeFirst());
}

async function points(deliveryId: string) {
  return t.app.get(Transactor).withTenantBypass('test', async (db) =>
    db.selectFrom('analytics_metric_points').select(['captured_at', 'impressions', 'reactions', 'comments', 'shares', 'followers']).where('delivery_id', '=', deliveryId).orderBy('captured_at').execute(),
  );
}

describe('analytics snapshots', () => {
  it('reads a published post at +1 h, +24 h, then once for a backlog; not exposed stays null; the live feed says so', async () => {
    clock().freeze();
    const { deliveryId, publishedAt } = await published(`Snapshot walk ${Date.now()}`);
    const plan = await snapshots.planOf(deliveryId);
    expect(plan!.next_at!.getTime()).toBe(publishedAt.getTime() + HOUR);
    const before = (await call(t, { method: 'GET', url: '/api/v1/realtime/events', token: analyst.accessToken })).json<{ position: number }>().position;

    // Not due yet: nothing of the post is read (the channel's followers are: due since connect).
    await snapshots.sweep(new Date(publishedAt.getTime() + 30 * MINUTE));
    expect(await points(deliveryId)).toEqual([]);

    clock().set(publishedAt.getTime() + HOUR + MINUTE);
    await snapshots.sweep(new Date(publishedAt.getTime() + HOUR + MINUTE));
    clock().set(publishedAt.getTime() + DAY + MINUTE);
    await snapshots.sweep(new Date(publishedAt.getTime() + DAY + MINUTE));
    const two = await points(deliveryId);
    expect(two).toHaveLength(2);
    // Mastodon exposes no impressions: not available, never 0.
    expect(two.map((p) => p.impressions)).toEqual([null, null]);
    expect(Number(two[1]!.reactions)).toBeGreaterThan(Number(two[0]!.reactions));
    expect(two.every((p) => p.followers === null)).toBe(true);
    expect((await snapshots.planOf(deliveryId))!.next_at!.getTime()).toBe(publishedAt.getTime() + 7 * DAY);

    // Down for a fortnight: one read, and the schedule moves on to day 30.
    clock().set(publishedAt.getTime() + 15 * DAY);
    await snapshots.sweep(new Date(publishedAt.getTime() + 15 * DAY));
    expect(await points(deliveryId)).toHaveLength(3);
    const after = await snapshots.planOf(deliveryId);
    expect(after!.next_at!.getTime()).toBe(publishedAt.getTime() + 30 * DAY);
    expect(after!.step).toBe(3);

    // The channel's followers were read too, on their own daily row.
    const account = await t.app.get(Transactor).withTenantBypass('test', async (db) => db.selectFrom('analytics_metric_points').select(['followers', 'reactions']).where('channel_id', '=', mastodon.id).where('delivery_id', 'is', null).execute());
    expect(account.length).toBeGreaterThan(0);
    expect(account.every((a) => Number(a.followers) > 0 && a.reactions === null)).toBe(true);

    await until(async () => {
      const page = (await call(t, { method: 'GET', url: `/api/v1/realtime/events?after=${before}`, token: analyst.accessToken })).json<{ events: Array<{ name: string; payload: { deliveryIds: string[] } }> }>();
      return page.events.some((e) => e.name === 'analytics.snapshots_recorded' && e.payload.deliveryIds.includes(deliveryId));
    }, 20_000, 'analytics.snapshots_recorded in the live feed', 200);
    clock().resume();
  }, 90_000);

  it('backs off on a 429 until the reset, and the limiter keeps every read of that account waiting', async () => {
    clock().freeze();
    const { deliveryId, publishedAt } = await published(`Rate limited ${Date.now()}`);
    const sims = sandboxOf(t);
    await fetch(`${sims.urls.mastodon}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: 'GET', path: '^/api/v1/statuses/', times: 1, action: { kind: 'status', status: 429, headers: { 'retry-after': '600' } } }) });
    clock().set(publishedAt.getTime() + HOUR + MINUTE);
    const asked = Date.now();
    await snapshots.sweep(new Date(publishedAt.getTime() + HOUR + MINUTE));
    const plan = await snapshots.planOf(deliveryId);
    expect(plan!.step).toBe(0);
    expect(plan!.failures).toBe(0);
    expect(plan!.next_at!.getTime()).toBeGreaterThanOrEqual(asked + 590_000);
    expect(await points(deliveryId)).toEqual([]);

    // Due again (the test's clock jumps past the reset the schedule holds), but the limiter
    // remembers the account is blocked: no call reaches the network.
    const calls = () => sims.harness.log.query({ network: 'mastodon', path: '^/api/v1/statuses/' }).length;
    const n = calls();
    await snapshots.sweep(new Date(plan!.next_at!.getTime() + MINUTE));
    expect(calls()).toBe(n);
    const again = await snapshots.planOf(deliveryId);
    expect(again!.step).toBe(0);
    expect(again!.last_error).toMatch(/rate limit/i);
    clock().resume();
  }, 90_000);

  it('a repeated delivery event plans the post once', async () => {
    const rows = await t.app.get(Transactor).withTenantBypass('test', async (db) =>
      sql<{ n: number }>`SELECT count(*)::int AS n FROM analytics_snapshot_plan WHERE kind = 'post' GROUP BY delivery_id HAVING count(*) > 1`.execute(db),
    );
    expect(rows.rows).toEqual([]);
  });
});
