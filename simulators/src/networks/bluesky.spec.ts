import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonBody, startNetwork, type StartedNetwork } from '../testing/start-network.js';
import { tid } from '../harness/ids.js';
import { bluesky } from './bluesky.js';

describe('Bluesky simulator', () => {
  let net: StartedNetwork;
  let session: { accessJwt: string; refreshJwt: string; did: string };
  const xrpc = (nsid: string, init: RequestInit & { token?: string } = {}) =>
    fetch(`${net.base}/xrpc/${nsid}`, { ...init, headers: { authorization: `Bearer ${init.token ?? session.accessJwt}`, ...(init.headers as Record<string, string>) } });
  const post = (record: Record<string, unknown>, rkey?: string) =>
    xrpc('com.atproto.repo.createRecord', { method: 'POST', ...jsonBody({ repo: session.did, collection: 'app.bsky.feed.post', rkey, record: { $type: 'app.bsky.feed.post', createdAt: new Date().toISOString(), ...record } }) });

  beforeAll(async () => {
    net = await startNetwork(bluesky);
    const seeded = await net.admin<{ handle: string; appPassword: string }>('/accounts', { handle: 'ministry.bsky.social' });
    const created = await fetch(`${net.base}/xrpc/com.atproto.server.createSession`, { method: 'POST', ...jsonBody({ identifier: seeded.handle, password: seeded.appPassword }) });
    expect(created.status).toBe(200);
    expect(created.headers.get('ratelimit-policy')).toBe('30;w=300');
    session = (await created.json()) as typeof session;
  });
  afterAll(() => net.close());

  it('refuses a wrong app password with AuthenticationRequired', async () => {
    const response = await fetch(`${net.base}/xrpc/com.atproto.server.createSession`, { method: 'POST', ...jsonBody({ identifier: 'ministry.bsky.social', password: 'nope' }) });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'AuthenticationRequired', message: 'Invalid identifier or password' });
  });

  it('creates a post with a client rkey; the same rkey never makes a second post; getRecord reconciles', async () => {
    const rkey = tid(Date.now());
    const text = 'नमस्ते 👋 see https://example.org';
    const linkStart = Buffer.byteLength('नमस्ते 👋 see ');
    const facets = [{ index: { byteStart: linkStart, byteEnd: linkStart + Buffer.byteLength('https://example.org') }, features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://example.org' }] }];
    const created = await post({ text, facets, langs: ['hi'] }, rkey);
    expect(created.status).toBe(200);
    expect(created.headers.get('ratelimit-policy')).toBe('5000;w=3600');
    const body = (await created.json()) as { uri: string; cid: string; commit: unknown };
    expect(body.uri).toBe(`at://${session.did}/app.bsky.feed.post/${rkey}`);
    const retry = await post({ text, facets }, rkey);
    expect(retry.status).toBe(400);
    expect(((await retry.json()) as { error: string }).error).toBe('InvalidRequest');
    const found = await xrpc(`com.atproto.repo.getRecord?repo=${session.did}&collection=app.bsky.feed.post&rkey=${rkey}`);
    expect(((await found.json()) as { value: { text: string } }).value.text).toBe(text);
    const missing = await xrpc(`com.atproto.repo.getRecord?repo=${session.did}&collection=app.bsky.feed.post&rkey=${tid(Date.now() + 5)}`);
    expect(await missing.json()).toMatchObject({ error: 'RecordNotFound' });
    expect((await net.admin<{ duplicates: unknown[] }>('/duplicates')).duplicates).toEqual([]);
  });

  it('after a commit-then-timeout, getRecord by the chosen rkey shows the post exists', async () => {
    const rkey = tid(Date.now() + 60_000);
    await net.admin('/faults', { method: 'POST', path: 'createRecord$', times: 1, action: { kind: 'commit-then-timeout', holdMs: 2000 } });
    const lost = xrpc('com.atproto.repo.createRecord', { method: 'POST', signal: AbortSignal.timeout(300), ...jsonBody({ repo: session.did, collection: 'app.bsky.feed.post', rkey, record: { $type: 'app.bsky.feed.post', text: 'lost answer', createdAt: new Date().toISOString() } }) });
    await expect(lost).rejects.toThrow();
    const found = await xrpc(`com.atproto.repo.getRecord?repo=${session.did}&collection=app.bsky.feed.post&rkey=${rkey}`);
    expect(found.status).toBe(200);
    const log = await net.admin<{ entries: { fault?: string }[] }>('/log?path=createRecord');
    expect(log.entries.some((entry) => entry.fault === 'commit-then-timeout')).toBe(true);
  });

  it('validates the record: graphemes, facet byte ranges, langs', async () => {
    expect((await post({ text: 'é'.repeat(301) })).status).toBe(400);
    expect((await post({ text: '👋'.repeat(300) })).status).toBe(200);
    const outside = await post({ text: 'hé', facets: [{ index: { byteStart: 0, byteEnd: 4 }, features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'x' }] }] });
    expect(outside.status).toBe(400);
    expect(((await outside.json()) as { message: string }).message).toContain('UTF-8');
    expect((await post({ text: 'hi', langs: ['en', 'hi', 'ta', 'bn'] })).status).toBe(400);
    expect((await post({ text: 'no date', createdAt: 'yesterday' })).status).toBe(400);
  });

  it('accepts an uploaded image blob, and refuses one collected after the GC window', async () => {
    const upload = async () =>
      ((await (await xrpc('com.atproto.repo.uploadBlob', { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: randomBytes(1000) })).json()) as { blob: unknown }).blob;
    const blob = await upload();
    expect((await post({ text: 'photo', embed: { $type: 'app.bsky.embed.images', images: [{ alt: 'a photo', image: blob }] } })).status).toBe(200);
    const stale = await upload();
    await net.admin('/clock', { advanceMs: 11 * 60_000 });
    const late = await post({ text: 'late photo', embed: { $type: 'app.bsky.embed.images', images: [{ alt: '', image: stale }] } });
    expect(late.status).toBe(400);
    expect(((await late.json()) as { message: string }).message).toContain('Could not find blob');
  });

  it('runs the video job state machine to a blob the post can embed', async () => {
    const auth = (await (await xrpc(`com.atproto.server.getServiceAuth?aud=did:web:pds.test&lxm=com.atproto.repo.uploadBlob&exp=${Math.floor(Date.now() / 1000) + 1800}`)).json()) as { token: string };
    const started = await fetch(`${net.base}/xrpc/app.bsky.video.uploadVideo?did=${session.did}&name=clip.mp4`, { method: 'POST', headers: { authorization: `Bearer ${auth.token}`, 'content-type': 'video/mp4' }, body: randomBytes(4096) });
    const { jobStatus } = (await started.json()) as { jobStatus: { jobId: string; state: string } };
    expect(jobStatus.state).toBe('JOB_STATE_CREATED');
    let status: { state: string; blob?: unknown } = jobStatus;
    for (let i = 0; i < 6 && status.state !== 'JOB_STATE_COMPLETED'; i += 1) {
      status = ((await (await xrpc(`app.bsky.video.getJobStatus?jobId=${jobStatus.jobId}`)).json()) as { jobStatus: typeof status }).jobStatus;
    }
    expect(status.state).toBe('JOB_STATE_COMPLETED');
    expect((await post({ text: 'video', embed: { $type: 'app.bsky.embed.video', video: status.blob } })).status).toBe(200);
  });

  it('gives a reply the same URI on every read, in the thread and the notifications, seeded ones too (a re-read is not a new reply)', async () => {
    const { uri } = (await (await post({ text: 'listen to me' })).json()) as { uri: string };
    await net.admin('/clock', { freeze: true });
    try {
      await net.admin('/engagement', { postId: uri, comments: [{ text: 'first seed', author: 'asha' }] });
      await net.admin('/engagement', { postId: uri, comments: [{ text: 'second seed, same millisecond', author: 'asha' }] });
      const thread = async () => ((await (await xrpc(`app.bsky.feed.getPostThread?uri=${encodeURIComponent(uri)}`)).json()) as { thread: { replies: { post: { uri: string } }[] } }).thread.replies.map((r) => r.post.uri);
      const first = await thread();
      expect(first).toHaveLength(2);
      expect(new Set(first).size).toBe(2);
      expect(await thread()).toEqual(first);
      const notified = ((await (await xrpc('app.bsky.notification.listNotifications?reasons=reply&limit=100')).json()) as { notifications: { uri: string; reasonSubject: string }[] }).notifications.filter((n) => n.reasonSubject === uri).map((n) => n.uri);
      expect(notified.sort()).toEqual([...first].sort());
    } finally {
      await net.admin('/clock', { freeze: false });
    }
  });

  it('deletes idempotently: commit only when something was deleted', async () => {
    const { uri } = (await (await post({ text: 'retract me' })).json()) as { uri: string };
    const rkey = uri.split('/').pop() ?? '';
    await net.admin('/clock', { advanceMs: 10 * 60_000 });
    const thread = (await (await xrpc(`app.bsky.feed.getPostThread?uri=${encodeURIComponent(uri)}`)).json()) as { thread: { replies: unknown[] } };
    expect(thread.thread.replies).toHaveLength(1);
    const notifications = (await (await xrpc('app.bsky.notification.listNotifications?reasons=reply&limit=10')).json()) as { notifications: { reasonSubject: string }[] };
    expect(notifications.notifications.map((n) => n.reasonSubject)).toContain(uri);
    const del = () => xrpc('com.atproto.repo.deleteRecord', { method: 'POST', ...jsonBody({ repo: session.did, collection: 'app.bsky.feed.post', rkey }) });
    expect(await (await del()).json()).toHaveProperty('commit');
    expect(await (await del()).json()).toEqual({});
    expect(((await (await xrpc(`app.bsky.feed.getPosts?uris=${encodeURIComponent(uri)}`)).json()) as { posts: unknown[] }).posts).toEqual([]);
  });

  it('answers 400 ExpiredToken for an expired access token and rotates refresh tokens', async () => {
    await net.admin('/clock', { advanceMs: 121 * 60_000 });
    const expired = await xrpc('com.atproto.server.getSession');
    expect(expired.status).toBe(400);
    expect(await expired.json()).toEqual({ error: 'ExpiredToken', message: 'Token has expired' });
    const refreshed = await xrpc('com.atproto.server.refreshSession', { method: 'POST', token: session.refreshJwt });
    const next = (await refreshed.json()) as typeof session;
    expect(next.refreshJwt).not.toBe(session.refreshJwt);
    const reused = await xrpc('com.atproto.server.refreshSession', { method: 'POST', token: session.refreshJwt });
    expect(await reused.json()).toEqual({ error: 'ExpiredToken', message: 'Token has been revoked' });
    session = next;
    expect((await xrpc('com.atproto.server.getSession')).status).toBe(200);
  });

  it('refuses writes with 429 RateLimitExceeded once the hourly points are spent', async () => {
    await net.admin('/config', { writePointsPerHour: 4 }, 'PATCH');
    await net.admin('/clock', { advanceMs: 3_600_001 });
    expect((await post({ text: 'one' })).status).toBe(200);
    const limited = await post({ text: 'two' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    await net.admin('/config', { writePointsPerHour: 5000 }, 'PATCH');
  });

  it('survives malformed input with XRPC error bodies', async () => {
    const cases: [string, RequestInit][] = [
      ['com.atproto.repo.createRecord', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }],
      ['com.atproto.repo.createRecord', { method: 'POST', ...jsonBody({ repo: session.did }) }],
      ['com.atproto.repo.createRecord', { method: 'POST', ...jsonBody({ repo: session.did, collection: 'app.bsky.feed.post', record: { text: 5 } }) }],
      ['com.atproto.repo.createRecord', { method: 'POST', ...jsonBody({ repo: session.did, collection: 'app.bsky.feed.post', rkey: 'not a tid', record: { text: 'x', createdAt: new Date().toISOString() } }) }],
      ['com.atproto.repo.createRecord', { method: 'POST', ...jsonBody({ repo: session.did, collection: 'app.bsky.feed.post', record: { text: 'x', createdAt: new Date().toISOString(), embed: { $type: 'app.bsky.embed.images', images: [{ alt: 'x', image: { $type: 'blob', ref: 7 } }] } } }) }],
      ['com.atproto.repo.deleteRecord', { method: 'POST', ...jsonBody([]) }],
      ['app.bsky.feed.getPostThread?uri=at://nope&depth=-1', { method: 'GET' }],
      ['com.atproto.server.createSession', { method: 'POST', ...jsonBody({ identifier: 3 }) }],
      ['app.bsky.unknown.method', { method: 'GET' }],
    ];
    for (const [nsid, init] of cases) {
      const response = await xrpc(nsid, init);
      expect(response.status, nsid).toBeGreaterThanOrEqual(400);
      expect(response.status, nsid).toBeLessThan(500);
      expect(await response.json(), nsid).toHaveProperty('error');
    }
  });
});
