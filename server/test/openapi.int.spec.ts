import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageVersion } from '../src/cli-version.js';
import { buildOpenApi } from '../src/platform/http/openapi.js';
import { routeCatalog } from '../src/platform/http/route-catalog.js';
import { startTestApp, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

type Operation = { security: unknown[]; 'x-guddu-permission': string; requestBody?: unknown };

describe('OpenAPI document', () => {
  it('the committed server/openapi.json matches the code (regenerate with `npm run openapi`)', () => {
    const committed: unknown = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'));
    expect(buildOpenApi(t.app, packageVersion())).toEqual(committed);
  });

  it('documents every route, with its permission, and security on every non-public one', () => {
    const doc = buildOpenApi(t.app, packageVersion()) as { openapi: string; paths: Record<string, Record<string, Operation>> };
    expect(doc.openapi).toBe('3.1.0');
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p));
    expect(ops.length).toBe(routeCatalog(t.app).length);
    for (const op of ops) {
      expect(op['x-guddu-permission']).toBeTruthy();
      // Either a Bearer token or the console's session cookie.
      expect(op.security).toEqual(op['x-guddu-permission'] === 'public' ? [] : [{ bearer: [] }, { consoleCookie: [] }]);
    }
    expect(doc.paths['/api/v1/auth/login']?.post?.requestBody).toBeDefined();
  });
});
