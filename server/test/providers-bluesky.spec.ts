import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { linkFacets, recordKeyFor } from '../src/modules/publishing/providers/bluesky-richtext.js';
import { BlueskyProvider } from '../src/modules/publishing/providers/bluesky.provider.js';
import { jpegMedia, mp4Media, postInput, providerCall, providerError, startNetworkSim, type SimNetwork } from './providers-fixtures.js';

interface Seeded { accountId: string; did: string; handle: string; accessToken: string }

describe('Bluesky provider against the simulator', () => {
  let net: SimNetwork;
  let account: Seeded;
  const provider = new BlueskyProvider({ intervalMs: 5, attempts: 20 });
  const call = () => providerCall('bluesky', net.base, { ...account, extra: { did: account.did } });
  const record = async (uri: string) => {
    const [, repo, collection, rkey] = /^at:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(uri) ?? [];
    const response = await fetch(`${net.base}/xrpc/com.atproto.repo.getRecord?${new URLSearchParams({ repo: repo ?? '', collection: collection ?? '', rkey: rkey ?? '' }).toString()}`);
    return ((await response.json()) as { value: Record<string, unknown> }).value;
  };

  beforeAll(async () => {
    net = await startNetworkSim('bluesky');
  });
  afterAll(() => net.close());
  beforeEach(async () => {
    await net.admin('/faults', undefined, 'DELETE');
    account = await net.admin('/accounts', { handle: `b${Math.floor(Math.random() * 1e9)}.bsky.social` });
  });

  it('derives one valid TID record key per idempotency key', () => {
    expect(recordKeyFor('delivery-1')).toBe(recordKeyFor('delivery-1'));
    expect(recordKeyFor('delivery-1')).not.toBe(recordKeyFor('delivery-2'));
    expect(recordKeyFor('delivery-1')).toMatch(/^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/);
  });

  it('puts link facets at UTF-8 byte offsets, past multi-byte text', () => {
    const text = 'नमस्ते 👋 see https://eci.gov.in/x and eci.gov.in';
    const facets = linkFacets(text);
    const bytes = new TextEncoder().encode(text);
    const decode = (f: (typeof facets)[number]) => new TextDecoder().decode(bytes.slice(f.index.byteStart, f.index.byteEnd));
    expect(facets.map(decode)).toEqual(['https://eci.gov.in/x', 'eci.gov.in']);
    expect(facets.map((f) => f.features[0].uri)).toEqual(['https://eci.gov.in/x', 'https://eci.gov.in']);
  });

  it('publishes text with facets, langs and the message link as an external card, at the derived record key', async () => {
    const input = postInput('Read the notice at https://mea.gov.in/n 🙏', { link: 'https://mea.gov.in/press', language: 'en-IN' });
    const post = await provider.publish(call(), input);
    expect(post.externalId).toBe(`at://${account.did}/app.bsky.feed.post/${recordKeyFor(input.idempotencyKey)}`);
    const value = await record(post.externalId);
    expect(value).toMatchObject({ text: input.text, langs: ['en-IN'], embed: { $type: 'app.bsky.embed.external', external: { uri: 'https://mea.gov.in/press' } } });
    expect(value.facets).toEqual(linkFacets(input.text));
    // The same delivery again cannot make a second post: the PDS refuses the key.
    expect((await providerError(provider.publish(call(), input))).kind).toBe('duplicate');
  });

  it('publishes pictures as uploaded blobs with alt text and aspect ratio', async () => {
    const image = await jpegMedia(80, 40, 'Crowd at the embassy');
    const post = await provider.publish(call(), postInput('Consular camp today', { media: [image] }));
    const value = await record(post.externalId);
    expect(value.embed).toMatchObject({ $type: 'app.bsky.embed.images', images: [{ alt: 'Crowd at the embassy', aspectRatio: { width: 80, height: 40 } }] });
  });

  it('publishes a video through the video service (service token, upload, job until it yields a blob)', async () => {
    const post = await provider.publish(call(), postInput('Yoga day', { media: [await mp4Media(1, 320, 180)] }));
    expect((await record(post.externalId)).embed).toMatchObject({ $type: 'app.bsky.embed.video', aspectRatio: { width: 320, height: 180 } });
    const failing = await mp4Media(1);
    await net.admin('/config', { failVideoNamed: failing.assetId }, 'PATCH');
    try {
      expect((await providerError(provider.publish(call(), postInput('broken', { media: [failing] })))).kind).toBe('media_failed');
    } finally {
      await net.admin('/config', { failVideoNamed: 'fail' }, 'PATCH');
    }
  });

  it('after a commit-then-timeout: unknown_outcome, then reconcile finds the record by its key', async () => {
    const input = postInput(`Lost answer ${Math.random()}`);
    await net.admin('/faults', { method: 'POST', path: 'createRecord', times: 1, action: { kind: 'commit-then-timeout', holdMs: 3000 } });
    expect((await providerError(provider.publish(call(), input))).kind).toBe('unknown_outcome');
    const found = await provider.reconcile(call(), input);
    expect(found?.externalId).toBe(`at://${account.did}/app.bsky.feed.post/${recordKeyFor(input.idempotencyKey)}`);
    expect(await provider.reconcile(call(), postInput('never sent'))).toBeNull();
    const ledger = await net.admin<{ posts: { text: string }[] }>('/posts');
    expect(ledger.posts.filter((p) => p.text === input.text)).toHaveLength(1);
  });

  it('maps expired and revoked sessions, too many graphemes, 5xx and the write limit', async () => {
    await net.admin('/faults', { method: 'POST', path: 'createRecord', times: 1, action: { kind: 'status', status: 502 } });
    expect((await providerError(provider.publish(call(), postInput('bad gateway')))).kind).toBe('unknown_outcome');
    expect((await providerError(provider.publish(call(), postInput('é'.repeat(301))))).kind).toBe('validation');
    expect(provider.validate(postInput('é'.repeat(301)))[0]).toMatchObject({ code: 'text_too_long' });
    await net.admin('/config', { writePointsPerHour: 3 }, 'PATCH');
    try {
      const c = call();
      await provider.publish(c, postInput('spends the points'));
      expect(c.observed.at(-1)).toMatchObject({ bucket: `account:${account.did}:bluesky:writes`, remaining: 0 });
      const limited = await providerError(provider.publish(c, postInput('over the limit')));
      expect(limited.kind).toBe('rate_limited');
      expect(limited.details.retryAt?.getTime()).toBeGreaterThan(Date.now());
    } finally {
      await net.admin('/config', { writePointsPerHour: 5000 }, 'PATCH');
    }
    await net.admin('/tokens/expire', { token: account.accessToken });
    expect((await providerError(provider.publish(call(), postInput('expired')))).kind).toBe('auth_expired');
    const other = await net.admin<Seeded>('/accounts', { handle: `r${Math.floor(Math.random() * 1e9)}.bsky.social` });
    account = other;
    await net.admin('/tokens/revoke', { token: other.accessToken });
    expect((await providerError(provider.publish(call(), postInput('revoked')))).kind).toBe('revoked');
  });

  it('retracts a post; retracting it again is done too', async () => {
    const post = await provider.publish(call(), postInput('to be withdrawn'));
    await provider.retract(call(), post.externalId);
    await provider.retract(call(), post.externalId);
    const ledger = await net.admin<{ posts: { id: string; deletedAt?: number }[] }>('/posts');
    expect(ledger.posts.find((p) => p.id === post.externalId)?.deletedAt).toBeDefined();
  });
});
