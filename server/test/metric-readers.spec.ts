import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Network } from '../src/modules/publishing/channel-access.port.js';
import { NetworkReadError, type NetworkReadCall } from '../src/modules/publishing/metric-reads.port.js';
import { BlueskyProvider } from '../src/modules/publishing/providers/bluesky.provider.js';
import { FacebookProvider } from '../src/modules/publishing/providers/facebook.provider.js';
import { InstagramProvider } from '../src/modules/publishing/providers/instagram.provider.js';
import { LinkedInProvider } from '../src/modules/publishing/providers/linkedin.provider.js';
import { MastodonProvider } from '../src/modules/publishing/providers/mastodon.provider.js';
import type { PostInput, PostMedia, Provider } from '../src/modules/publishing/providers/provider.js';
import { XProvider } from '../src/modules/publishing/providers/x.provider.js';
import { YouTubeProvider } from '../src/modules/publishing/providers/youtube.provider.js';
import { metricReaderFor } from '../src/modules/analytics/metric-readers/metric-readers.js';
import type { MetricValues } from '../src/modules/analytics/analytics.metrics.js';
import { jpegMedia, postInput, providerCall, startNetworkSim, type SimNetwork } from './providers-fixtures.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const poll = { intervalMs: 10, attempts: 50 };

interface Case {
  network: Network;
  provider: Provider;
  seed: Record<string, unknown>;
  /** The base URL a channel of this network holds (Facebook's includes the Graph version). */
  base: (sim: string) => string;
  input: () => Promise<PostInput>;
  /** Metrics the network exposes for this post (all others must be null, "not available"). */
  exposed: Array<keyof MetricValues>;
  /** One that grows with the post's age under the simulators' clock. */
  grows: keyof MetricValues;
}

const CASES: Case[] = [
  { network: 'facebook', provider: new FacebookProvider(), seed: { name: 'Embassy' }, base: (s) => `${s}/v24.0`, input: async () => postInput(`Consular camp ${Math.random()}`), exposed: ['reach', 'reactions', 'comments', 'shares', 'clicks', 'video_views'], grows: 'reach' },
  { network: 'instagram', provider: new InstagramProvider(poll), seed: { username: 'embassy_ig' }, base: (s) => s, input: async () => postInput('Consular camp', { media: [await jpegMedia(320, 320, 'A camp', 'https://cdn.example.test/camp.jpg')] }), exposed: ['impressions', 'reach', 'reactions', 'comments', 'shares', 'saves'], grows: 'impressions' },
  { network: 'x', provider: new XProvider(poll), seed: { username: 'embassy_x' }, base: (s) => s, input: async () => postInput(`Consular camp ${Math.random()}`), exposed: ['impressions', 'reactions', 'comments', 'shares', 'saves', 'clicks'], grows: 'impressions' },
  { network: 'youtube', provider: new YouTubeProvider(), seed: {}, base: (s) => s, input: async () => postInput(`Consular camp ${Math.random()}`, { media: [fakeMp4()], options: { title: 'Consular camp', privacy: 'public' } }), exposed: ['impressions', 'video_views', 'reactions', 'comments'], grows: 'video_views' },
  { network: 'linkedin', provider: new LinkedInProvider(), seed: { organizationName: 'Ministry' }, base: (s) => s, input: async () => postInput(`Consular camp ${Math.random()}`), exposed: ['impressions', 'reach', 'clicks', 'reactions', 'comments', 'shares'], grows: 'impressions' },
  { network: 'mastodon', provider: new MastodonProvider(poll), seed: { username: 'embassy_m' }, base: (s) => s, input: async () => postInput(`Consular camp ${Math.random()}`), exposed: ['reactions', 'comments', 'shares'], grows: 'reactions' },
  { network: 'bluesky', provider: new BlueskyProvider(poll), seed: { handle: 'embassy.bsky.social' }, base: (s) => s, input: async () => postInput(`Consular camp ${Math.random()}`), exposed: ['reactions', 'comments', 'shares', 'saves'], grows: 'reactions' },
];

/** Bytes the YouTube simulator takes as a video (it stores uploads, it does not decode them). */
function fakeMp4(): PostMedia {
  const bytes = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypmp42'), Buffer.alloc(2048, 1)]);
  return { assetId: randomUUID(), kind: 'video', mimeType: 'video/mp4', bytes: bytes.length, width: 320, height: 240, durationMs: 1000, altText: null, open: () => Promise.resolve(Readable.from([bytes])), url: 'https://cdn.example.test/clip.mp4' };
}

/** A NetworkReadCall as METRIC_READS hands one to a reader. */
function readCall(c: ReturnType<typeof providerCall>): NetworkReadCall {
  return { channel: c.credentials.channel, accessToken: c.credentials.accessToken, extra: c.credentials.extra, fetch: c.fetch, observeRateLimit: (o) => c.observeRateLimit(o) };
}

