import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FacebookProvider } from '../src/modules/publishing/providers/facebook.provider.js';
import { jpegMedia, postInput, providerCall, providerError, startNetworkSim, type SimNetwork } from './providers-fixtures.js';

interface Seeded { accountId: string; accessToken: string }

describe('Facebook provider against the simulator', () => {
  let net: SimNetwork;
  let page: Seeded;
  const provider = new FacebookProvider();
  const call = () => providerCall('facebook', `${net.base}/v24.0`, page);
  const ledger = async () => (await net.admin<{ posts: { id: string; text: string; deletedAt?: number }[] }>('/posts')).posts;
  const state = async () => net.admin<{ posts: { id: string; link?: string; photoIds: string[] }[] }>('/state');

  beforeAll(async () => {
    net = await startNetworkSim('facebook');
  });
  afterAll(() => net.close());
  beforeEach(async () => {
    await net.admin('/faults', undefined, 'DELETE');
    page = await net.admin('/accounts', { name: `Embassy ${Math.random()}` });
  });

  it('publishes the text as the message and the link as the link, and reads the usage headers', async () => {
    const c = call();
    const post = await provider.publish(c, postInput('Passport services resume Monday', { link: 'https://mea.gov.in/passports' }));
    expect(post.externalId).toMatch(new RegExp(`^${page.accountId}_\\d+$`));
    const stored = (await state()).posts.find((p) => p.id === post.externalId);
    expect(stored?.link).toBe('https://mea.gov.in/passports');
    expect((await ledger()).find((p) => p.id === post.externalId)?.text).toBe('Passport services resume Monday');
    expect(c.observed.map((o) => o.bucket)).toEqual(expect.arrayContaining(['app:facebook', `account:${page.accountId}:facebook:pages`]));
  });

  it('publishes one picture as a photo post, and several as unpublished photos attached to one post', async () => {
    const one = await provider.publish(call(), postInput('One picture', { media: [await jpegMedia(40, 40, 'Flag', 'https://cdn.example.test/a.jpg')] }));
    expect((await state()).posts.find((p) => p.id === one.externalId)?.photoIds).toHaveLength(1);
    const two = await provider.publish(call(), postInput('Two pictures', { media: [await jpegMedia(40, 40, 'A', 'https://cdn.example.test/a.jpg'), await jpegMedia(40, 40, 'B', 'https://cdn.example.test/b.jpg')] }));
    expect((await state()).posts.find((p) => p.id === two.externalId)?.photoIds).toHaveLength(2);
  });

  it('after a commit-then-timeout: unknown_outcome; reconcile finds the post; a resend is refused as a duplicate', async () => {
    const input = postInput(`Lost answer ${Math.random()}`);
    const since = new Date();
    await net.admin('/faults', { method: 'POST', path: '/feed$', times: 1, action: { kind: 'commit-then-timeout', holdMs: 3000 } });
    expect((await providerError(provider.publish(call(), input))).kind).toBe('unknown_outcome');
    const found = await provider.reconcile(call(), input, since);
    expect((await ledger()).filter((p) => p.text === input.text).map((p) => p.id)).toEqual([found?.externalId]);
    expect((await providerError(provider.publish(call(), input))).kind).toBe('duplicate');
    expect(await provider.reconcile(call(), postInput('never sent'), since)).toBeNull();
  });

  it('maps Graph codes: 190/460 revoked, 190/463 expired, 200 permission, 80001 rate limit with the time to regain access, code 2 on a create', async () => {
    await net.admin('/faults', { method: 'POST', path: '/feed$', times: 1, action: { kind: 'status', status: 500 } });
    expect((await providerError(provider.publish(call(), postInput('server error')))).kind).toBe('unknown_outcome');
    await net.admin('/config', { pageCallsPerHour: 1 }, 'PATCH');
    try {
      await provider.publish(call(), postInput('spends the budget'));
      const limited = await providerError(provider.publish(call(), postInput('over budget')));
      expect(limited.kind).toBe('rate_limited');
      expect(limited.details.vendorCode).toBe('80001');
      expect(limited.details.retryAt?.getTime()).toBeGreaterThan(Date.now() + 60_000);
    } finally {
      await net.admin('/config', { pageCallsPerHour: 4800 }, 'PATCH');
    }
    const restricted = await net.admin<Seeded>('/accounts', { name: 'Analysts only', tasks: ['ANALYZE'] });
    expect((await providerError(provider.publish(providerCall('facebook', net.base, restricted), postInput('no role')))).kind).toBe('permission');
    const seeded = await net.admin<Seeded & { userAccessToken: string }>('/accounts', { name: 'Expiring' });
    await net.admin('/tokens/expire', { token: seeded.accessToken });
    expect((await providerError(provider.publish(providerCall('facebook', net.base, seeded), postInput('expired')))).kind).toBe('auth_expired');
    await net.admin('/tokens/revoke', { token: page.accessToken });
    expect((await providerError(provider.publish(call(), postInput('revoked')))).kind).toBe('revoked');
  });

  it('retracts a post; a second retract is done too', async () => {
    const post = await provider.publish(call(), postInput('to be withdrawn'));
    await provider.retract(call(), post.externalId);
    await provider.retract(call(), post.externalId);
    expect((await ledger()).find((p) => p.id === post.externalId)?.deletedAt).toBeDefined();
  });
});
