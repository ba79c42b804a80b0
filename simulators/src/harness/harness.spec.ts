import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimHarness } from './harness.js';
import { json, Reply } from './http.js';
import { type NetworkFactory } from './network.js';
import { SimServer } from './sim-server.js';

// A one-endpoint network, so the harness is proven apart from any real contract.
const echo: NetworkFactory = ({ harness, limiter }) => {
  const config = { postsPerWindow: 3 };
  let posts = 0;
  return {
    name: 'mastodon',
    config,
    routes: [
      {
        method: 'POST',
        pattern: '/posts',
        handler: () => {
          const window = limiter.take('posts', { kind: 'fixed', limit: config.postsPerWindow, windowMs: 60_000 });
          if (!window.allowed) throw new Reply(json(429, { error: 'slow down' }));
          posts += 1;
          harness.ledger.record({ network: 'mastodon', account: 'a', id: String(posts), text: 'same', createdAt: harness.clock.now() });
          return json(200, { id: String(posts) });
        },
      },
      { method: 'GET', pattern: '/boom', handler: () => { throw new Error('bug'); } },
    ],
    errorResponse: (status) => json(status, { error: `status ${status}` }),
    rateLimitedResponse: () => json(429, { error: 'Too many requests' }),
    seedAccount: () => ({ accountId: 'a' }),
    addEngagement: () => false,
    describe: () => ({ posts }),
    reset: () => { posts = 0; },
  };
};

describe('simulator harness', () => {
  const harness = new SimHarness({ seed: 7 });
  const sim = new SimServer(harness, echo);
  let base = '';
  const admin = (path: string, body?: unknown, method = 'POST') =>
    fetch(`${base}/__sim${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  beforeAll(async () => {
    base = await sim.listen();
  });
  afterAll(() => sim.close());

  it('listens on a loopback port chosen by the system', () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers an injected 5xx in the network shape, then lets the next call through', async () => {
    await admin('/faults', { method: 'POST', path: '^/posts$', times: 1, action: { kind: 'status', status: 503 } });
    const failed = await fetch(`${base}/posts`, { method: 'POST' });
    expect(failed.status).toBe(503);
    expect(await failed.json()).toEqual({ error: 'status 503' });
    expect((await fetch(`${base}/posts`, { method: 'POST' })).status).toBe(200);
  });

  it('resets the connection when told to', async () => {
    await admin('/faults', { path: '^/posts$', times: 1, action: { kind: 'reset' } });
    await expect(fetch(`${base}/posts`, { method: 'POST' })).rejects.toThrow();
  });

  it('commits the write but never answers on commit-then-timeout', async () => {
    const before = ((await (await admin('/posts', undefined, 'GET')).json()) as { count: number }).count;
    await admin('/faults', { path: '^/posts$', times: 1, action: { kind: 'commit-then-timeout', holdMs: 5_000 } });
    await expect(fetch(`${base}/posts`, { method: 'POST', signal: AbortSignal.timeout(300) })).rejects.toThrow();
    const after = (await (await admin('/posts', undefined, 'GET')).json()) as { count: number };
    expect(after.count).toBe(before + 1);
    const log = (await (await admin('/log?path=%5E/posts%24', undefined, 'GET')).json()) as { entries: { fault?: string }[] };
    expect(log.entries.map((entry) => entry.fault)).toContain('commit-then-timeout');
  });

  it('delays a request and still answers it', async () => {
    await admin('/faults', { path: '^/posts$', times: 1, action: { kind: 'delay', ms: 150 } });
    const started = Date.now();
    await admin('/config', { postsPerWindow: 100 }, 'PATCH');
    const response = await fetch(`${base}/posts`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('counts duplicates across created posts', async () => {
    const body = (await (await admin('/duplicates', undefined, 'GET')).json()) as { duplicates: { ids: string[] }[] };
    expect(body.duplicates[0]?.ids.length).toBeGreaterThan(1);
  });

  it('rate limits in a window that the controllable clock resets', async () => {
    await admin('/config', { postsPerWindow: 1 }, 'PATCH');
    await admin('/clock', { advanceMs: 61_000 });
    expect((await fetch(`${base}/posts`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(`${base}/posts`, { method: 'POST' })).status).toBe(429);
    await admin('/clock', { advanceMs: 61_000 });
    expect((await fetch(`${base}/posts`, { method: 'POST' })).status).toBe(200);
  });

  it('turns a handler crash into the network 500 shape', async () => {
    const response = await fetch(`${base}/boom`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'status 500' });
  });

  it('refuses bad admin input with a problem document', async () => {
    const badRule = await admin('/faults', { action: { kind: 'explode' } });
    expect(badRule.status).toBe(400);
    expect(badRule.headers.get('content-type')).toContain('application/problem+json');
    expect(((await badRule.json()) as { code: string }).code).toBe('invalid_fault_rule');
    const notJson = await fetch(`${base}/__sim/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(notJson.status).toBe(400);
    const badConfig = await admin('/config', { postsPerWindow: 'many' }, 'PATCH');
    expect(badConfig.status).toBe(400);
  });
});