describe.each(CASES)('$network metric reader against the simulator', (kase) => {
  let net: SimNetwork;
  let account: { accountId: string; accessToken: string; did?: string; handle?: string };
  const reader = metricReaderFor(kase.network)!;
  const call = () => providerCall(kase.network, kase.base(net.base), { ...account, extra: account.did ? { did: account.did } : {} }, 5_000);
  const clock = (body: Record<string, unknown>) => net.admin<{ now: number }>('/clock', body);

  beforeAll(async () => {
    net = await startNetworkSim(kase.network);
    account = await net.admin('/accounts', kase.seed);
    await clock({ freeze: true });
  });
  afterAll(() => net.close());

  it('maps the network’s metrics onto the normalised set; what it does not expose is null, never 0; figures grow with the clock', async () => {
    const published = await kase.provider.publish(call(), await kase.input());
    const { now: start } = await clock({});
    const post = { externalId: published.externalId, publishedAt: new Date(start) };
    // Access tokens of some networks live an hour: both reads fall inside it.
    await clock({ advanceMs: 20 * MINUTE });
    const early = await reader.readPost(readCall(call()), post, new Date(start + 20 * MINUTE));
    await clock({ advanceMs: 30 * MINUTE });
    const later = await reader.readPost(readCall(call()), post, new Date(start + 50 * MINUTE));
    for (const [metric, value] of Object.entries(later.values)) {
      if ((kase.exposed as string[]).includes(metric)) expect(value, metric).not.toBeNull();
      else expect(value, metric).toBeNull();
    }
    expect(later.values[kase.grows]).toBeGreaterThan(early.values[kase.grows] ?? Infinity);
    const account1 = await reader.readAccount(readCall(call()));
    expect(account1.followers).toBeGreaterThan(0);
    expect(Object.entries(account1).filter(([m, v]) => m !== 'followers' && v !== null)).toEqual([]);
  }, 60_000);

  it('a deleted post is gone (where the API can delete); a refused token is auth_expired', async () => {
    if (kase.provider.capabilities.retract) {
      const published = await kase.provider.publish(call(), await kase.input());
      await kase.provider.retract(call(), published.externalId);
      const { now } = await clock({});
      const err = await reader.readPost(readCall(call()), { externalId: published.externalId, publishedAt: new Date(now) }, new Date(now)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NetworkReadError);
      expect((err as NetworkReadError).kind).toBe('gone');
    }
    // Bluesky's profile is public (the AppView asks no token): nothing to refuse.
    if (kase.network === 'bluesky') return;
    const bad = readCall(call());
    bad.accessToken = 'not-a-token';
    const refused = await reader.readAccount(bad).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NetworkReadError);
    expect(['auth_expired', 'unavailable']).toContain((refused as NetworkReadError).kind);
  }, 60_000);
});

describe('X metric deadlines', () => {
  let net: SimNetwork;
  let account: { accountId: string; accessToken: string };
  beforeAll(async () => {
    net = await startNetworkSim('x');
    // The post is read a month after it went out: a token that outlives the wait.
    await net.admin('/config', { accessTtlMs: 60 * DAY }, 'PATCH');
    account = await net.admin('/accounts', { username: 'deadline_x' });
    await net.admin('/clock', { freeze: true });
  });
  afterAll(() => net.close());

  it('reads link clicks (non-public) up to day 30 and reports them not available after', async () => {
    const c = () => readCall(providerCall('x', net.base, account));
    const published = await new XProvider(poll).publish(providerCall('x', net.base, account), postInput('Deadline'));
    const { now: start } = await net.admin<{ now: number }>('/clock', {});
    const post = { externalId: published.externalId, publishedAt: new Date(start) };
    await net.admin('/clock', { advanceMs: 30 * DAY - HOUR });
    const before = await metricReaderFor('x')!.readPost(c(), post, new Date(start + 30 * DAY - HOUR));
    expect(before.values.clicks).toBeGreaterThan(0);
    await net.admin('/clock', { advanceMs: 2 * HOUR });
    const after = await metricReaderFor('x')!.readPost(c(), post, new Date(start + 30 * DAY + HOUR));
    expect(after.values.clicks).toBeNull();
    expect(after.values.impressions).toBeGreaterThan(before.values.impressions ?? Infinity);
  });

  it('a 429 is rate_limited with the reset X names', async () => {
    await net.admin('/faults', { method: 'GET', path: '^/2/tweets/', times: 1, action: { kind: 'status', status: 429, headers: { 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 900) } } });
    const err = await metricReaderFor('x')!.readPost(readCall(providerCall('x', net.base, account)), { externalId: '1', publishedAt: new Date() }, new Date()).catch((e: unknown) => e);
    expect((err as NetworkReadError).kind).toBe('rate_limited');
    expect((err as NetworkReadError).retryAt!.getTime()).toBeGreaterThan(Date.now() + 800_000);
  });
});
