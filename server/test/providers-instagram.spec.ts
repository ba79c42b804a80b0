import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InstagramProvider } from '../src/modules/publishing/providers/instagram.provider.js';
import { jpegMedia, postInput, providerCall, providerError, startNetworkSim, type SimNetwork } from './providers-fixtures.js';

interface Seeded { accountId: string; accessToken: string }

describe('Instagram provider against the simulator', () => {
  let net: SimNetwork;
  let account: Seeded;
  const provider = new InstagramProvider({ intervalMs: 5, attempts: 20 });
  const call = () => providerCall('instagram', net.base, account);
  const picture = (name = 'a', alt = 'Ambassador at the fair') => jpegMedia(50, 50, alt, `https://cdn.example.test/${name}.jpg`);
  const ledger = async () => (await net.admin<{ posts: { id: string; text: string }[] }>('/posts')).posts;

  beforeAll(async () => {
    net = await startNetworkSim('instagram');
  });
  afterAll(() => net.close());
  beforeEach(async () => {
    await net.admin('/faults', undefined, 'DELETE');
    account = await net.admin('/accounts', { username: `ig${Math.floor(Math.random() * 1e9)}` });
  });

  it('publishes a picture through a container that is FINISHED first, with its alt text and caption', async () => {
    const post = await provider.publish(call(), postInput('India at the trade fair', { media: [await picture()] }));
    expect((await ledger()).find((p) => p.id === post.externalId)?.text).toBe('India at the trade fair');
    const log = await net.admin<{ entries: { method: string; path: string; body: Record<string, unknown> }[] }>('/log?method=POST');
    expect(log.entries.find((e) => e.path.endsWith('/media'))?.body).toMatchObject({ alt_text: 'Ambassador at the fair', caption: 'India at the trade fair' });
  });

  it('publishes several pictures as one carousel', async () => {
    const post = await provider.publish(call(), postInput('Carousel', { media: [await picture('a'), await picture('b'), await picture('c')] }));
    const state = await net.admin<{ media: { id: string; mediaType: string }[] }>('/state');
    expect(state.media.find((m) => m.id === post.externalId)?.mediaType).toBe('CAROUSEL');
  });

  it('after a commit-then-timeout on media_publish: unknown_outcome; reconcile finds the media by caption', async () => {
    const input = postInput(`Lost answer ${Math.random()}`, { media: [await picture()] });
    const since = new Date();
    await net.admin('/faults', { method: 'POST', path: 'media_publish', times: 1, action: { kind: 'commit-then-timeout', holdMs: 3000 } });
    expect((await providerError(provider.publish(call(), input))).kind).toBe('unknown_outcome');
    const found = await provider.reconcile(call(), input, since);
    expect((await ledger()).filter((p) => p.text === input.text).map((p) => p.id)).toEqual([found?.externalId]);
    expect(await provider.reconcile(call(), postInput('never sent'), since)).toBeNull();
  });

  it('maps a picture Instagram cannot use to media_failed, the 24-hour publish limit to quota_exhausted, an expired token to auth_expired', async () => {
    const tooLarge = await jpegMedia(50, 50, null, 'https://cdn.example.test/big.jpg?sim-fail=2207004');
    expect((await providerError(provider.publish(call(), postInput('too large', { media: [tooLarge] })))).kind).toBe('media_failed');
    await net.admin('/config', { publishesPer24h: 1 }, 'PATCH');
    try {
      await provider.publish(call(), postInput('the only one', { media: [await picture()] }));
      const capped = await providerError(provider.publish(call(), postInput('one more', { media: [await picture()] })));
      expect(capped.kind).toBe('quota_exhausted');
      expect(capped.details.retryAt?.getTime()).toBeGreaterThan(Date.now());
    } finally {
      await net.admin('/config', { publishesPer24h: 50 }, 'PATCH');
    }
    await net.admin('/tokens/expire', { token: account.accessToken });
    expect((await providerError(provider.publish(call(), postInput('expired', { media: [await picture()] })))).kind).toBe('auth_expired');
  });

  it('refuses a link and a post without media at validation, and says it cannot retract', async () => {
    expect(provider.validate(postInput('text only', { link: 'https://mea.gov.in' })).map((p) => p.code)).toEqual(expect.arrayContaining(['media_required', 'link_unsupported']));
    const refused = await providerError(provider.retract());
    expect(refused.kind).toBe('permission');
    expect(refused.message).toContain('Instagram does not allow deleting posts through its API');
  });
});
