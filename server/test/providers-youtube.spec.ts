import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nextPacificMidnight, YouTubeProvider } from '../src/modules/publishing/providers/youtube.provider.js';
import { mp4Media, postInput, providerCall, providerError, startNetworkSim, type SimNetwork } from './providers-fixtures.js';

interface Seeded { accountId: string; accessToken: string }

describe('YouTube provider against the simulator', () => {
  let net: SimNetwork;
  let channel: Seeded;
  const provider = new YouTubeProvider();
  const call = () => providerCall('youtube', net.base, channel, 5_000);
  const ledger = async () => (await net.admin<{ posts: { id: string; text: string; deletedAt?: number }[] }>('/posts')).posts;
  const videoPost = async (title: string, privacy = 'unlisted') => postInput(`Description of ${title}`, { media: [await mp4Media(1)], options: { title, privacy } });

  beforeAll(async () => {
    net = await startNetworkSim('youtube');
  });
  afterAll(() => net.close());
  beforeEach(async () => {
    await net.admin('/faults', undefined, 'DELETE');
    channel = await net.admin('/accounts', {});
  });

  it('knows when the Pacific day ends', () => {
    expect(nextPacificMidnight(new Date('2026-12-07T15:00:00Z')).toISOString()).toBe('2026-12-08T08:00:00.000Z');
    expect(nextPacificMidnight(new Date('2026-07-01T06:30:00Z')).toISOString()).toBe('2026-07-01T07:00:00.000Z');
  });

  it('uploads a video through a resumable session with its title, description and privacy', async () => {
    const post = await provider.publish(call(), await videoPost('Republic Day at the embassy'));
    expect(post.url).toBe(`https://www.youtube.com/watch?v=${post.externalId}`);
    const list = (await (await fetch(`${net.base}/youtube/v3/videos?part=snippet,status&id=${post.externalId}`, { headers: { authorization: `Bearer ${channel.accessToken}` } })).json()) as { items: { snippet: { title: string; description: string }; status: { privacyStatus: string } }[] };
    expect(list.items[0]).toMatchObject({ snippet: { title: 'Republic Day at the embassy', description: 'Description of Republic Day at the embassy' }, status: { privacyStatus: 'unlisted' } });
  });

  it('after a commit-then-timeout on the upload: unknown_outcome; reconcile finds the video in the uploads playlist', async () => {
    const input = await videoPost(`Lost answer ${Math.floor(Math.random() * 1e6)}`);
    const since = new Date();
    await net.admin('/faults', { method: 'PUT', path: '/upload/youtube/v3/videos', times: 1, action: { kind: 'commit-then-timeout', holdMs: 8000 } });
    expect((await providerError(provider.publish(providerCall('youtube', net.base, channel, 1_500), input))).kind).toBe('unknown_outcome');
    const found = await provider.reconcile(call(), input, since);
    expect((await ledger()).filter((p) => p.text === input.options.title).map((p) => p.id)).toEqual([found?.externalId]);
    expect(await provider.reconcile(call(), await videoPost('never sent'), since)).toBeNull();
  });

  it('maps quotaExceeded to quota_exhausted until midnight Pacific, a bad title to validation, 401 to auth_expired', async () => {
    expect(provider.validate(postInput('no video')).map((p) => p.code)).toEqual(expect.arrayContaining(['video_required', 'title_required']));
    expect((await providerError(provider.publish(call(), await videoPost('<b>bold</b>')))).kind).toBe('validation');
    await net.admin('/config', { insertsPerDay: 0 }, 'PATCH');
    try {
      const capped = await providerError(provider.publish(call(), await videoPost('over quota')));
      expect(capped.kind).toBe('quota_exhausted');
      expect(capped.details.retryAt?.toISOString()).toBe(nextPacificMidnight().toISOString());
    } finally {
      await net.admin('/config', { insertsPerDay: 100 }, 'PATCH');
    }
    await net.admin('/tokens/expire', { token: channel.accessToken });
    expect((await providerError(provider.publish(call(), await videoPost('expired')))).kind).toBe('auth_expired');
  });

  it('retracts a video; a second retract is done too', async () => {
    const post = await provider.publish(call(), await videoPost('to be withdrawn'));
    await provider.retract(call(), post.externalId);
    await provider.retract(call(), post.externalId);
    expect((await ledger()).find((p) => p.id === post.externalId)?.deletedAt).toBeDefined();
  });
});
