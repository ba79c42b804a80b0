import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsMetricsService } from '../src/modules/analytics/analytics-metrics.service.js';
import { METRICS, type MetricValues } from '../src/modules/analytics/analytics.metrics.js';
import { Transactor } from '../src/platform/database/transactor.js';
import { call, createChildOrg, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';

// The read API over stored snapshots: scopes (message, channel, organisation subtree, campaign),
// buckets cut in a zone, the previous period, CSV, and row-level security across tenants.
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let t: TestApp;
let ministry: { orgId: string; owner: Session };
let other: { orgId: string; owner: Session };
let missionId: string;
let messageId: string;
const campaignId = randomUUID();
const channelId = randomUUID();
const deliveryA = randomUUID();
const deliveryB = randomUUID();
/** A fixed day a year ahead: the partitions are made on demand, and no other test writes there. */
const day = Date.UTC(new Date().getUTCFullYear() + 1, 2, 10);

function values(over: Partial<MetricValues>): MetricValues {
  return { ...(Object.fromEntries(METRICS.map((m) => [m, null])) as MetricValues), ...over };
}

beforeAll(async () => {
  t = await startTestApp();
  ministry = await seedRootOrg(t, `Ministry ${randomUUID().slice(0, 6)}`);
  missionId = await createChildOrg(t, ministry.owner, 'Embassy in Kathmandu');
  other = await seedRootOrg(t, `Other ministry ${randomUUID().slice(0, 6)}`);
  const created = await call(t, { method: 'POST', url: '/api/v1/messages', token: ministry.owner.accessToken, org: missionId, payload: { title: 'Visa camp', content: { bodies: { en: 'Visa camp on Saturday' } } } });
  expect(created.statusCode, created.body).toBe(201);
  messageId = created.json<{ id: string }>().id;
  await t.app.get(Transactor).withTenantBypass('test: plan two deliveries', async (db) => {
    for (const deliveryId of [deliveryA, deliveryB]) {
      await db.insertInto('analytics_snapshot_plan').values({ org_id: missionId, kind: 'post', channel_id: channelId, network: 'x', delivery_id: deliveryId, message_id: messageId, campaign_id: campaignId, external_id: deliveryId, published_at: new Date(day), next_at: null, lease_until: null, last_error: null, last_read_at: null, done_at: new Date(day) }).execute();
    }
  });
  const snap = (deliveryId: string | null, at: number, over: Partial<MetricValues>) => ({ orgId: missionId, channelId, deliveryId, network: 'x', capturedAt: new Date(at), values: values(over) });
  await t.app.get(AnalyticsMetricsService).ingest([
    // The day before (the previous period of a one-day range).
    snap(deliveryA, day - 12 * HOUR, { reactions: 2, reach: null }),
    // 17:00 UTC is 22:30 in Kolkata on the 10th; 19:00 UTC is 00:30 there on the 11th.
    snap(deliveryA, day + 17 * HOUR, { reactions: 5 }),
    snap(deliveryA, day + 19 * HOUR, { reactions: 9 }),
    snap(deliveryB, day + 19 * HOUR, { reactions: 1, reach: 0 }),
    // The channel's followers: part of the channel and the organisation, not of a message.
    snap(null, day + 18 * HOUR, { followers: 700 }),
  ]);
}, 120_000);
afterAll(async () => t?.close());

interface Series {
  current: { totals: MetricValues; posts: number; series: Array<MetricValues & { bucket: string; posts: number }> };
  previous: { totals: MetricValues } | null;
  change: MetricValues | null;
}

async function read(path: string, as: Session, query: Record<string, string>, org?: string) {
  return call(t, { method: 'GET', url: `/api/v1/analytics/${path}?${new URLSearchParams(query).toString()}`, token: as.accessToken, ...(org ? { org } : {}) });
}

const range = { from: new Date(day).toISOString(), to: new Date(day + DAY).toISOString() };

describe('analytics read API', () => {
  it('sums a message’s deliveries per bucket cut in the zone; not available stays null and 0 stays 0', async () => {
    const res = await read(`messages/${messageId}`, ministry.owner, { ...range, zone: 'Asia/Kolkata' });
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json<Series>().current;
    expect(s.series.map((b) => [b.bucket, b.posts, b.reactions, b.reach, b.impressions])).toEqual([
      [new Date(day - 5.5 * HOUR).toISOString(), 1, 5, null, null],
      [new Date(day + 18.5 * HOUR).toISOString(), 2, 10, 0, null],
    ]);
    expect(s.totals).toMatchObject({ reactions: 10, reach: 0, impressions: null, followers: null });
    expect(s.posts).toBe(2);
    const utc = (await read(`messages/${messageId}`, ministry.owner, { ...range, zone: 'UTC' })).json<Series>().current;
    expect(utc.series.map((b) => b.reactions)).toEqual([10]);
    const hourly = (await read(`campaigns/${campaignId}`, ministry.owner, { ...range, bucket: 'hour' })).json<Series>().current;
    expect(hourly.series.map((b) => b.reactions)).toEqual([5, 10]);
  });

  it('compares with the previous period of the same length', async () => {
    const s = (await read(`messages/${messageId}`, ministry.owner, { ...range, compare: 'true' })).json<Series>();
    expect(s.previous!.totals.reactions).toBe(2);
    expect(s.change!.reactions).toBe(8);
    // Not available in either period: the change is not available either.
    expect(s.change!.impressions).toBeNull();
    expect(s.change!.reach).toBeNull();
  });

  it('rolls a mission up into its ministry; another tenant sees nothing of it', async () => {
    const mine = (await read('organisation', ministry.owner, range)).json<Series>().current;
    expect(mine.totals).toMatchObject({ reactions: 10, followers: 700 });
    const channel = (await read(`channels/${channelId}`, ministry.owner, range, missionId)).json<Series>().current;
    expect(channel.totals).toMatchObject({ reactions: 10, followers: 700 });
    const theirs = (await read('organisation', other.owner, range)).json<Series>().current;
    expect(theirs).toMatchObject({ posts: 0, series: [] });
    expect(theirs.totals.reactions).toBeNull();
    const peek = (await read(`channels/${channelId}`, other.owner, range)).json<Series>().current;
    expect(peek.series).toEqual([]);
    const campaign = (await read(`campaigns/${campaignId}`, other.owner, range)).json<Series>().current;
    expect(campaign.series).toEqual([]);
    expect((await read(`messages/${messageId}`, other.owner, range)).statusCode).toBe(404);
  });

  it('exports CSV with a header, one row per bucket and period, empty cells for not available', async () => {
    const res = await read(`messages/${messageId}/series.csv`, ministry.owner, { ...range, zone: 'Asia/Kolkata', compare: 'true' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="guddu-message-/);
    const lines = res.body.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(`scope,period,bucket,posts,${METRICS.join(',')}`);
    expect(lines[2]).toBe(`message:${messageId},current,${new Date(day + 18.5 * HOUR).toISOString()},2,,0,10,,,,,,,`);
    expect(lines.filter((l) => l.includes(',previous,'))).toHaveLength(1);
  });

  it('refuses a bad zone, an inverted range and too many hourly buckets', async () => {
    expect((await read('organisation', ministry.owner, { ...range, zone: 'Mars/Olympus' })).statusCode).toBe(400);
    expect((await read('organisation', ministry.owner, { from: range.to, to: range.from })).statusCode).toBe(400);
    expect((await read('organisation', ministry.owner, { from: range.from, to: new Date(day + 40 * DAY).toISOString(), bucket: 'hour' })).statusCode).toBe(400);
  });
});
