import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mastodon } from '../networks/mastodon.js';
import { x } from '../networks/x.js';
import { startNetwork, type StartedNetwork } from '../testing/start-network.js';

// A burst of 429s in a test must not mean waiting out a real 15-minute window: an injected
// rate-limit fault can say when the limit comes back, in the network's own headers.
describe('injected rate limits with a short reset', () => {
  let m: StartedNetwork;
  let xs: StartedNetwork;
  beforeAll(async () => {
    m = await startNetwork(mastodon);
    xs = await startNetwork(x);
  });
  afterAll(async () => {
    await m.close();
    await xs.close();
  });

  it('Mastodon and X say the limit returns after resetMs; without it, after their documented windows', async () => {
    const now = (await m.admin<{ now: number }>('')).now;
    await m.admin('/faults', { method: 'POST', path: '^/api/v1/statuses$', times: 1, action: { kind: 'rate-limit', resetMs: 3_000 } });
    const limited = await fetch(`${m.base}/api/v1/statuses`, { method: 'POST' });
    expect(limited.status).toBe(429);
    expect(Date.parse(limited.headers.get('x-ratelimit-reset') ?? '') - now).toBe(3_000);
    await m.admin('/faults', { method: 'POST', path: '^/api/v1/statuses$', times: 1, action: { kind: 'rate-limit' } });
    const documented = await fetch(`${m.base}/api/v1/statuses`, { method: 'POST' });
    expect(Date.parse(documented.headers.get('x-ratelimit-reset') ?? '') - now).toBe(5 * 60_000);

    const xNow = (await xs.admin<{ now: number }>('')).now;
    await xs.admin('/faults', { method: 'POST', path: '^/2/tweets$', times: 1, action: { kind: 'rate-limit', resetMs: 2_000 } });
    const xLimited = await fetch(`${xs.base}/2/tweets`, { method: 'POST' });
    expect(xLimited.status).toBe(429);
    expect(Number(xLimited.headers.get('x-rate-limit-reset')) * 1000 - xNow).toBeLessThanOrEqual(3_000);
  });

  it('a shortened window shows in every answer and in the documented 429', async () => {
    await m.admin('/config', { requestsWindowMs: 4_000 }, 'PATCH');
    const now = (await m.admin<{ now: number }>('')).now;
    await m.admin('/faults', { method: 'POST', path: '^/api/v1/statuses$', times: 1, action: { kind: 'rate-limit' } });
    const limited = await fetch(`${m.base}/api/v1/statuses`, { method: 'POST' });
    expect(Date.parse(limited.headers.get('x-ratelimit-reset') ?? '') - now).toBe(4_000);
    await m.admin('/config', { requestsWindowMs: 5 * 60_000 }, 'PATCH');
  });

  it('refuses a negative reset', async () => {
    await expect(m.admin('/faults', { action: { kind: 'rate-limit', resetMs: -1 } })).rejects.toThrow(/resetMs/);
  });
});
