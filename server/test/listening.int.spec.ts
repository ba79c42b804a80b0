import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ListeningIngest } from '../src/modules/analytics/listening-ingest.service.js';
import type { AlertList, CommentList } from '../src/modules/analytics/listening.dto.js';
import { ListeningRepository, type NewComment } from '../src/modules/analytics/listening.repository.js';
import { SpikesService } from '../src/modules/analytics/spikes.service.js';
import type { GudduJobs } from '../src/platform/jobs/jobs.types.js';
import { Transactor } from '../src/platform/database/transactor.js';
import { channelsEnv, connectSandboxChannel, sandboxOf, type ChannelView } from './channels-fixtures.js';
import { addUser, call, createChildOrg, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';
import { until } from './jobs-harness.js';

// Listening end to end: a message really published to the sandbox Mastodon and Bluesky,
// audience comments seeded in the simulators, read by the scheduled poll and by direct polls,
// stored once (across re-reads and a second process on the same database), scored per language,
// searched through the API under row-level security; handles cleared by retention; spikes on
// generated series raised once, evented, with the suspend action.
const SECRET = randomBytes(32).toString('base64');
const env = { ...channelsEnv(), GUDDU_SECRET_KEY: SECRET, GUDDU_SCHEDULER_SWEEP_SECONDS: '1', GUDDU_LISTENING_POLL_SECONDS: '10' };
let t: TestApp;
let orgId: string;
let owner: Session;
let other: { orgId: string; owner: Session };
let mastodon: ChannelView;
let bluesky: ChannelView;
let messageId: string;
let posts: Array<{ deliveryId: string; network: 'mastodon' | 'bluesky'; externalId: string; channelId: string }>;

const COMMENTS = [
  { text: 'यह फैसला बिल्कुल गलत है, कोई जवाब नहीं मिला', author: 'ravi' },
  { text: 'Very helpful notice, thank you for the quick update', author: 'meera' },
  { text: 'இது மிகவும் நல்ல அறிவிப்பு', author: 'kavin' },
  { text: 'bahut bura intezaam hai, koi madad nahi mili', author: 'arjun' },
];

beforeAll(async () => {
  t = await startTestApp(env, { role: 'all' });
  ({ orgId, owner } = await seedRootOrg(t));
  other = await seedRootOrg(t, `Other ministry ${randomUUID().slice(0, 6)}`);
  const approver = (await addUser(t, orgId, 'approver')).session;
  mastodon = await connectSandboxChannel(t, owner, 'mastodon');
  bluesky = await connectSandboxChannel(t, owner, 'bluesky');
  const created = await call(t, { method: 'POST', url: '/api/v1/messages', token: owner.accessToken, payload: { title: 'Flood relief camps', content: { bodies: { en: `Flood relief camps are open ${Date.now()}` }, targets: [mastodon.id, bluesky.id] } } });
  expect(created.statusCode, created.body).toBe(201);
  const m = created.json<{ id: string; revision: number; contentHash: string }>();
  messageId = m.id;
  const timed = await call(t, { method: 'PUT', url: `/api/v1/messages/${m.id}/schedule`, token: owner.accessToken, payload: { at: new Date(Date.now() + 2_500).toISOString(), zone: 'Asia/Kolkata' }, headers: { 'if-match': `"${m.revision}"` } });
  expect(timed.statusCode, timed.body).toBe(200);
  expect((await call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/submit`, token: owner.accessToken, payload: {} })).statusCode).toBe(200);
  const approved = await call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/approvals`, token: approver.accessToken, payload: { decision: 'approved', contentHash: m.contentHash } });
  expect(approved.json<{ status: string }>().status, approved.body).toBe('scheduled');
  await until(async () => {
    const res = await call(t, { method: 'GET', url: `/api/v1/messages/${m.id}/deliveries`, token: owner.accessToken });
    const items = res.json<{ items: Array<{ id: string; state: string; network: 'mastodon' | 'bluesky'; externalId: string | null; channelId: string }> }>().items;
    posts = items.filter((d) => d.state === 'succeeded').map((d) => ({ deliveryId: d.id, network: d.network, externalId: d.externalId!, channelId: d.channelId }));
    return posts.length === 2;
  }, 40_000, 'both deliveries published', 250);
  for (const p of posts) await seed(p.network, p.externalId, COMMENTS);
}, 180_000);
afterAll(async () => t?.close());

async function seed(network: 'mastodon' | 'bluesky', postId: string, comments: Array<{ text: string; author: string }>): Promise<void> {
  const res = await fetch(`${sandboxOf(t).urls[network]}/__sim/engagement`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ postId, comments }) });
  expect(res.status, await res.text()).toBe(200);
}

