import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectContract } from '../e2e/contract.js';
import { addUser, call, seedRootOrg, startTestApp, type InjectOptions, type Session, type TestApp } from './harness.js';

// The message lifecycle, successes and refusals, each response checked against the committed
// OpenAPI document (the drift a validating proxy found: submit and approvals answering 200
// where the document promised 201).

let t: TestApp;
let owner: Session;
let editor: Session;
let approver: Session;
let viewer: Session;
beforeAll(async () => {
  t = await startTestApp({ GUDDU_SCHEDULE_HORIZON_DAYS: '730' });
  let orgId: string;
  ({ orgId, owner } = await seedRootOrg(t, 'Ministry of Contracts'));
  editor = (await addUser(t, orgId, 'editor')).session;
  approver = (await addUser(t, orgId, 'approver')).session;
  viewer = (await addUser(t, orgId, 'viewer')).session;
});
afterAll(async () => t?.close());

type Req = Omit<InjectOptions, 'url' | 'method'> & { method: string; url: string; token?: string };

/** A request whose response must match the document; returns it for the test's own checks. */
async function checked(opts: Req) {
  const res = await call(t, opts);
  expectContract({ method: opts.method, url: opts.url, status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body: res.body });
  return res;
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16);

describe('the message lifecycle matches the OpenAPI document', () => {
  it('create, submit, approve, schedule: each success as documented', async () => {
    const created = await checked({ method: 'POST', url: '/api/v1/messages', token: editor.accessToken, payload: { title: 'Visit', content: { bodies: { en: 'Hello', hi: 'नमस्ते' }, channels: ['x'] } } });
    expect(created.statusCode).toBe(201);
    const m = created.json<{ id: string; revision: number; contentHash: string }>();
    const submitted = await checked({ method: 'POST', url: `/api/v1/messages/${m.id}/submit`, token: editor.accessToken, payload: {} });
    expect(submitted.statusCode).toBe(200);
    const approved = await checked({ method: 'POST', url: `/api/v1/messages/${m.id}/approvals`, token: approver.accessToken, payload: { decision: 'approved', contentHash: m.contentHash } });
    expect(approved.statusCode).toBe(200);
    expect((await checked({ method: 'GET', url: `/api/v1/messages/${m.id}/approvals`, token: editor.accessToken })).statusCode).toBe(200);
    const revision = approved.json<{ revision: number }>().revision;
    // Scheduling approved content is a publishing decision: the owner's.
    const scheduled = await checked({ method: 'PUT', url: `/api/v1/messages/${m.id}/schedule`, token: owner.accessToken, payload: { local: inDays(3), zone: 'Asia/Kolkata' }, headers: { 'if-match': `"${revision}"` } });
    expect(scheduled.statusCode, scheduled.body).toBe(200);
    for (const url of [`/api/v1/messages/${m.id}`, `/api/v1/messages/${m.id}/versions`, `/api/v1/messages/${m.id}/comments`, '/api/v1/messages', '/api/v1/me']) {
      expect((await checked({ method: 'GET', url, token: editor.accessToken })).statusCode, url).toBe(200);
    }
  });

  it('refusals are documented problems: 400, 401, 403, 404, 405, 412, 422, 428', async () => {
    const m = (await checked({ method: 'POST', url: '/api/v1/messages', token: editor.accessToken, payload: { title: 'Draft', content: { bodies: { en: 'Hello' } } } })).json<{ id: string; revision: number }>();
    const cases: [number, Req][] = [
      [400, { method: 'POST', url: '/api/v1/messages', token: editor.accessToken, payload: { title: '' } }],
      [401, { method: 'GET', url: '/api/v1/messages' }],
      [403, { method: 'POST', url: '/api/v1/messages', token: viewer.accessToken, payload: { title: 'x', content: { bodies: { en: 'x' } } } }],
      [404, { method: 'GET', url: '/api/v1/messages/5f1d7c1e-0000-4000-8000-000000000000', token: editor.accessToken }],
      [405, { method: 'PUT', url: `/api/v1/messages/${m.id}`, token: editor.accessToken, payload: {} }],
      [412, { method: 'PATCH', url: `/api/v1/messages/${m.id}`, token: editor.accessToken, payload: { title: 'x' }, headers: { 'if-match': `"${m.revision + 5}"` } }],
      [422, { method: 'PUT', url: `/api/v1/messages/${m.id}/schedule`, token: editor.accessToken, payload: { local: '9999-01-01T09:00', zone: 'UTC' }, headers: { 'if-match': `"${m.revision}"` } }],
      [428, { method: 'PATCH', url: `/api/v1/messages/${m.id}`, token: editor.accessToken, payload: { title: 'x' } }],
    ];
    for (const [status, opts] of cases) {
      const res = await checked(opts);
      expect(res.statusCode, `${opts.method} ${opts.url}: ${res.body}`).toBe(status);
    }
  });
});
