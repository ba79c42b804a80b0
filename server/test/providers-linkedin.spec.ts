import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fromLittleText, toLittleText } from '../src/modules/publishing/providers/linkedin-little-text.js';
import { LinkedInProvider } from '../src/modules/publishing/providers/linkedin.provider.js';
import { jpegMedia, mp4Media, postInput, providerCall, providerError, startNetworkSim, type SimNetwork } from './providers-fixtures.js';

interface Seeded { accountId: string; accessToken: string }

describe('LinkedIn provider against the simulator', () => {
  let net: SimNetwork;
  let org: Seeded;
  const provider = new LinkedInProvider({ intervalMs: 5, attempts: 20 });
  const call = () => providerCall('linkedin', net.base, org);
  const state = async () => net.admin<{ posts: { urn: string; commentary: string; content?: Record<string, unknown>; deletedAt?: number }[] }>('/state');
  const ledger = async () => (await net.admin<{ posts: { id: string; text: string }[] }>('/posts')).posts;

  beforeAll(async () => {
    net = await startNetworkSim('linkedin');
  });
  afterAll(() => net.close());
  beforeEach(async () => {
    await net.admin('/faults', undefined, 'DELETE');
    org = await net.admin('/accounts', { organizationName: `Ministry ${Math.random()}` });
  });

  it('escapes little-text reserved characters but keeps hashtags, and reads them back', () => {
    const text = 'Visa (e-Visa) help: mea@gov #IndiaAbroad 50% *now*';
    expect(toLittleText(text)).toBe('Visa \\(e-Visa\\) help: mea\\@gov #IndiaAbroad 50% \\*now\\*');
    expect(fromLittleText(toLittleText(text))).toBe(text);
  });

  it('publishes as the organisation with the link as an article, with the version and Rest.li headers', async () => {
    const post = await provider.publish(call(), postInput('Trade delegation (Day 2)', { link: 'https://mea.gov.in/trade' }));
    expect(post.externalId).toMatch(/^urn:li:share:\d+$/);
    expect(post.url).toBe(`https://www.linkedin.com/feed/update/${post.externalId}`);
    const stored = (await state()).posts.find((p) => p.urn === post.externalId);
    expect(stored?.content).toMatchObject({ article: { source: 'https://mea.gov.in/trade' } });
    expect(fromLittleText(stored?.commentary ?? '')).toBe('Trade delegation (Day 2)');
  });

  it('uploads pictures (initializeUpload, PUT, AVAILABLE) and a video (parts, ETags, finalize)', async () => {
    const images = await provider.publish(call(), postInput('Two pictures', { media: [await jpegMedia(40, 40, 'Delegation'), await jpegMedia(40, 30, 'Signing')] }));
    expect((await state()).posts.find((p) => p.urn === images.externalId)?.content).toMatchObject({ multiImage: { images: [{ altText: 'Delegation' }, { altText: 'Signing' }] } });
    const video = await provider.publish(call(), postInput('A video', { media: [await mp4Media(1)], options: { title: 'Highlights' } }));
    expect((await state()).posts.find((p) => p.urn === video.externalId)?.content).toMatchObject({ media: { title: 'Highlights' } });
  });

  it('after a commit-then-timeout: unknown_outcome; reconcile finds the post; a resend is a duplicate', async () => {
    const input = postInput(`Lost answer (${Math.random()})`);
    const since = new Date();
    await net.admin('/faults', { method: 'POST', path: '^/rest/posts$', times: 1, action: { kind: 'commit-then-timeout', holdMs: 3000 } });
    expect((await providerError(provider.publish(call(), input))).kind).toBe('unknown_outcome');
    const found = await provider.reconcile(call(), input, since);
    expect((await ledger()).filter((p) => fromLittleText(p.text) === input.text).map((p) => p.id)).toEqual([found?.externalId]);
    const duplicate = await providerError(provider.publish(call(), input));
    expect(duplicate.kind).toBe('duplicate');
    expect(duplicate.details.vendorCode).toBe(found?.externalId);
    expect(await provider.reconcile(call(), postInput('never sent'), since)).toBeNull();
  });

  it('maps 401 65602/65601, 403 without a role, the daily quota to midnight UTC, and a 503 on a create', async () => {
    await net.admin('/faults', { method: 'POST', path: '^/rest/posts$', times: 1, action: { kind: 'status', status: 503 } });
    expect((await providerError(provider.publish(call(), postInput('unavailable')))).kind).toBe('unknown_outcome');
    await net.admin('/config', { memberPostsPerDay: 0 }, 'PATCH');
    try {
      const capped = await providerError(provider.publish(call(), postInput('over quota')));
      expect(capped.kind).toBe('quota_exhausted');
      expect(capped.details.retryAt?.getUTCHours()).toBe(0);
      expect(capped.details.retryAt?.getTime()).toBeGreaterThan(Date.now());
    } finally {
      await net.admin('/config', { memberPostsPerDay: 150 }, 'PATCH');
    }
    const viewer = await net.admin<Seeded>('/accounts', { organizationName: 'Read only', role: 'ANALYST' });
    expect((await providerError(provider.publish(providerCall('linkedin', net.base, viewer), postInput('no role')))).kind).toBe('permission');
    await net.admin('/tokens/expire', { token: viewer.accessToken });
    expect((await providerError(provider.publish(providerCall('linkedin', net.base, viewer), postInput('expired')))).kind).toBe('auth_expired');
    await net.admin('/tokens/revoke', { token: org.accessToken });
    expect((await providerError(provider.publish(call(), postInput('revoked')))).kind).toBe('revoked');
  });

  it('retracts a post; a second retract is done too', async () => {
    const post = await provider.publish(call(), postInput('to be withdrawn'));
    await provider.retract(call(), post.externalId);
    await provider.retract(call(), post.externalId);
    expect((await state()).posts.find((p) => p.urn === post.externalId)?.deletedAt).toBeDefined();
  });
});
