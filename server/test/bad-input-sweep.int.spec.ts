import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { routeCatalog, type CatalogEntry } from '../src/platform/http/route-catalog.js';
import { call, login, seedRootOrg, startTestApp, type TestApp } from './harness.js';

// A property-style sweep: every route, hostile bodies, params and query strings, with and
// without a valid owner token. Whatever the answer, it is below 500 and, when an error, it is
// problem+json that agrees with the status line.

const SCRIPTS = 'नमस्ते दुनिया 🙏🏽 مرحبا بالعالم \u202Eevil\u202C 👩‍👩‍👧 ‮';
const LONG = `${'x'.repeat(99_999)}ज`;
const nested = (depth: number, open: string, leaf: string, close: string) => `${open.repeat(depth)}${leaf}${close.repeat(depth)}`;

/** The field names a route's body schema declares, so hostile values get past the unknown-field check. */
function fieldsOf(route: CatalogEntry): string[] {
  const body = route.spec?.body;
  return body instanceof z.ZodObject ? Object.keys(body.shape) : ['name'];
}

function hostileBodies(fields: string[]): [string, string][] {
  const filled = (value: unknown) => JSON.stringify(Object.fromEntries(fields.map((f) => [f, value])));
  return [
    ['10k-deep arrays', nested(10_000, '[', '', ']')],
    ['10k-deep objects', nested(10_000, '{"a":', '1', '}')],
    ['huge numbers', filled(1e308).replace(/1e\+308/g, '1e400')],
    ['integers beyond 2^64', filled(0).replace(/:0/g, ':123456789012345678901234567890')],
    ['an array where an object belongs', `[${filled('x')}]`],
    ['100k-character strings', filled(LONG)],
    ['emoji, Devanagari, Arabic, RTL overrides', filled(SCRIPTS)],
    ['null', 'null'],
    ['a boolean', 'true'],
    ['fields as booleans', filled(false)],
    ['fields as null', filled(null)],
    ['fields as objects', filled({ $gt: '' })],
    ['a bare string', JSON.stringify(SCRIPTS)],
    ['NUL characters', filled('a\u0000b')],
    ['a NUL 20k levels deep', nested(20_000, '[', '"\\u0000"', ']')],
  ];
}

const HOSTILE_QUERIES = [
  'limit=1e400&cursor=-1',
  'limit=-1&cursor=abc',
  'limit=',
  'action[$ne]=x',
  '__proto__[polluted]=1',
  'constructor[prototype][polluted]=1',
  'from=not-a-date&to=9999-99-99',
  `action=${encodeURIComponent(SCRIPTS)}*`,
  `targetId=${'x'.repeat(100_000)}`,
  'a=1&a=2&a=3',
  'cursor=99999999999999999999999',
  'action=%',
];

function hostileParams(ids: string[]): string[] {
  return [
    ...ids,
    randomUUID(),
    'not-a-uuid',
    encodeURIComponent('🙏🏽'),
    encodeURIComponent('नमस्ते'),
    encodeURIComponent('\u202E'),
    '..%2F..%2Fetc%2Fpasswd',
    '%00',
    '1e400',
    'null',
    'true',
    '-1',
    '00000000-0000-0000-0000-000000000000',
  ];
}

let t: TestApp;
let ownerEmail: string;
let knownIds: string[];
beforeAll(async () => {
  t = await startTestApp({ GUDDU_BODY_LIMIT_BYTES: String(1024 * 1024), GUDDU_LOGIN_MAX_ATTEMPTS_PER_IP: '100000' });
  const root = await seedRootOrg(t, 'Ministry of Sweeping');
  ownerEmail = root.ownerEmail;
  knownIds = [root.orgId, root.owner.userId];
});
afterAll(async () => t?.close());

interface Finding {
  request: string;
  status: number;
  why: string;
}

/** Statuses seen, to prove the sweep reaches the services and not only the validator. */
const seen = new Map<string, Set<number>>();

