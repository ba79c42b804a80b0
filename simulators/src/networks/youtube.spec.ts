import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeRedirect, form, jsonBody, startNetwork, type StartedNetwork } from '../testing/start-network.js';
import { youtube } from './youtube.js';

interface GoogleError {
  error: { code: number; errors: { reason: string; domain: string }[] };
}

describe('YouTube simulator', () => {
  let net: StartedNetwork;
  let seeded: { channelId: string; accessToken: string; refreshToken: string };
  const api = (path: string, init: RequestInit & { token?: string } = {}) =>
    fetch(path.startsWith('http') ? path : `${net.base}${path}`, { ...init, headers: { authorization: `Bearer ${init.token ?? seeded.accessToken}`, ...(init.headers as Record<string, string>) } });
  const start = (size: number, snippet: Record<string, unknown> = { title: 'Press briefing' }, status: Record<string, unknown> = { privacyStatus: 'public' }) =>
    api('/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status', { method: 'POST', ...jsonBody({ snippet, status }, { 'x-upload-content-length': String(size), 'x-upload-content-type': 'video/mp4' }) });

  const advance = async (ms: number) => {
    await net.admin('/clock', { advanceMs: ms });
    const fresh = (await (await fetch(`${net.base}/token`, { method: 'POST', ...form({ grant_type: 'refresh_token', refresh_token: seeded.refreshToken, client_id: 'sandbox-client', client_secret: 'sandbox-secret' }) })).json()) as { access_token: string };
    seeded = { ...seeded, accessToken: fresh.access_token };
  };

  beforeAll(async () => {
    net = await startNetwork(youtube);
    seeded = await net.admin('/accounts', { title: 'Ministry Channel' });
  });
  afterAll(() => net.close());

  it('gives a refresh token only offline and on first consent; refresh does not rotate; revoke kills it', async () => {
    const code = async (extra: string) => (await authorizeRedirect(`${net.base}/o/oauth2/v2/auth?client_id=sandbox-client&redirect_uri=${encodeURIComponent('https://guddu.test/cb')}&response_type=code&scope=${encodeURIComponent('https://www.googleapis.com/auth/youtube.upload https://www.googleapis.com/auth/youtube.readonly')}&state=s&sim_account=${seeded.channelId}${extra}`)).searchParams.get('code') ?? '';
    const exchange = async (c: string) => (await (await fetch(`${net.base}/token`, { method: 'POST', ...form({ code: c, client_id: 'sandbox-client', client_secret: 'sandbox-secret', redirect_uri: 'https://guddu.test/cb', grant_type: 'authorization_code' }) })).json()) as Record<string, unknown>;
    const first = await exchange(await code('&access_type=offline'));
    expect(first).toHaveProperty('refresh_token');
    expect(first.expires_in).toBe(3599);
    expect(await exchange(await code('&access_type=offline'))).not.toHaveProperty('refresh_token');
    expect(await exchange(await code('&access_type=offline&prompt=consent'))).toHaveProperty('refresh_token');
    const refresh = (token: string) => fetch(`${net.base}/token`, { method: 'POST', ...form({ grant_type: 'refresh_token', refresh_token: token, client_id: 'sandbox-client', client_secret: 'sandbox-secret' }) });
    const refreshed = (await (await refresh(String(first.refresh_token))).json()) as Record<string, unknown>;
    expect(refreshed).not.toHaveProperty('refresh_token');
    expect((await refresh(String(first.refresh_token))).status).toBe(200);
    await fetch(`${net.base}/revoke`, { method: 'POST', ...form({ token: String(first.refresh_token) }) });
    const dead = await refresh(String(first.refresh_token));
    expect(await dead.json()).toEqual({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
  });

  it('uploads in 256 KiB chunks with 308 + Range, then 201 with the video', async () => {
    const session = await start(300_000);
    expect(session.status).toBe(200);
    const location = session.headers.get('location') ?? '';
    const bytes = randomBytes(300_000);
    const first = await api(location, { method: 'PUT', headers: { 'content-range': 'bytes 0-262143/300000' }, body: bytes.subarray(0, 262_144) });
    expect(first.status).toBe(308);
    expect(first.headers.get('range')).toBe('bytes=0-262143');
    const last = await api(location, { method: 'PUT', headers: { 'content-range': 'bytes 262144-299999/300000' }, body: bytes.subarray(262_144) });
    expect(last.status).toBe(201);
    const video = (await last.json()) as { id: string; status: { uploadStatus: string; privacyStatus: string } };
    expect(video.id).toMatch(/^[\w-]{11}$/);
    expect(video.status).toMatchObject({ uploadStatus: 'uploaded', privacyStatus: 'public' });
  });

  it('refuses a non-final chunk that is not a multiple of 256 KiB', async () => {
    const location = (await start(400_000)).headers.get('location') ?? '';
    const bad = await api(location, { method: 'PUT', headers: { 'content-range': 'bytes 0-99999/400000' }, body: randomBytes(100_000) });
    expect(bad.status).toBe(400);
  });

  it('reveals a finished upload through a bytes */N status query after the answer was lost', async () => {
    const location = (await start(1000, { title: 'Lost answer' })).headers.get('location') ?? '';
    await net.admin('/faults', { method: 'PUT', path: '^/upload/youtube/v3/videos$', times: 1, action: { kind: 'commit-then-timeout', holdMs: 2000 } });
    await expect(api(location, { method: 'PUT', body: randomBytes(1000), signal: AbortSignal.timeout(300) })).rejects.toThrow();
    const query = await api(location, { method: 'PUT', headers: { 'content-range': 'bytes */1000' } });
    expect(query.status).toBe(200);
    expect(((await query.json()) as { snippet: { title: string } }).snippet.title).toBe('Lost answer');
    expect((await net.admin<{ count: number }>('/posts')).count).toBeGreaterThan(0);
  });

  it('processes uploads, rejects a duplicate upload, and reports statistics as strings', async () => {
    const bytes = randomBytes(2000);
    const upload = async (title: string) => {
      const location = (await start(2000, { title })).headers.get('location') ?? '';
      return ((await (await api(location, { method: 'PUT', body: bytes })).json()) as { id: string }).id;
    };
    const original = await upload('Original');
    const copy = await upload('Copy');
    const list = async () => ((await (await api(`/youtube/v3/videos?part=status,statistics&id=${original},${copy}`)).json()) as { items: { status: { uploadStatus: string; rejectionReason?: string }; statistics: { viewCount: string } }[] }).items;
    expect((await list()).map((v) => v.status.uploadStatus)).toEqual(['uploaded', 'uploaded']);
    const after = await list();
    expect(after[0]?.status.uploadStatus).toBe('processed');
    expect(after[1]?.status).toMatchObject({ uploadStatus: 'rejected', rejectionReason: 'duplicate' });
    expect(after[0]?.statistics.viewCount).toBeTypeOf('string');
  });

  it('validates metadata with YouTube reasons', async () => {
    const reason = async (response: Response) => ((await response.json()) as GoogleError).error.errors[0]?.reason;
    expect(await reason(await start(10, { title: 'a <b>' }))).toBe('invalidTitle');
    expect(await reason(await start(10, { title: 'x'.repeat(101) }))).toBe('invalidTitle');
    expect(await reason(await start(10, { title: 'ok', tags: ['t'.repeat(501)] }))).toBe('invalidTags');
    expect(await reason(await start(10, { title: 'ok' }, { privacyStatus: 'public', publishAt: '2030-01-01T00:00:00Z' }))).toBe('invalidPublishAt');
  });

  it('spends quota in the units model and answers 403 quotaExceeded', async () => {
    await net.admin('/config', { quotaModel: 'units1600', unitsPerDay: 3300 }, 'PATCH');
    await advance(86_400_000);
    expect((await start(10, { title: 'one' })).status).toBe(200);
    expect((await start(10, { title: 'two' })).status).toBe(200);
    const refused = await start(10, { title: 'three' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as GoogleError).error.errors[0]).toMatchObject({ reason: 'quotaExceeded', domain: 'youtube.quota' });
    await net.admin('/config', { quotaModel: 'buckets', unitsPerDay: 10_000 }, 'PATCH');
    await advance(86_400_000);
  });

  it('locks uploads to private for an unverified project', async () => {
    await net.admin('/config', { projectVerified: false }, 'PATCH');
    const location = (await start(10, { title: 'private please' })).headers.get('location') ?? '';
    const video = (await (await api(location, { method: 'PUT', body: randomBytes(10) })).json()) as { status: { privacyStatus: string } };
    expect(video.status.privacyStatus).toBe('private');
    await net.admin('/config', { projectVerified: true }, 'PATCH');
  });

  it('lists uploads for reconciliation, grows comment threads, and deletes with 204 then 404', async () => {
    const location = (await start(50, { title: 'Retract me' })).headers.get('location') ?? '';
    const { id } = (await (await api(location, { method: 'PUT', body: randomBytes(50) })).json()) as { id: string };
    const channel = (await (await api('/youtube/v3/channels?part=contentDetails,statistics&mine=true')).json()) as { items: { contentDetails: { relatedPlaylists: { uploads: string } } }[] };
    const uploads = channel.items[0]?.contentDetails.relatedPlaylists.uploads ?? '';
    const items = (await (await api(`/youtube/v3/playlistItems?part=snippet&playlistId=${uploads}&maxResults=5`)).json()) as { items: { snippet: { title: string; resourceId: { videoId: string } } }[] };
    expect(items.items[0]?.snippet.resourceId.videoId).toBe(id);
    await advance(20 * 60_000);
    const threads = (await (await api(`/youtube/v3/commentThreads?part=snippet&videoId=${id}`)).json()) as { items: unknown[] };
    expect(threads.items).toHaveLength(2);
    expect((await api(`/youtube/v3/commentThreads?part=snippet&videoId=${id}&allThreadsRelatedToChannelId=x`)).status).toBe(400);
    expect((await api(`/youtube/v3/videos?id=${id}`, { method: 'DELETE' })).status).toBe(204);
    const again = await api(`/youtube/v3/videos?id=${id}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(((await again.json()) as GoogleError).error.errors[0]?.reason).toBe('videoNotFound');
  });

  it('answers 401 authError for an expired token', async () => {
    await net.admin('/clock', { advanceMs: 3_600_000 });
    const expired = await api('/youtube/v3/channels?part=id&mine=true');
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as GoogleError).error.errors[0]?.reason).toBe('authError');
    const fresh = (await (await fetch(`${net.base}/token`, { method: 'POST', ...form({ grant_type: 'refresh_token', refresh_token: seeded.refreshToken, client_id: 'sandbox-client', client_secret: 'sandbox-secret' }) })).json()) as { access_token: string };
    seeded = { ...seeded, accessToken: fresh.access_token };
    expect((await api('/youtube/v3/channels?part=id&mine=true')).status).toBe(200);
  });

  it('survives malformed input with Google error bodies', async () => {
    const cases: [string, RequestInit][] = [
      ['/upload/youtube/v3/videos?uploadType=resumable&part=snippet', { method: 'POST', headers: { 'content-type': 'application/json', 'x-upload-content-length': '5' }, body: '{' }],
      ['/upload/youtube/v3/videos?uploadType=resumable&part=snippet', { method: 'POST', ...jsonBody({ snippet: 'x' }, { 'x-upload-content-length': 'lots' }) }],
      ['/upload/youtube/v3/videos?upload_id=nope', { method: 'PUT', body: 'x' }],
      ['/youtube/v3/videos', { method: 'GET' }],
      ['/youtube/v3/commentThreads?part=snippet&videoId=x&maxResults=1000', { method: 'GET' }],
      ['/youtube/v3/playlistItems?part=snippet&playlistId=PLnope', { method: 'GET' }],
      ['/token', { method: 'POST', body: 'x' }],
    ];
    for (const [path, init] of cases) {
      const response = await api(path, init);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body.error, path).toBeDefined();
    }
  });
});
