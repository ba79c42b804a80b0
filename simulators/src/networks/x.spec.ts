import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeRedirect, form, jsonBody, startNetwork, type StartedNetwork } from '../testing/start-network.js';
import { x } from './x.js';

describe('X simulator', () => {
  let net: StartedNetwork;
  let seeded: { accountId: string; accessToken: string; refreshToken: string; appBearerToken: string };
  const api = (path: string, init: RequestInit & { token?: string } = {}) =>
    fetch(`${net.base}${path}`, { ...init, headers: { authorization: `Bearer ${init.token ?? seeded.accessToken}`, ...(init.headers as Record<string, string>) } });
  const tweet = (body: unknown, token?: string) => api('/2/tweets', { method: 'POST', token, ...jsonBody(body) });

  beforeAll(async () => {
    net = await startNetwork(x);
    seeded = await net.admin('/accounts', { username: 'ministry' });
  });
  afterAll(() => net.close());

  it('runs the PKCE code flow: 30 s codes, refresh only with offline.access, rotation enforced', async () => {
    await net.admin('/oauth/clients', { clientId: 'guddu', clientSecret: 'shh', redirectUris: ['https://guddu.test/cb'], flags: { confidential: true } });
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorize = (scope: string) =>
      authorizeRedirect(`${net.base}/i/oauth2/authorize?response_type=code&client_id=guddu&redirect_uri=${encodeURIComponent('https://guddu.test/cb')}&scope=${encodeURIComponent(scope)}&state=st&code_challenge=${challenge}&code_challenge_method=S256`);
    const basic = { authorization: `Basic ${Buffer.from('guddu:shh').toString('base64')}` };
    const token = (fields: Record<string, string>, headers: Record<string, string> = basic) => fetch(`${net.base}/2/oauth2/token`, { method: 'POST', headers: { ...form(fields).headers, ...headers }, body: form(fields).body });

    const noBasic = await token({ grant_type: 'authorization_code', client_id: 'guddu', code: 'x', redirect_uri: 'https://guddu.test/cb', code_verifier: verifier }, {});
    expect(noBasic.status).toBe(401);
    expect(await noBasic.json()).toEqual({ error: 'unauthorized_client', error_description: 'Missing valid authorization header' });

    const late = await authorize('tweet.read tweet.write users.read offline.access');
    await net.admin('/clock', { advanceMs: 31_000 });
    expect((await token({ grant_type: 'authorization_code', code: late.searchParams.get('code') ?? '', redirect_uri: 'https://guddu.test/cb', code_verifier: verifier })).status).toBe(400);

    const noOffline = await authorize('tweet.read tweet.write users.read');
    const short = (await (await token({ grant_type: 'authorization_code', code: noOffline.searchParams.get('code') ?? '', redirect_uri: 'https://guddu.test/cb', code_verifier: verifier })).json()) as Record<string, unknown>;
    expect(short.expires_in).toBe(7200);
    expect(short).not.toHaveProperty('refresh_token');

    const back = await authorize('tweet.read tweet.write users.read offline.access');
    expect(back.searchParams.get('state')).toBe('st');
    const pair = (await (await token({ grant_type: 'authorization_code', code: back.searchParams.get('code') ?? '', redirect_uri: 'https://guddu.test/cb', code_verifier: verifier })).json()) as { refresh_token: string; access_token: string };
    const rotated = (await (await token({ grant_type: 'refresh_token', refresh_token: pair.refresh_token })).json()) as { refresh_token: string; access_token: string };
    expect(rotated.refresh_token).not.toBe(pair.refresh_token);
    const reused = await token({ grant_type: 'refresh_token', refresh_token: pair.refresh_token });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toEqual({ error: 'invalid_request', error_description: 'Value passed for the token was invalid.' });
    // Reuse killed the family: the rotated tokens are gone too.
    expect((await api('/2/users/me', { token: rotated.access_token })).status).toBe(401);
  });

  it('publishes with rate-limit and 24-hour headers, and refuses duplicate content with 403', async () => {
    const created = await tweet({ text: 'Exam results are out: https://results.example.gov.in' });
    expect(created.status).toBe(201);
    const { data } = (await created.json()) as { data: { id: string; text: string } };
    expect(data.id).toMatch(/^\d{15,19}$/);
    expect(created.headers.get('x-rate-limit-limit')).toBe('100');
    expect(created.headers.get('x-rate-limit-remaining')).toBe('99');
    expect(Number(created.headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect(created.headers.get('x-app-limit-24hour-limit')).toBe('10000');
    expect(created.headers.get('x-user-limit-24hour-remaining')).not.toBeNull();
    const duplicate = await tweet({ text: 'Exam results are out: https://results.example.gov.in' });
    expect(duplicate.status).toBe(403);
    expect(duplicate.headers.get('content-type')).toContain('application/problem+json');
    expect(await duplicate.json()).toMatchObject({ detail: 'You are not allowed to create a Tweet with duplicate content.', type: 'about:blank', status: 403 });
    const timeline = (await (await api(`/2/users/${seeded.accountId}/tweets?max_results=5&tweet.fields=created_at`)).json()) as { data: { text: string }[] };
    expect(timeline.data[0]?.text).toContain('Exam results');
  });

  it('after a commit-then-timeout, a blind retry gets 403 duplicate and the timeline has the post', async () => {
    await net.admin('/faults', { method: 'POST', path: '^/2/tweets$', times: 1, action: { kind: 'commit-then-timeout', holdMs: 2000 } });
    await expect(api('/2/tweets', { method: 'POST', signal: AbortSignal.timeout(300), ...jsonBody({ text: 'Lost answer on X' }) })).rejects.toThrow();
    expect((await tweet({ text: 'Lost answer on X' })).status).toBe(403);
    const start = new Date(net.harness.clock.now() - 60_000).toISOString();
    const timeline = (await (await api(`/2/users/${seeded.accountId}/tweets?max_results=5&start_time=${start}`)).json()) as { data: { text: string }[] };
    expect(timeline.data.map((t) => t.text)).toContain('Lost answer on X');
  });

  it('counts weighted length with twitter-text v3: CJK 2, URL 23, emoji 2', async () => {
    expect((await tweet({ text: '漢'.repeat(140) })).status).toBe(201);
    const tooLong = await tweet({ text: '字'.repeat(141) });
    expect(tooLong.status).toBe(400);
    expect(JSON.stringify(await tooLong.json())).toContain('Your Tweet text is too long');
    expect((await tweet({ text: `${'a'.repeat(256)} https://example.org/${'p'.repeat(100)}` })).status).toBe(201);
    expect((await tweet({ text: 'नमस्ते '.repeat(40) })).status).toBe(201);
  });

  it('validates the body strictly with invalid-request problems', async () => {
    const unknownKey = await tweet({ text: 'x1', colour: 'red' });
    expect(unknownKey.status).toBe(400);
    expect(await unknownKey.json()).toMatchObject({ type: 'https://api.x.com/2/problems/invalid-request' });
    expect((await tweet({ text: 'x2', media: { media_ids: [] } })).status).toBe(400);
    expect((await tweet({ text: 'x3', poll: { options: ['only one'], duration_minutes: 60 } })).status).toBe(400);
    expect((await tweet({ text: 'x4', poll: { options: ['a', 'b'], duration_minutes: 60 }, quote_tweet_id: '1' })).status).toBe(400);
    expect((await tweet({ text: 'x5', media: { media_ids: ['123'] } })).status).toBe(400);
  });

  it('refuses app-only bearer and missing scopes, and 401s an expired token', async () => {
    const appOnly = await tweet({ text: 'app' }, seeded.appBearerToken);
    expect(appOnly.status).toBe(403);
    expect(await appOnly.json()).toMatchObject({ type: 'https://api.x.com/2/problems/unsupported-authentication' });
    const other = await net.admin<{ accessToken: string }>('/accounts', { username: 'other' });
    await net.admin('/clock', { advanceMs: 7_200_001 });
    const expired = await tweet({ text: 'late' }, other.accessToken);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
    seeded = await net.admin('/accounts', { username: 'ministry2' });
  });

  it('uploads video in chunks and waits for processing before it can be posted', async () => {
    const init = (await (await api('/2/media/upload/initialize', { method: 'POST', ...jsonBody({ media_type: 'video/mp4', total_bytes: 3000, media_category: 'tweet_video' }) })).json()) as { data: { id: string } };
    const id = init.data.id;
    for (const segment of [0, 1]) {
      const body = new FormData();
      body.set('segment_index', String(segment));
      body.set('media', new Blob([randomBytes(1500)]), 'chunk');
      expect((await api(`/2/media/upload/${id}/append`, { method: 'POST', body })).status).toBe(200);
    }
    const finalized = (await (await api(`/2/media/upload/${id}/finalize`, { method: 'POST' })).json()) as { data: { processing_info: { state: string } } };
    expect(finalized.data.processing_info.state).toBe('pending');
    expect((await tweet({ text: 'video', media: { media_ids: [id] } })).status).toBe(400);
    let state = 'pending';
    for (let i = 0; i < 5 && state !== 'succeeded'; i += 1) {
      state = ((await (await api(`/2/media/upload?command=STATUS&media_id=${id}`)).json()) as { data: { processing_info: { state: string } } }).data.processing_info.state;
    }
    expect(state).toBe('succeeded');
    expect((await tweet({ text: 'video', media: { media_ids: [id] } })).status).toBe(201);
  });

  it('refuses finalize when the bytes do not add up (command style)', async () => {
    const init = (await (await api('/2/media/upload', { method: 'POST', ...form({ command: 'INIT', media_type: 'image/png', total_bytes: '500' }) })).json()) as { data: { id: string } };
    const bad = await api('/2/media/upload', { method: 'POST', ...form({ command: 'FINALIZE', media_id: init.data.id }) });
    expect(bad.status).toBe(400);
  });

  it('deletes own posts, refuses others, and search finds replies by conversation', async () => {
    const { data } = (await (await tweet({ text: 'retract me please' })).json()) as { data: { id: string } };
    await net.admin('/clock', { advanceMs: 25 * 60_000 });
    const search = (await (await api(`/2/tweets/search/recent?query=conversation_id:${data.id}&expansions=author_id`)).json()) as { data: unknown[]; includes: { users: unknown[] } };
    expect(search.data).toHaveLength(2);
    expect(search.includes.users.length).toBeGreaterThan(0);
    const metrics = (await (await api(`/2/tweets/${data.id}?tweet.fields=public_metrics,non_public_metrics`)).json()) as { data: { public_metrics: { reply_count: number }; non_public_metrics?: unknown } };
    expect(metrics.data.public_metrics.reply_count).toBe(2);
    expect(metrics.data.non_public_metrics).toBeDefined();
    const mentions = (await (await api(`/2/users/${seeded.accountId}/mentions?max_results=5`)).json()) as { data: { conversation_id: string }[] };
    expect(mentions.data.map((m) => m.conversation_id)).toContain(data.id);
    const stranger = await net.admin<{ accessToken: string }>('/accounts', { username: 'stranger' });
    expect((await api(`/2/tweets/${data.id}`, { method: 'DELETE', token: stranger.accessToken })).status).toBe(403);
    const deleted = await api(`/2/tweets/${data.id}`, { method: 'DELETE' });
    expect(await deleted.json()).toEqual({ data: { deleted: true } });
    expect(deleted.headers.get('x-rate-limit-limit')).toBe('50');
    expect(await (await api(`/2/tweets/${data.id}`, { method: 'DELETE' })).json()).toEqual({ data: { deleted: false } });
  });

  it('answers 429 with the exhausted window in its headers', async () => {
    await net.admin('/config', { postsPerUserPer15Min: 1 }, 'PATCH');
    await net.admin('/clock', { advanceMs: 16 * 60_000 });
    expect((await tweet({ text: 'first in window' })).status).toBe(201);
    const limited = await tweet({ text: 'second in window' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(await limited.json()).toMatchObject({ title: 'Too Many Requests', status: 429 });
    await net.admin('/config', { postsPerUserPer15Min: 100 }, 'PATCH');
  });

  it('survives malformed input with problem documents', async () => {
    const cases: [string, RequestInit][] = [
      ['/2/tweets', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text"' }],
      ['/2/tweets', { method: 'POST', ...jsonBody(['text']) }],
      ['/2/tweets', { method: 'POST', ...jsonBody({ text: 12 }) }],
      ['/2/tweets', { method: 'POST', ...jsonBody({ text: 'bad\uFFFF' }) }],
      ['/2/media/upload', { method: 'POST', ...form({ command: 'EXPLODE' }) }],
      ['/2/media/upload/initialize', { method: 'POST', ...jsonBody({ media_type: 'video/mp4', total_bytes: -1 }) }],
      ['/2/users/abc/tweets?max_results=1000', { method: 'GET' }],
      ['/2/oauth2/token', { method: 'POST', body: 'x' }],
      ['/2/nothing', { method: 'GET' }],
    ];
    for (const [path, init] of cases) {
      const response = await api(path, init);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body.title ?? body.error, path).toBeDefined();
    }
  });
});