async function comments(query = '', as = owner): Promise<z.infer<typeof CommentList>> {
  const res = await call(t, { method: 'GET', url: `/api/v1/listening/comments?limit=200${query}`, token: as.accessToken });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const pollJob = (p: (typeof posts)[number]): GudduJobs['listening.poll'] => ({
  scope: `delivery:${p.deliveryId}`,
  channelId: p.channelId,
  network: p.network,
  postId: p.externalId,
  publishedAt: new Date().toISOString(),
  deliveryId: p.deliveryId,
  messageId,
  orgId,
  correlationId: randomUUID(),
  idempotencyKey: randomUUID(),
});

const bypass = <T,>(app: TestApp, fn: () => Promise<T>) => app.app.get(Transactor).withTenantBypass('test: listening', fn);
const countStored = (app: TestApp) =>
  bypass(app, async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM listening_comments WHERE message_id = ${messageId}`.execute(app.app.get(Transactor).current())).rows[0]!.n);

describe('listening ingest', () => {
  it('reads the comments of published posts on its own schedule (sweep → poll jobs) and stores them once', async () => {
    // The sweep is keyed by the minute: the first one after the posts went out may be up to a minute away.
    await until(async () => (await comments(`&messageId=${messageId}`)).items.length >= 8, 150_000, 'the scheduled polls stored both posts\' comments', 500);
    const got = await comments(`&messageId=${messageId}`);
    const seeded = got.items.filter((c) => COMMENTS.some((s) => s.text === c.body));
    expect(seeded).toHaveLength(8);
    expect(new Set(got.items.map((c) => `${c.network}:${c.externalId}`)).size).toBe(got.items.length);
  }, 180_000);

  it('scores per language: Hindi and Hinglish by our lexicon, English by VADER, Tamil unsupported with no score', async () => {
    const got = (await comments(`&messageId=${messageId}&network=mastodon`)).items;
    const by = (text: string) => got.find((c) => c.body === text)!;
    expect(by(COMMENTS[0]!.text)).toMatchObject({ lang: 'hi', sentiment: 'negative', kind: 'comment', deliveryId: posts.find((p) => p.network === 'mastodon')!.deliveryId });
    expect(by(COMMENTS[0]!.text).sentimentMethod).toContain('guddu-rules');
    expect(by(COMMENTS[1]!.text)).toMatchObject({ lang: 'en', sentiment: 'positive' });
    expect(by(COMMENTS[1]!.text).sentimentScore).toBeGreaterThan(0);
    expect(by(COMMENTS[2]!.text)).toMatchObject({ lang: 'ta', sentiment: 'unsupported', sentimentScore: null });
    expect(by(COMMENTS[3]!.text)).toMatchObject({ lang: 'hi-Latn', sentiment: 'negative' });
    expect(by(COMMENTS[0]!.text).authorHandle).toContain('ravi');
  });

  it('stores nothing twice: not on a re-read from a lost cursor, not from a second process after a restart', async () => {
    const before = await countStored(t);
    const ingest = t.app.get(ListeningIngest);
    for (const p of posts) {
      const r = await ingest.poll(pollJob(p));
      expect(r.outcome, JSON.stringify(r)).toBe('read');
    }
    expect(await countStored(t)).toBe(before);
    // A second process on the same database (a restart, or another worker) whose cursors were lost.
    const t2 = await startTestApp(env, { databaseUrl: t.url });
    try {
      await bypass(t2, () => sql`UPDATE listening_cursors SET cursor = NULL WHERE scope LIKE 'delivery:%'`.execute(t2.app.get(Transactor).current()));
      for (const p of posts) {
        const r = await t2.app.get(ListeningIngest).poll(pollJob(p));
        expect(r).toMatchObject({ outcome: 'read', stored: 0 });
        expect(r.fetched).toBeGreaterThanOrEqual(4);
      }
      expect(await countStored(t2)).toBe(before);
      // Something new is still taken, once.
      await seed('bluesky', posts.find((p) => p.network === 'bluesky')!.externalId, [{ text: 'One more question about the camps', author: 'late' }]);
      const bsky = posts.find((p) => p.network === 'bluesky')!;
      expect((await t2.app.get(ListeningIngest).poll(pollJob(bsky))).stored).toBe(1);
      expect((await ingest.poll(pollJob(bsky))).stored).toBe(0);
    } finally {
      await t2.close();
    }
    expect(await countStored(t)).toBe(before + 1);
  }, 120_000);

  it('links mentions to the message they answer and keeps one row per network comment', async () => {
    const ingest = t.app.get(ListeningIngest);
    const mentionJob = (p: (typeof posts)[number]): GudduJobs['listening.poll'] => ({ ...pollJob(p), scope: `mentions:${p.channelId}`, postId: null, publishedAt: null, deliveryId: null, messageId: null });
    const before = await countStored(t);
    for (const p of posts.filter((x) => x.network === 'mastodon')) {
      const r = await ingest.poll(mentionJob(p));
      expect(r.outcome === 'read' || r.outcome === 'skipped').toBe(true);
    }
    // Mastodon's mention notifications are the same statuses as the replies: nothing new.
    expect(await countStored(t)).toBe(before);

    // A reply the mention read finds first: stored once, linked to the message, its text without
    // the leading @mention; the post's own read then makes it a comment and adds nothing.
    const masto = posts.find((p) => p.network === 'mastodon')!;
    const text = 'Which office issues the relief passes';
    await seed('mastodon', masto.externalId, [{ text, author: 'late' }]);
    expect((await ingest.poll(mentionJob(masto))).stored).toBe(1);
    const byMention = (await comments(`&messageId=${messageId}&network=mastodon`)).items.find((c) => c.body === text);
    expect(byMention).toMatchObject({ kind: 'mention', deliveryId: masto.deliveryId });
    expect((await ingest.poll(pollJob(masto))).stored).toBe(0);
    const afterComment = (await comments(`&messageId=${messageId}&network=mastodon`)).items.filter((c) => c.body === text);
    expect(afterComment).toHaveLength(1);
    expect(afterComment[0]).toMatchObject({ id: byMention!.id, kind: 'comment' });
    expect(await countStored(t)).toBe(before + 1);
  });

  it('searches by words, by fragment, and filters by sentiment, network and language; per message too', async () => {
    expect((await comments('&q=फैसला')).items.map((c) => c.body)).toEqual([COMMENTS[0]!.text, COMMENTS[0]!.text]);
    expect((await comments('&q=elpfu')).items.every((c) => c.body.includes('helpful'))).toBe(true);
    expect((await comments('&q=elpfu')).items).toHaveLength(2);
    const negative = await comments('&sentiment=negative&network=bluesky');
    expect(negative.items.map((c) => c.body).sort()).toEqual([COMMENTS[0]!.text, COMMENTS[3]!.text].sort());
    expect((await comments('&lang=ta')).items).toHaveLength(2);
    const perMessage = await call(t, { method: 'GET', url: `/api/v1/listening/messages/${messageId}/comments?limit=3`, token: owner.accessToken });
    const page1 = perMessage.json<z.infer<typeof CommentList>>();
    expect(page1.items).toHaveLength(3);
    expect(page1.counts.negative).toBeGreaterThanOrEqual(4);
    const page2 = (await call(t, { method: 'GET', url: `/api/v1/listening/messages/${messageId}/comments?limit=3&cursor=${page1.nextCursor}`, token: owner.accessToken })).json<z.infer<typeof CommentList>>();
    expect(page2.items.map((c) => c.id)).not.toContain(page1.items[0]!.id);
  });

  it('shows nothing to another organisation (row-level security)', async () => {
    expect((await comments('', other.owner)).items).toEqual([]);
    const res = await call(t, { method: 'GET', url: `/api/v1/listening/messages/${messageId}/comments`, token: other.owner.accessToken });
    expect(res.json<z.infer<typeof CommentList>>().items).toEqual([]);
  });

  it('clears authors\' handles after the retention, and only then', async () => {
    const ingest = t.app.get(ListeningIngest);
    expect(await ingest.clearExpiredHandles(new Date())).toBe(0);
    expect((await comments()).items.every((c) => c.authorHandle !== null)).toBe(true);
    const cleared = await ingest.clearExpiredHandles(new Date(Date.now() + 31 * 86_400_000));
    expect(cleared).toBeGreaterThanOrEqual(10);
    const after = (await comments()).items;
    expect(after.every((c) => c.authorHandle === null)).toBe(true);
    expect(after.find((c) => c.body === COMMENTS[0]!.text)).toMatchObject({ sentiment: 'negative' });
  });
});

describe('spike alerts', () => {
  const HOUR = 3_600_000;
  /** Far from the wall clock, so the app's own sweep (which looks at the last 13 real hours) never sees these rows. */
  const now = new Date(Date.now() - 5 * 86_400_000);
  const row = (org: string, i: number, at: number, negative: boolean): NewComment => ({
    orgId: org, channelId: mastodon.id, network: 'mastodon', externalId: `gen-${org}-${at}-${i}`, parentExternalId: null, deliveryId: null, messageId: null, kind: 'comment',
    body: negative ? 'Water supply cut again, no reply from the office' : 'Thanks for the update on water supply', authorHandle: 'citizen', publishedAt: new Date(at), lang: 'en',
    sentiment: negative ? 'negative' : 'positive', score: negative ? -0.6 : 0.6, method: 'test',
  });
  /** `perHour[0]` is the last hour; spread evenly inside each hour. */
  async function series(org: string, perHour: number[], negativeShare: (h: number) => number): Promise<void> {
    const rows: NewComment[] = [];
    perHour.forEach((n, h) => {
      for (let i = 0; i < n; i += 1) rows.push(row(org, i, now.getTime() - h * HOUR - Math.floor(((i + 0.5) / n) * HOUR), i < Math.round(n * negativeShare(h))));
    });
    await bypass(t, () => t.app.get(ListeningRepository).insertComments(rows));
  }

  it('raises a volume spike once, with evidence, an event and the suspend action; steady noise raises nothing', async () => {
    const mission = await createChildOrg(t, owner, `Mission ${randomUUID().slice(0, 4)}`);
    const steady = await createChildOrg(t, owner, `Quiet mission ${randomUUID().slice(0, 4)}`);
    await series(mission, [60, 14, 11, 13, 12, 10, 12, 11, 13, 12, 14, 10, 12], () => 0.1);
    await series(steady, [16, 14, 11, 13, 12, 10, 12, 11, 13, 12, 14, 10, 12], () => 0.1);
    const spikes = t.app.get(SpikesService);
    const raised = await spikes.evaluate(now);
    expect(raised).toHaveLength(1);
    expect(await spikes.evaluate(now)).toEqual([]);
    // Still high half an hour later: the same episode, not a second alert.
    expect(await spikes.evaluate(new Date(now.getTime() + 30 * 60_000))).toEqual([]);

    const list = await call(t, { method: 'GET', url: '/api/v1/listening/alerts', token: owner.accessToken });
    expect(list.statusCode, list.body).toBe(200);
    const alert = list.json<z.infer<typeof AlertList>>().items.find((a) => a.id === raised[0])!;
    expect(alert).toMatchObject({ orgId: mission, kind: 'volume', severity: 'critical', observed: 60, messageId: null });
    expect(alert.evidence.samples).toHaveLength(5);
    expect(alert.evidence.terms.map((x) => x.term)).toContain('water');
    expect(alert.evidence.networks).toEqual([{ network: 'mastodon', count: 60 }]);
    expect(alert.evidence.hourly.at(-1)).toBe(60);
    expect(alert.suspendAction).toMatchObject({ method: 'POST', href: '/api/v1/publishing/suspensions', organisationId: mission, permission: 'settings.manage' });

    const events = await bypass(t, async () => (await sql<{ name: string; payload: Record<string, unknown> }>`SELECT name, payload FROM outbox_events WHERE name = 'analytics.spike_detected' AND aggregate_id = ${raised[0]!}`.execute(t.app.get(Transactor).current())).rows);
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({ organisationId: mission, messageId: null, alertId: raised[0], kind: 'volume', severity: 'critical' });

    // The one click: the existing suspend route, as the alert describes it.
    const suspended = await call(t, { method: 'POST', url: alert.suspendAction.href, token: owner.accessToken, org: alert.suspendAction.organisationId, payload: alert.suspendAction.body });
    expect(suspended.statusCode, suspended.body).toBe(201);
    expect(suspended.json<{ orgId: string }>().orgId).toBe(mission);

    // Another organisation sees none of it.
    expect((await call(t, { method: 'GET', url: '/api/v1/listening/alerts', token: other.owner.accessToken })).json<z.infer<typeof AlertList>>().items).toEqual([]);
    expect((await call(t, { method: 'GET', url: `/api/v1/listening/alerts/${raised[0]}`, token: other.owner.accessToken })).statusCode).toBe(404);

    const ack = await call(t, { method: 'POST', url: `/api/v1/listening/alerts/${raised[0]}/acknowledge`, token: owner.accessToken });
    expect(ack.statusCode, ack.body).toBe(200);
    expect((await call(t, { method: 'POST', url: `/api/v1/listening/alerts/${raised[0]}/acknowledge`, token: owner.accessToken })).statusCode).toBe(409);
  });

  it('raises a negative-share jump at ordinary volume, and honours the organisation\'s own k', async () => {
    const mission = await createChildOrg(t, owner, `Mission ${randomUUID().slice(0, 4)}`);
    const later = new Date(now.getTime() + 3 * 86_400_000);
    await series(mission, Array.from({ length: 13 }, () => 20), (h) => (h === 0 ? 0.7 : 0.1));
    const spikes = t.app.get(SpikesService);
    const raised = await spikes.evaluate(now);
    const mine = (await call(t, { method: 'GET', url: '/api/v1/listening/alerts?open=true', token: owner.accessToken })).json<z.infer<typeof AlertList>>().items.filter((a) => a.orgId === mission);
    expect(mine.map((a) => a.kind)).toEqual(['negative_share']);
    expect(raised).toContain(mine[0]!.id);
    expect(mine[0]!.evidence.samples[0]!.sentiment).toBe('negative');
    expect(mine[0]!.evidence.negativeShare).toEqual({ lastHour: 0.7, baseline: 0.1 });

    // The organisation's own k: 15 comments after a silent baseline fire at k = 2, not at k = 20.
    const strict = await createChildOrg(t, owner, `Strict mission ${randomUUID().slice(0, 4)}`);
    const put = await call(t, { method: 'PUT', url: '/api/v1/listening/settings', token: owner.accessToken, org: strict, payload: { k: 20, negativeJump: 0.9, minComments: 10 } });
    expect(put.statusCode, put.body).toBe(200);
    expect((await call(t, { method: 'GET', url: '/api/v1/listening/settings', token: owner.accessToken, org: strict })).json()).toEqual({ k: 20, negativeJump: 0.9, minComments: 10 });
    await bypass(t, () => t.app.get(ListeningRepository).insertComments(Array.from({ length: 15 }, (_, i) => row(strict, i, later.getTime() - i * 60_000, false))));
    expect(await spikes.evaluate(later)).toEqual([]);
    await call(t, { method: 'PUT', url: '/api/v1/listening/settings', token: owner.accessToken, org: strict, payload: { k: 2, negativeJump: 0.9, minComments: 10 } });
    expect(await spikes.evaluate(later)).toHaveLength(1);
  });
});
