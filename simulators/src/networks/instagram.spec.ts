import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeRedirect, form, startNetwork, type StartedNetwork } from '../testing/start-network.js';
import { instagram } from './instagram.js';

interface GraphError {
  error: { code: number; error_subcode?: number; message: string };
}

describe('Instagram simulator', () => {
  let net: StartedNetwork;
  let account: { igUserId: string; accessToken: string };
  const graph = (path: string, init: RequestInit & { token?: string } = {}) =>
    fetch(`${net.base}/v24.0${path}`, { ...init, headers: { authorization: `Bearer ${init.token ?? account.accessToken}`, ...(init.headers as Record<string, string>) } });
  const container = async (fields: Record<string, string>) => graph(`/${account.igUserId}/media`, { method: 'POST', ...form(fields) });
  const status = async (id: string) => ((await (await graph(`/${id}?fields=status_code,status`)).json()) as { status_code: string; status?: string });
  const publish = (id: string) => graph(`/${account.igUserId}/media_publish`, { method: 'POST', ...form({ creation_id: id }) });

  beforeAll(async () => {
    net = await startNetwork(instagram);
    account = await net.admin('/accounts', { username: 'ministry_ig' });
  });
  afterAll(() => net.close());

  it('runs the Instagram Login token trio; refresh only once the token is 24 h old', async () => {
    const back = await authorizeRedirect(`${net.base}/oauth/authorize?client_id=sandbox-client&redirect_uri=${encodeURIComponent('https://guddu.test/cb')}&response_type=code&scope=instagram_business_basic,instagram_business_content_publish&state=q`);
    const short = (await (await fetch(`${net.base}/oauth/access_token`, { method: 'POST', ...form({ client_id: 'sandbox-client', client_secret: 'sandbox-secret', grant_type: 'authorization_code', redirect_uri: 'https://guddu.test/cb', code: back.searchParams.get('code') ?? '' }) })).json()) as { access_token: string; user_id: number };
    expect(short.user_id).toBeGreaterThan(0);
    const long = (await (await fetch(`${net.base}/access_token?grant_type=ig_exchange_token&client_secret=sandbox-secret&access_token=${short.access_token}`)).json()) as { access_token: string; expires_in: number };
    expect(long.expires_in).toBe(60 * 86_400);
    const early = (await (await fetch(`${net.base}/refresh_access_token?grant_type=ig_refresh_token&access_token=${long.access_token}`)).json()) as GraphError;
    expect(early.error.code).toBe(10);
    await net.admin('/clock', { advanceMs: 86_400_001 });
    const refreshed = (await (await fetch(`${net.base}/refresh_access_token?grant_type=ig_refresh_token&access_token=${long.access_token}`)).json()) as { access_token: string; expires_in: number };
    expect(refreshed.expires_in).toBe(60 * 86_400);
  });

  it('publishes an image container once; a second publish is refused', async () => {
    const created = (await (await container({ image_url: 'https://cdn.example/a.jpg', caption: 'Vaccination camp today #health' })).json()) as { id: string };
    expect((await status(created.id)).status_code).toBe('FINISHED');
    const published = await publish(created.id);
    const { id } = (await published.json()) as { id: string };
    expect(id).toMatch(/^\d+$/);
    expect((await status(created.id)).status_code).toBe('PUBLISHED');
    const again = (await (await publish(created.id)).json()) as GraphError;
    expect(again.error.code).toBe(9007);
    const listed = (await (await graph(`/${account.igUserId}/media?fields=id,caption,like_count`)).json()) as { data: { id: string }[] };
    expect(listed.data[0]?.id).toBe(id);
  });

  it('refuses to publish a video still IN_PROGRESS (2207027) and publishes it when FINISHED', async () => {
    const { id } = (await (await container({ media_type: 'REELS', video_url: 'https://cdn.example/r.mp4', caption: 'reel' })).json()) as { id: string };
    const early = (await (await publish(id)).json()) as GraphError;
    expect(early.error.error_subcode).toBe(2207027);
    expect((await status(id)).status_code).toBe('IN_PROGRESS');
    expect((await status(id)).status_code).toBe('FINISHED');
    expect((await publish(id)).status).toBe(200);
  });

  it('ends a video container in ERROR with the subcode in status, and fails bad images at once', async () => {
    const { id } = (await (await container({ media_type: 'REELS', video_url: 'https://cdn.example/r.mp4?sim-fail=2207026' })).json()) as { id: string };
    await status(id);
    const final = await status(id);
    expect(final.status_code).toBe('ERROR');
    expect(final.status).toContain('2207026');
    const big = (await (await container({ image_url: 'https://cdn.example/huge.jpg?sim-fail=2207004' })).json()) as GraphError;
    expect(big.error).toMatchObject({ code: 36000, error_subcode: 2207004 });
  });

  it('expires an unpublished container after 24 h (2207020)', async () => {
    const { id } = (await (await container({ image_url: 'https://cdn.example/b.jpg' })).json()) as { id: string };
    await net.admin('/clock', { advanceMs: 86_400_001 });
    expect((await status(id)).status_code).toBe('EXPIRED');
    expect(((await (await publish(id)).json()) as GraphError).error.error_subcode).toBe(2207020);
  });

  it('builds a carousel from FINISHED children and counts it once against the quota', async () => {
    const children: string[] = [];
    for (const n of [1, 2, 3]) children.push(((await (await container({ image_url: `https://cdn.example/${n}.jpg`, is_carousel_item: 'true' })).json()) as { id: string }).id);
    const parent = (await (await container({ media_type: 'CAROUSEL', children: children.join(','), caption: 'Album' })).json()) as { id: string };
    const before = (await (await graph(`/${account.igUserId}/content_publishing_limit?fields=quota_usage,config`)).json()) as { data: { quota_usage: number }[] };
    expect((await publish(parent.id)).status).toBe(200);
    const after = (await (await graph(`/${account.igUserId}/content_publishing_limit?fields=quota_usage,config`)).json()) as { data: { quota_usage: number; config: { quota_total: number } }[] };
    expect(after.data[0]?.quota_usage).toBe((before.data[0]?.quota_usage ?? 0) + 1);
    expect(after.data[0]?.config.quota_total).toBe(50);
    const one = (await (await container({ media_type: 'CAROUSEL', children: children[0] ?? '' })).json()) as GraphError;
    expect(one.error.code).toBe(100);
  });

  it('enforces the rolling 24 h publish quota with code 9 / 2207042', async () => {
    await net.admin('/config', { publishesPer24h: 1 }, 'PATCH');
    await net.admin('/clock', { advanceMs: 86_400_001 });
    const first = (await (await container({ image_url: 'https://cdn.example/q1.jpg' })).json()) as { id: string };
    const second = (await (await container({ image_url: 'https://cdn.example/q2.jpg' })).json()) as { id: string };
    expect((await publish(first.id)).status).toBe(200);
    const refused = (await (await publish(second.id)).json()) as GraphError;
    expect(refused.error).toMatchObject({ code: 9, error_subcode: 2207042 });
    // The refused container stays FINISHED: publishing it later is safe.
    expect((await status(second.id)).status_code).toBe('FINISHED');
    await net.admin('/config', { publishesPer24h: 50 }, 'PATCH');
  });

  it('serves comments and insights, refuses deprecated metrics, and does not delete by default', async () => {
    const created = (await (await container({ image_url: 'https://cdn.example/c.jpg', caption: 'Comments' })).json()) as { id: string };
    const { id } = (await (await publish(created.id)).json()) as { id: string };
    await net.admin('/clock', { advanceMs: 21 * 60_000 });
    const comments = (await (await graph(`/${id}/comments`)).json()) as { data: { from: { username: string } }[] };
    expect(comments.data).toHaveLength(2);
    expect(((await (await graph(`/${id}/insights?metric=impressions`)).json()) as GraphError).error.code).toBe(100);
    expect((await graph(`/${id}/insights?metric=views,likes`)).status).toBe(200);
    expect(((await (await graph(`/${id}`, { method: 'DELETE' })).json()) as GraphError).error.code).toBe(100);
  });

  it('survives malformed input with the Graph envelope', async () => {
    const cases: [string, RequestInit][] = [
      [`/${account.igUserId}/media`, { method: 'POST', ...form({ media_type: 'HOLOGRAM' }) }],
      [`/${account.igUserId}/media`, { method: 'POST', ...form({ media_type: 'REELS' }) }],
      [`/${account.igUserId}/media`, { method: 'POST', ...form({ image_url: 'not a url' }) }],
      [`/${account.igUserId}/media_publish`, { method: 'POST', ...form({}) }],
      ['/999/media', { method: 'POST', ...form({ image_url: 'https://a/b.jpg' }) }],
      ['/me/media', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[' }],
    ];
    for (const [path, init] of cases) {
      const response = await graph(path, init);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
      expect(((await response.json()) as GraphError).error.code, path).toBeTypeOf('number');
    }
  });
});
