import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';

// The default: no GUDDU_WEBHOOKS_ALLOW_PRIVATE. Names here resolve through the system resolver.
let t: TestApp;
let owner: Session;
beforeAll(async () => {
  t = await startTestApp({});
  ({ owner } = await seedRootOrg(t));
}, 120_000);
afterAll(() => t?.close());

describe('webhook URLs an organisation may register', () => {
  it('refuses plain http and every address inside the operator’s network, including a name that resolves to 127.0.0.1', async () => {
    for (const url of ['http://hooks.example.org/in', 'https://localhost/in', 'https://127.0.0.1/in', 'https://10.0.0.8/in', 'https://169.254.169.254/latest/meta-data', 'https://100.64.1.1/in', 'https://[::1]/in', 'https://192.168.1.1:8443/in']) {
      const res = await call(t, { method: 'POST', url: '/api/v1/webhooks', token: owner.accessToken, payload: { url, events: ['*'] } });
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toMatchObject({ code: 'webhook_url_not_allowed' });
    }
    const list = await call(t, { method: 'GET', url: '/api/v1/webhooks', token: owner.accessToken });
    expect(list.json<{ items: unknown[] }>().items).toEqual([]);
  });
});
