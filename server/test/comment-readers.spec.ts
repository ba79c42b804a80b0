import type { NetworkName } from '@guddu/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMENT_READERS } from '../src/modules/analytics/comment-readers/comment-readers.js';
import type { CommentBatch } from '../src/modules/analytics/comment-readers/comment-reader.js';
import { BlueskyProvider } from '../src/modules/publishing/providers/bluesky.provider.js';
import { FacebookProvider } from '../src/modules/publishing/providers/facebook.provider.js';
import { InstagramProvider } from '../src/modules/publishing/providers/instagram.provider.js';
import { LinkedInProvider } from '../src/modules/publishing/providers/linkedin.provider.js';
import { MastodonProvider } from '../src/modules/publishing/providers/mastodon.provider.js';
import type { Provider, ProviderCall } from '../src/modules/publishing/providers/provider.js';
import { XProvider } from '../src/modules/publishing/providers/x.provider.js';
import { YouTubeProvider } from '../src/modules/publishing/providers/youtube.provider.js';
import { jpegMedia, mp4Media, postInput, providerCall, startNetworkSim, type SimNetwork } from './providers-fixtures.js';

// Each network's comment reader against its simulator over real HTTP (contract §14): a post made
// by the network's provider, audience comments grown by the simulator's clock plus seeded ones
// (one in Hindi), read from no cursor, read again from the cursor it returned, and read after
// the clock moved on. Ids must be stable across reads (ingest dedupes on them).
const POLL = { intervalMs: 5, attempts: 20 };

interface Case {
  network: NetworkName;
  provider: Provider;
  seed: Record<string, unknown>;
  call: (net: SimNetwork, account: Record<string, string>) => ProviderCall;
  input: () => Promise<ReturnType<typeof postInput>>;
  mentions: boolean;
}

const cases: Case[] = [
  { network: 'facebook', provider: new FacebookProvider(), seed: { name: 'Embassy listening' }, call: (n, a) => providerCall('facebook', `${n.base}/v24.0`, a as never), input: async () => postInput('Consular camp on Saturday'), mentions: false },
  { network: 'instagram', provider: new InstagramProvider(POLL), seed: { username: 'embassy_listen' }, call: (n, a) => providerCall('instagram', n.base, a as never), input: async () => postInput('At the fair', { media: [await jpegMedia(50, 50, 'Fair', 'https://cdn.example.test/f.jpg')] }), mentions: false },
  { network: 'x', provider: new XProvider(POLL), seed: { username: 'xlisten' }, call: (n, a) => providerCall('x', n.base, { ...a, handle: a.username } as never), input: async () => postInput('Travel advisory updated'), mentions: true },
  { network: 'linkedin', provider: new LinkedInProvider(POLL), seed: { organizationName: 'Ministry listening' }, call: (n, a) => providerCall('linkedin', n.base, a as never), input: async () => postInput('Scholarships open'), mentions: false },
  { network: 'youtube', provider: new YouTubeProvider(), seed: {}, call: (n, a) => providerCall('youtube', n.base, a as never, 5_000), input: async () => postInput('Republic Day', { media: [await mp4Media(1)], options: { title: 'Republic Day', privacy: 'public' } }), mentions: false },
  { network: 'mastodon', provider: new MastodonProvider(POLL), seed: { username: 'mlisten' }, call: (n, a) => providerCall('mastodon', n.base, a as never), input: async () => postInput('Helpline numbers'), mentions: true },
  { network: 'bluesky', provider: new BlueskyProvider(POLL), seed: { handle: 'listen.bsky.social' }, call: (n, a) => providerCall('bluesky', n.base, { ...a, extra: { did: a.did } } as never), input: async () => postInput('Passport seva week'), mentions: true },
];

const ids = (b: CommentBatch) => b.comments.map((c) => c.externalId);

describe.each(cases)('$network comment reader against the simulator', (c) => {
  let net: SimNetwork;
  let account: Record<string, string>;
  let postId: string;
  const reader = COMMENT_READERS.get(c.network)!;

  beforeAll(async () => {
    net = await startNetworkSim(c.network);
    account = await net.admin('/accounts', c.seed);
    postId = (await c.provider.publish(c.call(net, account), await c.input())).externalId;
    await net.admin('/clock', { advanceMs: 31 * 60_000 }); // three grown comments
    await net.admin('/engagement', { postId, comments: [{ text: 'यह फैसला बिल्कुल गलत है, कोई जवाब नहीं मिला', author: 'ravi' }, { text: 'Very helpful, thank you', author: 'meera' }] });
  }, 60_000);
  afterAll(() => net?.close());

  it('reads every comment with text, author and time, then only what is new from its cursor', async () => {
    const first = await reader.readComments(c.call(net, account), postId, null);
    expect(first.comments.length).toBe(5);
    expect(new Set(ids(first)).size).toBe(5);
    const hindi = first.comments.find((x) => x.text.includes('फैसला'));
    expect(hindi?.authorHandle).toContain('ravi');
    expect(hindi!.publishedAt.getTime()).toBeGreaterThan(0);
    for (const x of first.comments) expect(x.rootExternalId).toBe(postId);
    expect(first.cursor).toBeTruthy();

    // From the cursor: nothing that was not in the first read (an overlap is allowed; ids are the same).
    const again = await reader.readComments(c.call(net, account), postId, first.cursor);
    for (const id of ids(again)) expect(ids(first)).toContain(id);

    await net.admin('/clock', { advanceMs: 10 * 60_000 });
    const later = await reader.readComments(c.call(net, account), postId, first.cursor);
    const fresh = ids(later).filter((id) => !ids(first).includes(id));
    expect(fresh).toHaveLength(1);
  });

  it.runIf(c.mentions)('reads mentions of the account, pointing back at the post they answer', async () => {
    const mentions = await reader.readMentions!(c.call(net, account), null);
    expect(mentions.comments.length).toBeGreaterThanOrEqual(5);
    expect(mentions.comments.some((m) => m.text.includes('फैसला'))).toBe(true);
    expect(mentions.comments.every((m) => m.rootExternalId === postId)).toBe(true);
  });

  it('maps a refused token to auth_expired and a 429 to rate_limited with a time to come back', async () => {
    await net.admin('/faults', { method: 'GET', path: 'comments|context|search|getPostThread|commentThreads|socialActions', times: 1, action: { kind: 'status', status: 429 } });
    const limited = await reader.readComments(c.call(net, account), postId, null).then(() => undefined, (e: unknown) => e as { kind: string; details: { retryAt?: Date } });
    expect(limited?.kind).toBe('rate_limited');
    expect(limited?.details.retryAt).toBeInstanceOf(Date);
    await net.admin('/faults', undefined, 'DELETE');
    // Mastodon's context and Bluesky's thread are public (contract §14): their token matters for mentions.
    const badCall = c.call(net, { ...account, accessToken: 'not-a-token' });
    const bad = await (c.mentions && (c.network === 'mastodon' || c.network === 'bluesky') ? reader.readMentions!(badCall, null) : reader.readComments(badCall, postId, null)).then(() => undefined, (e: unknown) => e as { kind: string });
    expect(['auth_expired', 'revoked', 'permission']).toContain(bad?.kind);
  });
});
