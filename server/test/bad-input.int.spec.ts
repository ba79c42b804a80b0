import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, call, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';
import type { Problem as ProblemDocument } from '../src/platform/errors/problem.js';

// Every kind of bad request is answered with RFC 9457 problem+json and a stable code, never a 500.

const BODY_LIMIT = 64 * 1024;
const JSON_TYPE = { 'content-type': 'application/json' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Problem = Omit<ProblemDocument, 'errors'> & { errors?: { in: string; path: string; code: string }[] };
type Response = Awaited<ReturnType<typeof call>>;

let t: TestApp;
let owner: Session;
let orgId: string;
beforeAll(async () => {
  t = await startTestApp({ GUDDU_BODY_LIMIT_BYTES: String(BODY_LIMIT), GUDDU_LOGIN_MAX_ATTEMPTS_PER_IP: '10000' });
  ({ owner, orgId } = await seedRootOrg(t, 'Ministry of Bad Input'));
});
afterAll(async () => t?.close());

function expectProblem(res: Response, status: number, code: string): Problem {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  const body = res.json<Problem>();
  expect(body).toMatchObject({ type: `urn:guddu:problem:${code}`, status, code });
  expect(body.title).toMatch(/\w/);
  expect(body.detail).toMatch(/\w/);
  expect(body.correlationId).toBe(res.headers['x-request-id']);
  return body;
}

const createOrg = (payload: string | object, headers: Record<string, string> = JSON_TYPE, token = owner.accessToken) =>
  call(t, { method: 'POST', url: '/api/v1/organisations', token, payload, headers });

describe('bodies', () => {
  it('malformed JSON is 400 malformed_json', async () => {
    expectProblem(await createOrg('{"name": "Embassy'), 400, 'malformed_json');
    expectProblem(await createOrg("{'name': 'single quotes'}"), 400, 'malformed_json');
  });

  it('an empty JSON body is 400, whether zero bytes or an empty object', async () => {
    expectProblem(await createOrg(''), 400, 'malformed_json');
    expectProblem(await createOrg('   '), 400, 'malformed_json');
    const problem = expectProblem(await createOrg('{}'), 400, 'validation_failed');
    expect(problem.errors).toContainEqual(expect.objectContaining({ in: 'body', path: 'name' }));
  });

  it('a body over GUDDU_BODY_LIMIT_BYTES is 413 payload_too_large', async () => {
    expectProblem(await createOrg({ name: 'x'.repeat(BODY_LIMIT + 1) }), 413, 'payload_too_large');
    // Before authentication too: the body is refused without being parsed.
    expectProblem(await call(t, { method: 'POST', url: '/api/v1/auth/login', payload: { email: 'x'.repeat(BODY_LIMIT) } }), 413, 'payload_too_large');
  });

  it.each([
    ['text/plain', '{"name":"Embassy"}'],
    ['application/x-www-form-urlencoded', 'name=Embassy'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nEmbassy\r\n--x--'],
    ['application/xml', '<name>Embassy</name>'],
    ['application/json; charset=utf-16', '{"name":"Embassy"}'],
  ])('a %s body on a JSON route is 415 unsupported_media_type', async (contentType, payload) => {
    expectProblem(await createOrg(payload, { 'content-type': contentType }), 415, 'unsupported_media_type');
  });

  it.each(['application/json; charset=utf-8', 'application/json;charset=UTF-8', 'application/merge-patch+json'])(
    'accepts JSON sent as %s',
    async (contentType) => {
      const res = await createOrg('{"name":"Embassy Oslo","kind":"mission"}', { 'content-type': contentType });
      expect(res.statusCode, res.body).toBe(201);
    },
  );

  it('an unknown field is 400 validation_failed naming the field in errors[].path', async () => {
    const problem = expectProblem(await createOrg({ name: 'Embassy', isAdmin: true, 'nested.key': 1 }), 400, 'validation_failed');
    expect(problem.errors?.map((e) => [e.in, e.path, e.code])).toEqual([
      ['body', 'isAdmin', 'unrecognized_keys'],
      ['body', 'nested.key', 'unrecognized_keys'],
    ]);
  });

  it('wrong types are 400 validation_failed with a path per field', async () => {
    const problem = expectProblem(await createOrg({ name: 42, kind: ['mission'], parentId: 'not-a-uuid' }), 400, 'validation_failed');
    expect(problem.errors?.map((e) => e.path).sort()).toEqual(['kind', 'name', 'parentId']);
    expectProblem(await createOrg('[{"name":"Embassy"}]'), 400, 'validation_failed');
    expectProblem(await createOrg('"Embassy"'), 400, 'validation_failed');
    expectProblem(await createOrg('{"name":"Embassy","kind":1e400}'), 400, 'validation_failed');
  });

  it('a NUL character anywhere in the body is 400 invalid_input', async () => {
    expectProblem(await createOrg('{"name":"Emb\\u0000assy"}'), 400, 'invalid_input');
    expectProblem(await createOrg('{"name":"Embassy","kind":{"a\\u0000":1}}'), 400, 'invalid_input');
    // Deeply nested, so that a recursive scan would overflow the stack.
    expectProblem(await createOrg(`${'['.repeat(20_000)}"\\u0000"${']'.repeat(20_000)}`), 400, 'invalid_input');
  });

  it('prototype pollution through __proto__ or constructor.prototype is 400, and pollutes nothing', async () => {
    expectProblem(await createOrg('{"name":"Embassy","__proto__":{"polluted":true}}'), 400, 'malformed_json');
    expectProblem(await createOrg('{"name":"Embassy","kind":{"__proto__":{"polluted":true}}}'), 400, 'malformed_json');
    expectProblem(await createOrg('{"name":"Embassy","constructor":{"prototype":{"polluted":true}}}'), 400, 'malformed_json');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a body sent to a route that takes none is 400', async () => {
    const res = await call(t, { method: 'POST', url: '/api/v1/auth/logout', token: owner.accessToken, payload: { all: true } });
    expectProblem(res, 400, 'validation_failed');
  });
});

describe('paths and query strings', () => {
  it('an invalid uuid in the path is 400 validation_failed on params.id', async () => {
    for (const id of ['not-a-uuid', '1', `${randomUUID()}x`, '%E0%A4%A8']) {
      const problem = expectProblem(await call(t, { method: 'GET', url: `/api/v1/organisations/${id}`, token: owner.accessToken }), 400, 'validation_failed');
      expect(problem.errors).toEqual([expect.objectContaining({ in: 'params', path: 'id' })]);
    }
  });

  it('an unknown query parameter is 400, on routes with and without a query schema', async () => {
    expectProblem(await call(t, { method: 'GET', url: '/api/v1/organisations?debug=1', token: owner.accessToken }), 400, 'validation_failed');
    const problem = expectProblem(await call(t, { method: 'GET', url: '/api/v1/audit?orgId=x', token: owner.accessToken }), 400, 'validation_failed');
    expect(problem.errors).toEqual([expect.objectContaining({ in: 'query', path: 'orgId', code: 'unrecognized_keys' })]);
  });

  it('a repeated or nested query parameter is 400, not a type confusion', async () => {
    expectProblem(await call(t, { method: 'GET', url: '/api/v1/audit?action=a&action=b', token: owner.accessToken }), 400, 'validation_failed');
    expectProblem(await call(t, { method: 'GET', url: '/api/v1/audit?limit=1e400', token: owner.accessToken }), 400, 'validation_failed');
    expectProblem(await call(t, { method: 'GET', url: '/api/v1/audit?from=2020-02-30T00:00:00Z', token: owner.accessToken }), 400, 'validation_failed');
  });

  it('a NUL character in a query value is 400', async () => {
    expectProblem(await call(t, { method: 'GET', url: '/api/v1/audit?targetId=a%00b', token: owner.accessToken }), 400, 'invalid_input');
  });

  // Fastify's router answers a malformed percent-encoding itself, before Nest: today as plain
  // JSON. Fixing it needs `frameworkErrors` in app.ts (see the report); flip to `it` then.
  it('a malformed percent-encoding in the path is problem+json', async () => {
    expectProblem(await call(t, { method: 'GET', url: '/api/v1/organisations/%E0%A4', token: owner.accessToken }), 400, 'invalid_input');
  });
});

describe('who may do what', () => {
  it('no token, a malformed header or a forged token is 401', async () => {
    expectProblem(await call(t, { method: 'GET', url: '/api/v1/organisations' }), 401, 'unauthenticated');
    expectProblem(await call(t, { method: 'GET', url: '/api/v1/organisations', headers: { authorization: 'Basic YTpi' } }), 401, 'unauthenticated');
    expectProblem(await call(t, { method: 'GET', url: '/api/v1/organisations', token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' }), 401, 'token_invalid');
  });

  it('a viewer creating an organisation is 403 forbidden', async () => {
    const viewer = await addUser(t, orgId, 'viewer');
    const problem = expectProblem(await createOrg({ name: 'Embassy' }, JSON_TYPE, viewer.session.accessToken), 403, 'forbidden');
    expect(problem.detail).toMatch(/org\.manage/);
  });

  it("another tenant's organisation is 404, by path and by header", async () => {
    const other = await seedRootOrg(t, 'Ministry Next Door');
    const byPath = await call(t, { method: 'GET', url: `/api/v1/organisations/${other.orgId}`, token: owner.accessToken });
    expectProblem(byPath, 404, 'organisation_not_found');
    const byHeader = await call(t, { method: 'GET', url: '/api/v1/organisations', token: owner.accessToken, org: other.orgId });
    expectProblem(byHeader, 404, 'not_found');
  });

  it('inviting an existing member is 409 already_member', async () => {
    const member = await addUser(t, orgId, 'editor');
    const res = await call(t, { method: 'POST', url: '/api/v1/invitations', token: owner.accessToken, payload: { email: member.email, role: 'viewer' } });
    expectProblem(res, 409, 'already_member');
  });

  it('an unknown route is 404 route_not_found, with or without a token', async () => {
    expectProblem(await call(t, { method: 'GET', url: '/api/v1/nothing-here' }), 404, 'route_not_found');
    expectProblem(await call(t, { method: 'POST', url: '/api/v1/nothing-here', token: owner.accessToken, payload: {} }), 404, 'route_not_found');
  });

  it('a known path with a method it does not take is 405 method_not_allowed, with Allow', async () => {
    const put = await call(t, { method: 'PUT', url: '/api/v1/organisations', token: owner.accessToken, payload: {} });
    expectProblem(put, 405, 'method_not_allowed');
    expect(put.headers.allow).toBe('GET, HEAD, POST');
    const del = await call(t, { method: 'DELETE', url: '/api/v1/audit', token: owner.accessToken });
    expectProblem(del, 405, 'method_not_allowed');
    expect(del.headers.allow).toBe('GET, HEAD');
  });
});

describe('headers', () => {
  it('a normal response carries the security headers', async () => {
    for (const res of [await call(t, { method: 'GET', url: '/healthz' }), await call(t, { method: 'GET', url: '/api/v1/me', token: owner.accessToken })]) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
      expect(res.headers['x-frame-options']).toBeDefined();
    }
    const problem = await call(t, { method: 'GET', url: '/api/v1/organisations' });
    expect(problem.headers['x-content-type-options']).toBe('nosniff');
    expect(problem.headers['cache-control']).toBe('no-store');
  });

  it('x-request-id echoes a sane inbound id and becomes the correlation id', async () => {
    const res = await call(t, { method: 'GET', url: '/api/v1/organisations', headers: { 'x-request-id': 'lb-2f9c.7:trace_01' } });
    expect(res.headers['x-request-id']).toBe('lb-2f9c.7:trace_01');
    expect(res.json<Problem>().correlationId).toBe('lb-2f9c.7:trace_01');
  });

  it.each([
    ['300 characters', 'a'.repeat(300)],
    ['spaces', 'my request id'],
    ['markup', '<script>alert(1)</script>'],
    ['non-ASCII', 'नमस्ते'],
    ['empty', ''],
  ])('x-request-id with %s is replaced by a fresh id', async (_what, given) => {
    const res = await call(t, { method: 'GET', url: '/api/v1/organisations', headers: { 'x-request-id': given } });
    expect(res.headers['x-request-id']).toMatch(UUID);
    expect(res.json<Problem>().correlationId).toBe(res.headers['x-request-id']);
  });
});
