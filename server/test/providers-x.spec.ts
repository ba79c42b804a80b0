import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { XProvider } from '../src/modules/publishing/providers/x.provider.js';
import { jpegMedia, mp4Media, postInput, providerCall, providerError, startNetworkSim, type SimNetwork } from './providers-fixtures.js';

interface Seeded { accountId: string; username: string; accessToken: string }

describe('X provider against the simulator', () => {
  let net: SimNetwork;
  let account: Seeded;
  const provider = new XProvider({ intervalMs: 10, attempts: 20 });
  const call = () => providerCall('x', net.base, { ...account, handle: account.username });
  const ledger = async () => (await net.admin<{ posts: { id: string; text: string; deletedAt?: number }[] }>('/posts')).posts;

  beforeAll(async () => {
    net = await startNetworkSim('x');
  });
  afterAll(() => net.close());
  beforeEach(async () => {
    await net.admin('/faults', undefined, 'DELETE');
    account = await net.admin('/accounts', { username: `x${Math.floor(Math.random() * 1e9)}` });
  });

  it('publishes the text with the link appended, and reports the 15-minute and 24-hour windows', async () => {
    const c = call();
    const post = await provider.publish(c, postInput('Visa camp on Saturday', { link: 'https://mea.gov.in/visa' }));
    expect(post.url).toBe(`https://x.com/${account.username}/status/${post.externalId}`);
    expect((await ledger()).find((p) => p.id === post.externalId)?.text).toBe('Visa camp on Saturday https://mea.gov.in/visa');
    expect(c.observed.map((o) => o.bucket)).toEqual(expect.arrayContaining([`account:${account.accountId}:x:posts`, `account:${account.accountId}:x:posts-24h`, 'app:x:posts-24h']));
  });

  it('uploads pictures through initialize, append and finalize, then posts with their media ids', async () => {
    const post = await provider.publish(call(), postInput('Two pictures', { media: [await jpegMedia(64, 64), await jpegMedia(32, 48)] }));
    const log = await net.admin<{ entries: { path: string }[] }>('/log?path=^/2/media');
    expect(log.entries.map((e) => e.path.replace(/\d{5,}/, 'ID'))).toEqual(expect.arrayContaining(['/2/media/upload/initialize', '/2/media/upload/ID/append', '/2/media/upload/ID/finalize']));
    const tweet = (await (await fetch(`${net.base}/2/tweets/${post.externalId}?tweet.fields=attachments`, { headers: { authorization: `Bearer ${account.accessToken}` } })).json()) as { data: { attachments: { media_keys: string[] } } };
    expect(tweet.data.attachments.media_keys).toHaveLength(2);
  });

  it('uploads a video in chunks and polls its processing until it succeeded; a failed one is media_failed', async () => {
    const post = await provider.publish(call(), postInput('A video', { media: [await mp4Media(1)] }));
    const statuses = await net.admin<{ entries: unknown[] }>('/log?method=GET&path=^/2/media/upload$');
    expect(statuses.entries.length).toBeGreaterThan(0);
    expect((await ledger()).find((p) => p.id === post.externalId)?.text).toBe('A video');
    await net.admin('/config', { videoOutcome: 'failed' }, 'PATCH');
    try {
      const failed = await providerError(provider.publish(call(), postInput('A broken video', { media: [await mp4Media(1)] })));
      expect(failed.kind).toBe('media_failed');
    } finally {
      await net.admin('/config', { videoOutcome: 'succeeded' }, 'PATCH');
    }
  });

  it('after a commit-then-timeout: unknown_outcome; reconcile finds the post by its text; a resend is refused as a duplicate', async () => {
    const input = postInput(`Lost answer ${Math.random()}`);
    const since = new Date();
    await net.admin('/faults', { method: 'POST', path: '^/2/tweets$', times: 1, action: { kind: 'commit-then-timeout', holdMs: 3000 } });
    expect((await providerError(provider.publish(call(), input))).kind).toBe('unknown_outcome');
    const found = await provider.reconcile(call(), input, since);
    expect(found).not.toBeNull();
    expect((await ledger()).filter((p) => p.text === input.text).map((p) => p.id)).toEqual([found?.externalId]);
    expect((await providerError(provider.publish(call(), input))).kind).toBe('duplicate');
    expect(await provider.reconcile(call(), postInput('never sent'), since)).toBeNull();
  });

  it('reconciles a post carrying a link although X shows it as t.co in the text', async () => {
    const input = postInput(`Lost answer with a link ${Math.random()}`, { link: 'https://mea.gov.in/visa?ref=lost' });
    const since = new Date();
    await net.admin('/faults', { method: 'POST', path: '^/2/tweets$', times: 1, action: { kind: 'commit-then-timeout', holdMs: 3000 } });
    expect((await providerError(provider.publish(call(), input))).kind).toBe('unknown_outcome');
    const found = await provider.reconcile(call(), input, since);
    expect(found).not.toBeNull();
    expect((await ledger()).filter((p) => p.text.startsWith(input.text)).map((p) => p.id)).toEqual([found?.externalId]);
  });

  it('maps 401, too-long text, 503 and resets on a create, and the exhausted window of a 429', async () => {
    await net.admin('/faults', { method: 'POST', path: '^/2/tweets$', times: 1, action: { kind: 'status', status: 503 } });
    expect((await providerError(provider.publish(call(), postInput('unavailable')))).kind).toBe('unknown_outcome');
    await net.admin('/faults', { method: 'POST', path: '^/2/tweets$', times: 1, action: { kind: 'reset' } });
    expect((await providerError(provider.publish(call(), postInput('reset')))).kind).toBe('unknown_outcome');
    const long = postInput('漢'.repeat(141));
    expect(provider.validate(long)[0]).toMatchObject({ field: 'text', code: 'text_too_long' });
    expect((await providerError(provider.publish(call(), long))).kind).toBe('validation');
    account = await net.admin('/accounts', { username: `q${Math.floor(Math.random() * 1e9)}` });
    await net.admin('/config', { postsPerUserPer24h: 1 }, 'PATCH');
    try {
      await provider.publish(call(), postInput('the only one today'));
      const capped = await providerError(provider.publish(call(), postInput('one too many')));
      expect(capped.kind).toBe('quota_exhausted');
      expect(capped.details.retryAt?.getTime()).toBeGreaterThan(Date.now() + 3_600_000);
    } finally {
      await net.admin('/config', { postsPerUserPer24h: 10_000 }, 'PATCH');
    }
    await net.admin('/config', { postsPerUserPer15Min: 0 }, 'PATCH');
    try {
      const limited = await providerError(provider.publish(call(), postInput('fifteen minutes')));
      expect(limited.kind).toBe('rate_limited');
      expect(limited.details.retryAt?.getTime()).toBeLessThanOrEqual(Date.now() + 15 * 60_000 + 1000);
    } finally {
      await net.admin('/config', { postsPerUserPer15Min: 100 }, 'PATCH');
    }
    await net.admin('/tokens/revoke', { token: account.accessToken });
    expect((await providerError(provider.publish(call(), postInput('revoked')))).kind).toBe('auth_expired');
  });

  it('retracts a post; a second retract is done too', async () => {
    const post = await provider.publish(call(), postInput('to be withdrawn'));
    await provider.retract(call(), post.externalId);
    await provider.retract(call(), post.externalId);
    expect((await ledger()).find((p) => p.id === post.externalId)?.deletedAt).toBeDefined();
  });
});
