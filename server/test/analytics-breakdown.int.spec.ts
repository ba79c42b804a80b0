import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsMetricsService } from '../src/modules/analytics/analytics-metrics.service.js';
import { METRICS, type MetricValues } from '../src/modules/analytics/analytics.metrics.js';
import { Transactor } from '../src/platform/database/transactor.js';
import { call, createChildOrg, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';

// The organisation dashboard's breakdowns: per network, per message (titled), and the listening
// comments' sentiment per bucket in a zone, rolled up from a mission into its ministry and
// invisible to another tenant.
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let t: TestApp;
let ministry: { orgId: string; owner: Session };
let other: { orgId: string; owner: Session };
let missionId: string;
let messageId: string;
const xChannel = randomUUID();
const mastodonChannel = randomUUID();
const deliveryX = randomUUID();
const deliveryM = randomUUID();
/** A fixed day a year and a half ahead: no other test writes there. */
const day = Date.UTC(new Date().getUTCFullYear() + 1, 6, 14);

function values(over: Partial<MetricValues>): MetricValues {
  return { ...(Object.fromEntries(METRICS.map((m) => [m, null])) as MetricValues), ...over };
}

beforeAll(async () => {
  t = await startTestApp();
  ministry = await seedRootOrg(t, `Ministry ${randomUUID().slice(0, 6)}`);
  missionId = await createChildOrg(t, ministry.owner, 'High Commission in Dhaka');
  other = await seedRootOrg(t, `Other ministry ${randomUUID().slice(0, 6)}`);
  const created = await call(t, { method: 'POST', url: '/api/v1/messages', token: ministry.owner.accessToken, org: missionId, payload: { title: 'Flood relief helpline', content: { bodies: { en: 'Call 1070 for flood relief' } } } });
  expect(created.statusCode, created.body).toBe(201);
  messageId = created.json<{ id: string }>().id;
  await t.app.get(Transactor).withTenantBypass('test: plan two posts and write comments', async (db) => {
    for (const [deliveryId, channelId, network] of [[deliveryX, xChannel, 'x'], [deliveryM, mastodonChannel, 'mastodon']] as const) {
      await db.insertInto('analytics_snapshot_plan').values({ org_id: missionId, kind: 'post', channel_id: channelId, network, delivery_id: deliveryId, message_id: messageId, campaign_id: null, external_id: deliveryId, published_at: new Date(day), next_at: null, lease_until: null, last_error: null, last_read_at: null, done_at: new Date(day) }).execute();
    }
    const comment = (n: number, at: number, sentiment: 'positive' | 'negative' | 'neutral' | 'unsupported') => ({
      org_id: missionId, channel_id: mastodonChannel, network: 'mastodon', external_id: `c-${n}-${randomUUID()}`, parent_external_id: null, delivery_id: deliveryM, message_id: messageId, kind: 'comment' as const,
      body: `comment ${n}`, author_handle: null, author_cleared_at: null, published_at: new Date(at), lang: 'en', sentiment, sentiment_score: sentiment === 'unsupported' ? null : sentiment === 'positive' ? 0.6 : sentiment === 'negative' ? -0.6 : 0, sentiment_method: 'test',
    });
    // 20:00 UTC on the 14th is 01:30 on the 15th in Kolkata: two Kolkata days, one UTC day.
    await db.insertInto('listening_comments').values([comment(1, day + 2 * HOUR, 'positive'), comment(2, day + 3 * HOUR, 'negative'), comment(3, day + 20 * HOUR, 'negative'), comment(4, day + 21 * HOUR, 'unsupported'), comment(5, day - 2 * HOUR, 'positive')]).execute();
  });
  const snap = (deliveryId: string | null, channelId: string, network: string, at: number, over: Partial<MetricValues>) => ({ orgId: missionId, channelId, deliveryId, network, capturedAt: new Date(at), values: values(over) });
  await t.app.get(AnalyticsMetricsService).ingest([
    snap(deliveryX, xChannel, 'x', day + 1 * HOUR, { impressions: 100, reactions: 3 }),
    snap(deliveryX, xChannel, 'x', day + 5 * HOUR, { impressions: 400, reactions: 7 }),
    // Mastodon exposes no impressions: not available, never 0.
    snap(deliveryM, mastodonChannel, 'mastodon', day + 5 * HOUR, { reactions: 4, shares: 0 }),
    snap(null, mastodonChannel, 'mastodon', day + 6 * HOUR, { followers: 250 }),
  ]);
}, 120_000);
afterAll(async () => t?.close());

interface Breakdown {
  networks: Array<MetricValues & { network: string; posts: number }>;
  messages: Array<MetricValues & { messageId: string; title: string | null; posts: number }>;
  sentiment: { totals: Record<string, number>; series: Array<Record<string, number> & { bucket: string }> };
}

async function read(as: Session, query: Record<string, string>) {
  return call(t, { method: 'GET', url: `/api/v1/analytics/organisation/breakdown?${new URLSearchParams(query).toString()}`, token: as.accessToken });
}

const range = { from: new Date(day).toISOString(), to: new Date(day + DAY).toISOString() };

describe('analytics breakdown', () => {
  it('sums each network by its posts’ latest snapshots; a metric a network lacks stays null', async () => {
    const res = await read(ministry.owner, range);
    expect(res.statusCode, res.body).toBe(200);
    const b = res.json<Breakdown>();
    expect(b.networks.map((n) => [n.network, n.posts, n.impressions, n.reactions, n.shares, n.followers])).toEqual([
      ['mastodon', 1, null, 4, 0, 250],
      ['x', 1, 400, 7, null, null],
    ]);
  });

  it('names the messages, all their deliveries summed, the most seen first', async () => {
    const b = (await read(ministry.owner, range)).json<Breakdown>();
    expect(b.messages).toHaveLength(1);
    expect(b.messages[0]).toMatchObject({ messageId, title: 'Flood relief helpline', posts: 2, impressions: 400, reactions: 11, followers: null });
  });

  it('counts comments per sentiment per bucket in the zone, inside the range only', async () => {
    const utc = (await read(ministry.owner, range)).json<Breakdown>().sentiment;
    expect(utc.totals).toEqual({ positive: 1, negative: 2, neutral: 0, unsupported: 1 });
    expect(utc.series).toEqual([{ bucket: new Date(day).toISOString(), positive: 1, negative: 2, neutral: 0, unsupported: 1 }]);
    const kolkata = (await read(ministry.owner, { ...range, zone: 'Asia/Kolkata' })).json<Breakdown>().sentiment;
    expect(kolkata.series.map((s) => [s.bucket, s.positive, s.negative, s.unsupported])).toEqual([
      [new Date(day - 5.5 * HOUR).toISOString(), 1, 1, 0],
      [new Date(day + 18.5 * HOUR).toISOString(), 0, 1, 1],
    ]);
  });

  it('shows another tenant nothing of it', async () => {
    const b = (await read(other.owner, range)).json<Breakdown>();
    expect(b.networks).toEqual([]);
    expect(b.messages).toEqual([]);
    expect(b.sentiment).toEqual({ totals: { positive: 0, negative: 0, neutral: 0, unsupported: 0 }, series: [] });
  });

  it('refuses a bad zone, an inverted range and an unknown parameter with problem+json', async () => {
    for (const q of [{ ...range, zone: 'Mars/Olympus' }, { from: range.to, to: range.from }, { ...range, compare: 'true' }]) {
      const res = await read(ministry.owner, q);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });
});

describe('Accept: text/csv on the read endpoints', () => {
  it('answers the CSV twin when CSV is preferred, JSON otherwise, and says it varies by Accept', async () => {
    const url = `/api/v1/analytics/organisation?${new URLSearchParams(range).toString()}`;
    const csv = await call(t, { method: 'GET', url, token: ministry.owner.accessToken, headers: { accept: 'text/csv' } });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers.vary).toMatch(/Accept/i);
    expect(csv.body.split('\r\n')[0]).toBe(`scope,period,bucket,posts,${METRICS.join(',')}`);
    expect(csv.body).toContain(`organisation:${ministry.orgId},current,`);
    const json = await call(t, { method: 'GET', url, token: ministry.owner.accessToken, headers: { accept: 'text/csv;q=0.5, application/json' } });
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.json<{ current: { totals: MetricValues } }>().current.totals.impressions).toBe(400);
    const message = await call(t, { method: 'GET', url: `/api/v1/analytics/messages/${messageId}?${new URLSearchParams(range).toString()}`, token: ministry.owner.accessToken, headers: { accept: 'text/csv' } });
    expect(message.body.split('\r\n')[1]).toMatch(new RegExp(`^message:${messageId},current,`));
  });
});
