import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeRedirect, form, jsonBody, startNetwork, type StartedNetwork } from '../testing/start-network.js';
import { mastodon } from './mastodon.js';

describe('Mastodon simulator', () => {
  let net: StartedNetwork;
  let token = '';
  const api = (path: string, init: RequestInit = {}) => fetch(`${net.base}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } });

  beforeAll(async () => {
    net = await startNetwork(mastodon);
  });
  afterAll(() => net.close());

  it('registers an app, authorises with S256 PKCE and issues a token that never expires', async () => {
    const app = (await (await fetch(`${net.base}/api/v1/apps`, { method: 'POST', ...form({ client_name: 'Guddu', redirect_uris: 'https://guddu.test/cb', scopes: 'read write' }) })).json()) as { client_id: string; client_secret: string };
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const url = `${net.base}/oauth/authorize?response_type=code&client_id=${app.client_id}&redirect_uri=${encodeURIComponent('https://guddu.test/cb')}&scope=read%20write&state=s1&code_challenge=${challenge}&code_challenge_method=S256`;
    const back = await authorizeRedirect(url);
    expect(back.searchParams.get('state')).toBe('s1');
    const exchange = (fields: Record<string, string>) => fetch(`${net.base}/oauth/token`, { method: 'POST', ...form({ grant_type: 'authorization_code', client_id: app.client_id, client_secret: app.client_secret, redirect_uri: 'https://guddu.test/cb', code: back.searchParams.get('code') ?? '', ...fields }) });
    const issued = (await (await exchange({ code_verifier: verifier })).json()) as Record<string, unknown>;
    expect(issued).toMatchObject({ token_type: 'Bearer', scope: 'read write' });
    expect(issued).not.toHaveProperty('expires_in');
    expect(issued).not.toHaveProperty('refresh_token');
    token = String(issued.access_token);
    await net.admin('/clock', { advanceMs: 400 * 86_400_000 });
    expect((await api('/api/v1/accounts/verify_credentials')).status).toBe(200);
    const reused = await exchange({ code_verifier: verifier });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses plain PKCE and a wrong verifier', async () => {
    const plain = await fetch(`${net.base}/oauth/authorize?response_type=code&client_id=sandbox-client&redirect_uri=https://a.test/cb&code_challenge=abc&code_challenge_method=plain`, { redirect: 'manual' });
    expect(plain.status).toBe(400);
    const back = await authorizeRedirect(`${net.base}/oauth/authorize?response_type=code&client_id=sandbox-client&redirect_uri=https://a.test/cb&code_challenge=${createHash('sha256').update('right').digest('base64url')}&code_challenge_method=S256`);
    const wrong = await fetch(`${net.base}/oauth/token`, { method: 'POST', ...form({ grant_type: 'authorization_code', client_id: 'sandbox-client', client_secret: 'sandbox-secret', redirect_uri: 'https://a.test/cb', code: back.searchParams.get('code') ?? '', code_verifier: 'wrong' }) });
    expect(wrong.status).toBe(400);
  });

  it('replays a status for the same Idempotency-Key instead of posting twice', async () => {
    const post = () => api('/api/v1/statuses', { method: 'POST', ...jsonBody({ status: 'Polling stations open at 7 am https://eci.gov.in/x', visibility: 'public', language: 'en' }, { 'idempotency-key': 'delivery-1' }) });
    const first = await post();
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit')).toBe('300');
    expect(Date.parse(first.headers.get('x-ratelimit-reset') ?? '')).toBeGreaterThan(0);
    const again = await post();
    const a = (await first.json()) as { id: string; url: string };
    const b = (await again.json()) as { id: string };
    expect(b.id).toBe(a.id);
    expect(a.url).toContain(`/${a.id}`);
    expect((await net.admin<{ count: number }>('/posts')).count).toBe(1);
    await net.admin('/clock', { advanceMs: 3_600_001 });
    const later = (await (await post()).json()) as { id: string };
    expect(later.id).not.toBe(a.id);
  });

  it('after a commit-then-timeout, the same Idempotency-Key returns the status that was created', async () => {
    const before = (await net.admin<{ count: number }>('/posts')).count;
    await net.admin('/faults', { method: 'POST', path: '^/api/v1/statuses$', times: 1, action: { kind: 'commit-then-timeout', holdMs: 2000 } });
    const send = (signal?: AbortSignal) => api('/api/v1/statuses', { method: 'POST', signal, ...jsonBody({ status: 'Lost answer' }, { 'idempotency-key': 'delivery-lost' }) });
    await expect(send(AbortSignal.timeout(300))).rejects.toThrow();
    const retried = await send();
    expect(retried.status).toBe(200);
    const posts = await net.admin<{ count: number; posts: { id: string }[] }>('/posts');
    expect(posts.count).toBe(before + 1);
    expect(posts.posts.at(-1)?.id).toBe(((await retried.json()) as { id: string }).id);
  });

  it('answers validation failures with 422 and the Rails message', async () => {
    const blank = await api('/api/v1/statuses', { method: 'POST', ...form({ status: '   ' }) });
    expect(blank.status).toBe(422);
    expect(await blank.json()).toEqual({ error: "Validation failed: Text can't be blank" });
    expect((await api('/api/v1/statuses', { method: 'POST', ...form({ status: 'x'.repeat(501) }) })).status).toBe(422);
    // A URL counts 23 whatever its length.
    expect((await api('/api/v1/statuses', { method: 'POST', ...form({ status: `${'y'.repeat(470)} https://example.org/${'z'.repeat(200)}` }) })).status).toBe(200);
    expect((await api('/api/v1/statuses', { method: 'POST', ...form({ status: 'hi', visibility: 'everyone' }) })).status).toBe(422);
  });

  it('processes video asynchronously and refuses to attach it until ready', async () => {
    const body = new FormData();
    body.set('file', new Blob([randomBytes(2048)], { type: 'video/mp4' }), 'clip.mp4');
    body.set('description', 'A clip');
    const upload = await api('/api/v2/media', { method: 'POST', body });
    expect(upload.status).toBe(202);
    const item = (await upload.json()) as { id: string; url: string | null };
    expect(item.url).toBeNull();
    expect((await api('/api/v1/statuses', { method: 'POST', ...jsonBody({ status: 'clip', media_ids: [item.id] }) })).status).toBe(422);
    expect((await api(`/api/v1/media/${item.id}`)).status).toBe(206);
    expect((await api(`/api/v1/media/${item.id}`)).status).toBe(206);
    expect((await api(`/api/v1/media/${item.id}`)).status).toBe(200);
    const posted = await api('/api/v1/statuses', { method: 'POST', ...jsonBody({ status: 'clip', media_ids: [item.id] }) });
    expect(posted.status).toBe(200);
    expect(((await posted.json()) as { media_attachments: unknown[] }).media_attachments).toHaveLength(1);
  });

  it('reports failed processing as 422', async () => {
    const body = new FormData();
    body.set('file', new Blob([randomBytes(64)], { type: 'video/mp4' }), 'will-fail.mp4');
    const item = (await (await api('/api/v2/media', { method: 'POST', body })).json()) as { id: string };
    await api(`/api/v1/media/${item.id}`);
    await api(`/api/v1/media/${item.id}`);
    expect((await api(`/api/v1/media/${item.id}`)).status).toBe(422);
  });

  it('deletes a status once, then answers 404, and comments grow with the clock', async () => {
    const status = (await (await api('/api/v1/statuses', { method: 'POST', ...form({ status: 'to be retracted' }) })).json()) as { id: string };
    await net.admin('/clock', { advanceMs: 35 * 60_000 });
    const context = (await (await api(`/api/v1/statuses/${status.id}/context`)).json()) as { descendants: unknown[] };
    expect(context.descendants).toHaveLength(3);
    const counted = (await (await api(`/api/v1/statuses/${status.id}`)).json()) as { replies_count: number; favourites_count: number };
    expect(counted.replies_count).toBe(3);
    expect(counted.favourites_count).toBeGreaterThan(0);
    const deleted = await api(`/api/v1/statuses/${status.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(((await deleted.json()) as { text: string }).text).toBe('to be retracted');
    const again = await api(`/api/v1/statuses/${status.id}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(await again.json()).toEqual({ error: 'Record not found' });
  });

  it('answers 401 for a revoked token and 429 when the account budget is spent', async () => {
    const seeded = await net.admin<{ accessToken: string }>('/accounts', { username: 'limited' });
    await net.admin('/config', { requestsPer5Min: 2 }, 'PATCH');
    const call = () => fetch(`${net.base}/api/v1/accounts/verify_credentials`, { headers: { authorization: `Bearer ${seeded.accessToken}` } });
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(200);
    const limited = await call();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    await net.admin('/config', { requestsPer5Min: 300 }, 'PATCH');
    await net.admin('/tokens/revoke', { token: seeded.accessToken });
    const revoked = await call();
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toEqual({ error: 'The access token was revoked' });
  });

  it('survives malformed input with its own error shapes', async () => {
    const cases: [string, RequestInit][] = [
      ['/api/v1/statuses', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"status":' }],
      ['/api/v1/statuses', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x\r\nbroken' }],
      ['/api/v1/statuses', { method: 'POST', ...jsonBody({ status: 42, media_ids: 'nope' }) }],
      ['/api/v1/statuses/%E0%A4%A', { method: 'GET' }],
      ['/api/v2/media', { method: 'POST', ...form({ file: 'not a file' }) }],
      ['/oauth/token', { method: 'POST', body: 'garbage' }],
      ['/api/v1/apps', { method: 'POST', ...jsonBody([1, 2]) }],
      ['/nope', { method: 'GET' }],
    ];
    for (const [path, init] of cases) {
      const response = await api(path, init);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
      expect(await response.json(), path).toHaveProperty('error');
    }
  });
});
