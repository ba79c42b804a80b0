import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApp, type TestApp } from './harness.js';

const INLINE = 'self.__boot=1';
const sha = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

function fakeExport(): string {
  const dir = mkdtempSync(join(tmpdir(), 'guddu-web-'));
  mkdirSync(join(dir, 'login'));
  mkdirSync(join(dir, '_next/static/chunks'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), `<!DOCTYPE html><html><body>home<script>${INLINE}</script><script src="/_next/static/chunks/app.js"></script></body></html>`);
  writeFileSync(join(dir, 'login/index.html'), '<!DOCTYPE html><html><body>sign in<script>self.__login=1</script></body></html>');
  writeFileSync(join(dir, '404.html'), '<!DOCTYPE html><html><body>not found</body></html>');
  writeFileSync(join(dir, '_next/static/chunks/app.js'), 'console.log(1)');
  return dir;
}

describe('the console served by the API server', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = fakeExport();
    t = await startTestApp({ GUDDU_WEB_DIR: dir });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves pages from the same origin, each allowing only its own inline scripts by hash', async () => {
    const home = await call(t, { method: 'GET', url: '/' });
    expect(home.statusCode).toBe(200);
    expect(home.headers['content-type']).toMatch(/^text\/html/);
    expect(home.body).toContain('home');
    const csp = String(home.headers['content-security-policy']);
    expect(csp).toContain(`script-src 'self' ${sha(INLINE)}`);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const login = await call(t, { method: 'GET', url: '/login/?next=%2Fmessages%2F' });
    expect(login.statusCode).toBe(200);
    expect(String(login.headers['content-security-policy'])).toContain(sha('self.__login=1'));
    expect(String(login.headers['content-security-policy'])).not.toContain(sha(INLINE));
    const bare = await call(t, { method: 'GET', url: '/login?next=%2F' });
    expect(bare.statusCode).toBe(308);
    expect(bare.headers.location).toBe('/login/?next=%2F');
  });

  it('caches hashed bundles for good and pages not at all', async () => {
    const js = await call(t, { method: 'GET', url: '/_next/static/chunks/app.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['cache-control']).toContain('immutable');
    expect((await call(t, { method: 'GET', url: '/' })).headers['cache-control']).toBe('no-cache');
  });

  it('answers an unknown console path with its 404 page, and an unknown API path with a problem as before', async () => {
    const page = await call(t, { method: 'GET', url: '/no/such/page' });
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('not found');
    const api = await call(t, { method: 'GET', url: '/api/v1/no-such-route' });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(api.json<{ code: string }>().code).toBe('route_not_found');
    const health = await call(t, { method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
  });

  it('leaves 405 to the API: the console catch-all does not turn an unknown POST into a wrong method', async () => {
    const unknown = await call(t, { method: 'POST', url: '/api/v1/no-such-route', payload: {} });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<{ code: string }>().code).toBe('route_not_found');
    const page = await call(t, { method: 'DELETE', url: '/no/such/page' });
    expect(page.statusCode).toBe(404);
    const wrong = await call(t, { method: 'PUT', url: '/api/v1/setup', payload: {} });
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers.allow).toContain('POST');
  });

  it('says how to build the console when the export is absent', async () => {
    const bare = await startTestApp({ GUDDU_WEB_DIR: join(dir, 'missing') });
    try {
      const res = await call(bare, { method: 'GET', url: '/' });
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain('npm run build -w web');
    } finally {
      await bare.close();
    }
  });
});
