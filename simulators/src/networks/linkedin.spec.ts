import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeRedirect, form, jsonBody, startNetwork, type StartedNetwork } from '../testing/start-network.js';
import { linkedin } from './linkedin.js';

describe('LinkedIn simulator', () => {
  let net: StartedNetwork;
  let seeded: { organizationUrn: string; memberUrn: string; accessToken: string };
  let version = '';
  const rest = (path: string, init: RequestInit & { token?: string; version?: string } = {}) =>
    fetch(`${net.base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${init.token ?? seeded.accessToken}`, 'linkedin-version': init.version ?? version, 'x-restli-protocol-version': '2.0.0', ...(init.headers as Record<string, string>) },
    });
  const post = (fields: Record<string, unknown> = {}, token?: string) =>
    rest('/rest/posts', { method: 'POST', token, ...jsonBody({ author: seeded.organizationUrn, commentary: 'Flood relief centres are open', visibility: 'PUBLIC', distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] }, lifecycleState: 'PUBLISHED', isReshareDisabledByAuthor: false, ...fields }) });

  beforeAll(async () => {
    net = await startNetwork(linkedin);
    seeded = await net.admin('/accounts', { organizationName: 'Ministry of Examples' });
    const now = new Date(net.harness.clock.now());
    version = `${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  });
  afterAll(() => net.close());

  it('issues 60-day tokens, and refresh tokens only to partner apps, never extended by refreshing', async () => {
    const exchange = async (clientId: string, secret: string) => {
      const back = await authorizeRedirect(`${net.base}/oauth/v2/authorization?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent('https://guddu.test/cb')}&state=z&scope=${encodeURIComponent('openid profile w_organization_social')}`);
      return (await (await fetch(`${net.base}/oauth/v2/accessToken`, { method: 'POST', ...form({ grant_type: 'authorization_code', code: back.searchParams.get('code') ?? '', client_id: clientId, client_secret: secret, redirect_uri: 'https://guddu.test/cb' }) })).json()) as Record<string, unknown>;
    };
    const plain = await exchange('sandbox-client', 'sandbox-secret');
    expect(plain.expires_in).toBe(5_183_999);
    expect(plain).not.toHaveProperty('refresh_token');
    await net.admin('/oauth/clients', { clientId: 'partner', clientSecret: 'p', redirectUris: ['https://guddu.test/cb'], flags: { refreshTokens: true } });
    const partner = await exchange('partner', 'p');
    expect(partner.refresh_token_expires_in).toBe(365 * 86_400);
    await net.admin('/clock', { advanceMs: 86_400_000 });
    const refreshed = (await (await fetch(`${net.base}/oauth/v2/accessToken`, { method: 'POST', ...form({ grant_type: 'refresh_token', refresh_token: String(partner.refresh_token), client_id: 'partner', client_secret: 'p' }) })).json()) as Record<string, unknown>;
    expect(refreshed.refresh_token).toBe(partner.refresh_token);
    expect(refreshed.refresh_token_expires_in).toBe(364 * 86_400);
    const userinfo = (await (await fetch(`${net.base}/v2/userinfo`, { headers: { authorization: `Bearer ${String(refreshed.access_token)}` } })).json()) as { sub: string };
    expect(userinfo.sub).toBeTruthy();
  });

  it('requires the version headers and rejects sunset versions with 426', async () => {
    const missing = await fetch(`${net.base}/rest/posts?q=author&author=${encodeURIComponent(seeded.organizationUrn)}`, { headers: { authorization: `Bearer ${seeded.accessToken}` } });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { code: string }).code).toBe('VERSION_MISSING');
    const old = await rest(`/rest/posts?q=author&author=${encodeURIComponent(seeded.organizationUrn)}`, { version: '202001' });
    expect(old.status).toBe(426);
  });

  it('creates a post with 201 and x-restli-id, then 422 DUPLICATE_POST naming it', async () => {
    const created = await post();
    expect(created.status).toBe(201);
    expect(await created.text()).toBe('');
    const urn = created.headers.get('x-restli-id') ?? '';
    expect(urn).toMatch(/^urn:li:share:\d+$/);
    const duplicate = await post();
    expect(duplicate.status).toBe(422);
    const body = (await duplicate.json()) as { message: string; errorDetails: { inputErrors: { code: string }[] } };
    expect(body.errorDetails.inputErrors[0]?.code).toBe('DUPLICATE_POST');
    expect(body.message).toContain(urn);
    const found = (await (await rest(`/rest/posts?q=author&author=${encodeURIComponent(seeded.organizationUrn)}&sortBy=CREATED`, { headers: { 'x-restli-method': 'FINDER' } })).json()) as { elements: { id: string; commentary: string }[] };
    expect(found.elements[0]?.id).toBe(urn);
  });

  it('validates the schema with Rest.li messages and the 3,000-character limit', async () => {
    const noAuthor = await post({ author: undefined });
    expect(noAuthor.status).toBe(422);
    expect(((await noAuthor.json()) as { message: string }).message).toContain('ERROR :: /author :: field is required');
    expect((await post({ commentary: 'x'.repeat(3001) })).status).toBe(422);
    const malformed = await rest('/rest/posts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(malformed.status).toBe(400);
  });

  it('refuses to post for an organisation without a posting role', async () => {
    const analyst = await net.admin<{ accessToken: string; memberUrn: string }>('/accounts', { role: 'ANALYST' });
    const refused = await post({ author: seeded.organizationUrn, commentary: 'not mine' }, analyst.accessToken);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('ACCESS_DENIED');
  });

  it('uploads an image, refuses it until AVAILABLE, then posts it', async () => {
    const init = (await (await rest('/rest/images?action=initializeUpload', { method: 'POST', ...jsonBody({ initializeUploadRequest: { owner: seeded.organizationUrn } }) })).json()) as { value: { uploadUrl: string; image: string } };
    expect((await fetch(init.value.uploadUrl, { method: 'PUT', headers: { authorization: `Bearer ${seeded.accessToken}`, 'content-type': 'image/jpeg' }, body: randomBytes(500) })).status).toBe(201);
    const early = await post({ commentary: 'with image', content: { media: { id: init.value.image, altText: 'A map' } } });
    expect(early.status).toBe(400);
    const encoded = encodeURIComponent(init.value.image);
    expect(((await (await rest(`/rest/images/${encoded}`)).json()) as { status: string }).status).toBe('PROCESSING');
    expect(((await (await rest(`/rest/images/${encoded}`)).json()) as { status: string }).status).toBe('AVAILABLE');
    expect((await post({ commentary: 'with image', content: { media: { id: init.value.image, altText: 'A map' } } })).status).toBe(201);
  });

  it('uploads a video in parts with ETags and finalizes it', async () => {
    await net.admin('/config', { videoPartBytes: 1000 }, 'PATCH');
    const init = (await (await rest('/rest/videos?action=initializeUpload', { method: 'POST', ...jsonBody({ initializeUploadRequest: { owner: seeded.organizationUrn, fileSizeBytes: 2500, uploadCaptions: false, uploadThumbnail: false } }) })).json()) as { value: { video: string; uploadToken: string; uploadInstructions: { uploadUrl: string; firstByte: number; lastByte: number }[] } };
    expect(init.value.uploadInstructions).toHaveLength(3);
    const etags: string[] = [];
    for (const part of init.value.uploadInstructions) {
      const put = await fetch(part.uploadUrl, { method: 'PUT', headers: { authorization: `Bearer ${seeded.accessToken}` }, body: randomBytes(part.lastByte - part.firstByte + 1) });
      etags.push(put.headers.get('etag') ?? '');
    }
    const wrong = await rest('/rest/videos?action=finalizeUpload', { method: 'POST', ...jsonBody({ finalizeUploadRequest: { video: init.value.video, uploadToken: init.value.uploadToken, uploadedPartIds: etags.slice(0, 2) } }) });
    expect(wrong.status).toBe(400);
    const done = await rest('/rest/videos?action=finalizeUpload', { method: 'POST', ...jsonBody({ finalizeUploadRequest: { video: init.value.video, uploadToken: init.value.uploadToken, uploadedPartIds: etags } }) });
    expect(done.status).toBe(200);
    await rest(`/rest/videos/${encodeURIComponent(init.value.video)}`);
    expect(((await (await rest(`/rest/videos/${encodeURIComponent(init.value.video)}`)).json()) as { status: string }).status).toBe('AVAILABLE');
  });

  it('deletes with 204 twice, and comments and stats grow with the clock', async () => {
    const created = await post({ commentary: 'Retract this later' });
    const urn = created.headers.get('x-restli-id') ?? '';
    await net.admin('/clock', { advanceMs: 31 * 60_000 });
    const comments = (await (await rest(`/rest/socialActions/${encodeURIComponent(urn)}/comments`)).json()) as { elements: { commentUrn: string }[]; paging: { total: number } };
    expect(comments.paging.total).toBe(3);
    expect(comments.elements[0]?.commentUrn).toMatch(/^urn:li:comment:\(urn:li:activity:\d+,\d+\)$/);
    const stats = (await (await rest(`/rest/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity=${encodeURIComponent(seeded.organizationUrn)}&shares=List(${encodeURIComponent(urn)})`)).json()) as { elements: { totalShareStatistics: { commentCount: number } }[] };
    expect(stats.elements[0]?.totalShareStatistics.commentCount).toBe(3);
    expect((await rest(`/rest/posts/${encodeURIComponent(urn)}`, { method: 'DELETE' })).status).toBe(204);
    expect((await rest(`/rest/posts/${encodeURIComponent(urn)}`, { method: 'DELETE' })).status).toBe(204);
    expect((await rest(`/rest/posts/${encodeURIComponent(urn)}`)).status).toBe(404);
    // Statistics agree with the post read: a deleted post has none.
    const after = (await (await rest(`/rest/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity=${encodeURIComponent(seeded.organizationUrn)}&shares=List(${encodeURIComponent(urn)})`)).json()) as { elements: unknown[] };
    expect(after.elements).toEqual([]);
  });

  it('answers 65601 for a revoked token and 429 without rate headers when the daily quota is spent', async () => {
    const other = await net.admin<{ accessToken: string; organizationUrn: string }>('/accounts', {});
    await net.admin('/config', { memberPostsPerDay: 1 }, 'PATCH');
    const mine = (commentary: string) => rest('/rest/posts', { method: 'POST', token: other.accessToken, ...jsonBody({ author: other.organizationUrn, commentary, visibility: 'PUBLIC', distribution: { feedDistribution: 'MAIN_FEED' }, lifecycleState: 'PUBLISHED' }) });
    expect((await mine('first')).status).toBe(201);
    const limited = await mine('second');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeNull();
    expect(limited.headers.get('x-ratelimit-limit')).toBeNull();
    await net.admin('/config', { memberPostsPerDay: 150 }, 'PATCH');
    await net.admin('/tokens/revoke', { token: other.accessToken });
    const revoked = await mine('third');
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({ serviceErrorCode: 65601, code: 'REVOKED_ACCESS_TOKEN' });
  });

  it('survives malformed input with LinkedIn error bodies', async () => {
    const cases: [string, RequestInit][] = [
      ['/rest/posts', { method: 'POST', ...jsonBody([]) }],
      ['/rest/posts', { method: 'POST', ...jsonBody({ author: 5, commentary: 'x', visibility: 'PUBLIC', distribution: {}, lifecycleState: 'PUBLISHED' }) }],
      ['/rest/posts', { method: 'POST', ...jsonBody({ author: seeded.organizationUrn, commentary: 'x', visibility: 'EVERYONE', distribution: { feedDistribution: 'MAIN_FEED' }, lifecycleState: 'PUBLISHED' }) }],
      ['/rest/posts?q=nope', { method: 'GET' }],
      ['/rest/images?action=initializeUpload', { method: 'POST', ...jsonBody({}) }],
      ['/rest/videos?action=finalizeUpload', { method: 'POST', ...jsonBody({ finalizeUploadRequest: 'x' }) }],
      ['/rest/posts/urn%3Ali%3Ashare%3A1', { method: 'GET' }],
      ['/oauth/v2/accessToken', { method: 'POST', body: 'garbage' }],
    ];
    for (const [path, init] of cases) {
      const response = await rest(path, init);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body.message ?? body.error, path).toBeDefined();
    }
  });
});
