import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApp, type TestApp } from './harness.js';

// The running server describes itself: the committed OpenAPI document, and Swagger UI served
// from this origin only.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const committed = (): unknown => JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'));

describe('GET /api/openapi.json', () => {
  it('serves the committed document, without signing in', async () => {
    const res = await call(t, { method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json()).toEqual(committed());
  });

  it('is not a route of the document itself, and refuses other methods with 405', async () => {
    const doc = committed() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((p) => p === '/api/openapi.json' || p.startsWith('/api/docs'))).toEqual([]);
    const res = await call(t, { method: 'POST', url: '/api/openapi.json', payload: {} });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });
});

describe('GET /api/docs', () => {
  it('serves a Swagger UI page whose every script and style comes from this origin', async () => {
    const res = await call(t, { method: 'GET', url: '/api/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = res.body;
    expect(html).not.toMatch(/https?:\/\//);
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs).toEqual(expect.arrayContaining(['/api/docs/swagger-ui-bundle.js', '/api/docs/init.js', '/api/docs/swagger-ui.css']));
    for (const ref of refs) {
      const asset = await call(t, { method: 'GET', url: ref });
      expect(asset.statusCode, ref).toBe(200);
      expect(asset.rawPayload.length, ref).toBeGreaterThan(0);
    }
    expect((await call(t, { method: 'GET', url: '/api/docs/swagger-ui-bundle.js' })).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await call(t, { method: 'GET', url: '/api/docs/swagger-ui.css' })).headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('points Swagger UI at the served document, with the public validator off', async () => {
    const init = (await call(t, { method: 'GET', url: '/api/docs/init.js' })).body;
    expect(init).toContain('url: "/api/openapi.json"');
    expect(init).toContain('validatorUrl: null');
  });

  it('has a CSP that lets the page run from this origin and nothing else', async () => {
    const csp = String((await call(t, { method: 'GET', url: '/api/docs' })).headers['content-security-policy']);
    const directives: Record<string, string[]> = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name ?? '', values]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    // The API itself keeps the locked-down policy.
    expect((await call(t, { method: 'GET', url: '/api/openapi.json' })).headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('serves nothing else from the package folder', async () => {
    for (const path of ['/api/docs/package.json', '/api/docs/../package.json', '/api/docs/index.html']) {
      expect((await call(t, { method: 'GET', url: path })).statusCode, path).toBe(404);
    }
  });
});
