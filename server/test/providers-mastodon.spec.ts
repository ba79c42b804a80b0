import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MastodonProvider } from '../src/modules/publishing/providers/mastodon.provider.js';
import { jpegMedia, mp4Media, postInput, providerCall, providerError, startNetworkSim, type SimNetwork } from './providers-fixtures.js';

describe('Mastodon provider against the simulator', () => {
  let net: SimNetwork;
  let account: { accountId: string; accessToken: string };
  const provider = new MastodonProvider({ intervalMs: 10, attempts: 20 });
  const call = () => providerCall('mastodon', net.base, account);
  const posts = async () => (await net.admin<{ posts: { id: string; text: string; deletedAt?: number }[] }>('/posts')).posts;

  beforeAll(async () => {
    net = await startNetworkSim('mastodon');
  });
  afterAll(() => net.close());
  beforeEach(async () => {
    await net.admin('/faults', undefined, 'DELETE');
    account = await net.admin('/accounts', { username: `m${Math.floor(Math.random() * 1e9)}` });
  });

  it('publishes text with the link in the text, under the delivery idempotency key, and reads the rate-limit headers', async () => {
    const c = call();
    const input = postInput('Polling stations open at 7 am', { link: 'https://eci.gov.in/notice', language: 'hi-IN' });
    const post = await provider.publish(c, input);
    expect(post.url).toContain(post.externalId);
    const ledger = (await posts()).find((p) => p.id === post.externalId);
    expect(ledger?.text).toBe('Polling stations open at 7 am https://eci.gov.in/notice');
    const log = await net.admin<{ entries: { headers: Record<string, string>; body: Record<string, unknown> }[] }>('/log?method=POST&path=^/api/v1/statuses$');
    expect(log.entries.at(-1)?.headers['idempotency-key']).toBe(input.idempotencyKey);
    expect(log.entries.at(-1)?.body.language).toBe('hi');
    expect(c.observed.at(-1)?.bucket).toBe(`account:${account.accountId}:mastodon:requests`);
    expect(c.observed.at(-1)?.remaining).toBeGreaterThan(0);
    // A re-sent create under the same key is the same status, not a second one.
    expect((await provider.publish(c, input)).externalId).toBe(post.externalId);
  });

  it('publishes pictures through media v2 with their alt text', async () => {
    const image = await jpegMedia(64, 48, 'A map of polling stations');
    const post = await provider.publish(call(), postInput('Where to vote', { media: [image] }));
    const status = (await (await fetch(`${net.base}/api/v1/statuses/${post.externalId}`)).json()) as { media_attachments: { description: string }[] };
    expect(status.media_attachments).toEqual([expect.objectContaining({ description: 'A map of polling stations' })]);
  });

  it('waits for a video to be processed (202, then 206 until 200); a failed one is media_failed', async () => {
    const post = await provider.publish(call(), postInput('A video', { media: [await mp4Media(1)] }));
    const polls = await net.admin<{ entries: { status: number }[] }>('/log?method=GET&path=^/api/v1/media/');
    expect(polls.entries.map((e) => e.status)).toEqual(expect.arrayContaining([206, 200]));
    expect((await posts()).find((p) => p.id === post.externalId)?.text).toBe('A video');
    const broken = await mp4Media(1);
    await net.admin('/config', { failMediaNamed: broken.assetId }, 'PATCH');
    try {
      expect((await providerError(provider.publish(call(), postInput('A broken video', { media: [broken] })))).kind).toBe('media_failed');
    } finally {
      await net.admin('/config', { failMediaNamed: 'fail' }, 'PATCH');
    }
  });

  it('after a commit-then-timeout: the create is unknown_outcome, reconcile finds the status, and nothing is posted twice', async () => {
    const input = postInput(`Lost answer ${Math.random()}`);
    const since = new Date();
    await net.admin('/faults', { method: 'POST', path: '^/api/v1/statuses$', times: 1, action: { kind: 'commit-then-timeout', holdMs: 3000 } });
    const lost = await providerError(provider.publish(call(), input));
    expect(lost.kind).toBe('unknown_outcome');
    const found = await provider.reconcile(call(), input, since);
    expect(found).not.toBeNull();
    expect((await posts()).filter((p) => p.text === input.text)).toHaveLength(1);
    expect(await provider.reconcile(call(), postInput('never sent'), since)).toBeNull();
  });

  it('maps a reset connection on a create to unknown_outcome, and a 503 on a read to transient', async () => {
    await net.admin('/faults', { method: 'POST', path: '^/api/v1/statuses$', times: 1, action: { kind: 'reset' } });
    expect((await providerError(provider.publish(call(), postInput('reset')))).kind).toBe('unknown_outcome');
    await net.admin('/faults', { method: 'POST', path: '^/api/v1/statuses$', times: 1, action: { kind: 'status', status: 503 } });
    expect((await providerError(provider.publish(call(), postInput('five hundred')))).kind).toBe('unknown_outcome');
    await net.admin('/faults', { method: 'GET', path: 'statuses', times: 1, action: { kind: 'status', status: 503 } });
    expect((await providerError(provider.reconcile(call(), postInput('x'), new Date()))).kind).toBe('transient');
  });

  it('reports a revoked token as revoked, over-long text as validation, and the rate limit with its reset', async () => {
    await net.admin('/config', { requestsPer5Min: 1 }, 'PATCH');
    try {
      await provider.publish(call(), postInput('first'));
      const limited = await providerError(provider.publish(call(), postInput('second')));
      expect(limited.kind).toBe('rate_limited');
      expect(limited.details.retryAt?.getTime()).toBeGreaterThan(Date.now());
    } finally {
      await net.admin('/config', { requestsPer5Min: 300 }, 'PATCH');
    }
    const fresh = await net.admin<{ accountId: string; accessToken: string }>('/accounts', { username: `long${Math.floor(Math.random() * 1e6)}` });
    account = fresh;
    const tooLong = await providerError(provider.publish(call(), postInput('x'.repeat(501))));
    expect(tooLong.kind).toBe('validation');
    expect(provider.validate(postInput('x'.repeat(501)))).toEqual([expect.objectContaining({ field: 'text', code: 'text_too_long' })]);
    await net.admin('/tokens/revoke', { token: account.accessToken });
    expect((await providerError(provider.publish(call(), postInput('after revoke')))).kind).toBe('revoked');
  });

  it('retracts a status, and a second retract of the same status is done too', async () => {
    const post = await provider.publish(call(), postInput('to be withdrawn'));
    await provider.retract(call(), post.externalId);
    expect((await posts()).find((p) => p.id === post.externalId)?.deletedAt).toBeDefined();
    await provider.retract(call(), post.externalId);
  });
});