/** Sends one request and returns what, if anything, is wrong with the answer. */
async function probe(opts: { method: string; url: string; token?: string | undefined; payload?: string | object; headers?: Record<string, string> }): Promise<Finding | undefined> {
  const res = await call(t, opts);
  const key = opts.token ? 'owner' : 'anonymous';
  seen.set(key, (seen.get(key) ?? new Set()).add(res.statusCode));
  const request = `${opts.method} ${opts.url.slice(0, 120)}${opts.token ? ' (owner)' : ''}`;
  if (res.statusCode >= 500) return { request, status: res.statusCode, why: res.body.slice(0, 200) };
  if (res.statusCode < 400) return undefined;
  if (res.headers['content-type'] !== 'application/problem+json; charset=utf-8') {
    return { request, status: res.statusCode, why: `content-type ${String(res.headers['content-type'])}` };
  }
  const body = res.json<{ status?: unknown; code?: unknown; type?: unknown; correlationId?: unknown }>();
  if (body.status !== res.statusCode || typeof body.code !== 'string' || typeof body.type !== 'string' || typeof body.correlationId !== 'string') {
    return { request, status: res.statusCode, why: `not a problem document: ${res.body.slice(0, 200)}` };
  }
  return undefined;
}

const routes = () => routeCatalog(t.app).map((r) => ({ ...r, label: `${r.method} ${r.path}` }));
const urlFor = (route: CatalogEntry, param: string) => route.path.replace(/:[A-Za-z]+/g, param);

// Each sweep sends hundreds of requests per route and grows with every route added; on a loaded
// two-core machine the default 30 s is a deadline for the machine, not for the code.
vi.setConfig({ testTimeout: 180_000 });

describe('hostile input sweep over every route', () => {
  it('covers the whole route catalogue', () => {
    const all = routes();
    expect(all.length).toBeGreaterThanOrEqual(20);
    expect(all.filter((r) => r.method !== 'GET').length).toBeGreaterThanOrEqual(10);
    expect(all.filter((r) => r.path.includes(':')).length).toBeGreaterThanOrEqual(5);
  });

  // A fresh owner session per route: one route (logout) ends the session it is called with.
  it.each([true, false])('no route answers a hostile body with a 5xx or a non-problem error (token: %s)', async (withToken) => {
    const findings: Finding[] = [];
    let sent = 0;
    for (const route of routes().filter((r) => r.method !== 'GET')) {
      const token = withToken ? (await login(t, ownerEmail)).accessToken : undefined;
      for (const [, payload] of hostileBodies(fieldsOf(route))) {
        const finding = await probe({ method: route.method, url: urlFor(route, randomUUID()), token, payload, headers: { 'content-type': 'application/json' } });
        sent += 1;
        if (finding) findings.push(finding);
      }
    }
    expect(findings).toEqual([]);
    expect(sent).toBeGreaterThan(100);
  });

  it.each([true, false])('no route answers a hostile path parameter with a 5xx or a non-problem error (token: %s)', async (withToken) => {
    const findings: Finding[] = [];
    for (const route of routes().filter((r) => r.path.includes(':'))) {
      const token = withToken ? (await login(t, ownerEmail)).accessToken : undefined;
      for (const param of hostileParams(knownIds)) {
        const payload = route.method === 'GET' || route.method === 'DELETE' ? undefined : { role: 'viewer', name: SCRIPTS };
        const finding = await probe({ method: route.method, url: urlFor(route, param), token, ...(payload ? { payload } : {}) });
        if (finding) findings.push(finding);
      }
    }
    expect(findings).toEqual([]);
  });

  it.each([true, false])('no route answers a hostile query string with a 5xx or a non-problem error (token: %s)', async (withToken) => {
    const findings: Finding[] = [];
    for (const route of routes()) {
      const token = withToken ? (await login(t, ownerEmail)).accessToken : undefined;
      for (const query of HOSTILE_QUERIES) {
        const finding = await probe({ method: route.method, url: `${urlFor(route, randomUUID())}?${query}`, token });
        if (finding) findings.push(finding);
      }
    }
    expect(findings).toEqual([]);
  });

  it('the sweep left Object.prototype untouched, and reached past validation into the services', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const owner = seen.get('owner') ?? new Set();
    expect([...owner].some((s) => s < 300)).toBe(true);
    expect([401, 403, 404, 413, 415].filter((s) => owner.has(s)).length).toBeGreaterThanOrEqual(2);
    expect([...(seen.get('anonymous') ?? [])]).toContain(401);
  });
});
