import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../src/platform/errors/problem.js';
import { addUser, call, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';

// A schedule or embargo further ahead than GUDDU_SCHEDULE_HORIZON_DAYS is a typo, not a plan.

const HORIZON_DAYS = 730;
const DAY_MS = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY_MS);
/** A wall-clock time in UTC, minute precision, as the schedule route takes it. */
const localUtc = (d: Date) => d.toISOString().slice(0, 16);

let t: TestApp;
let editor: Session;
beforeAll(async () => {
  t = await startTestApp({ GUDDU_SCHEDULE_HORIZON_DAYS: String(HORIZON_DAYS) });
  const { orgId } = await seedRootOrg(t, 'Ministry of Long Plans');
  editor = (await addUser(t, orgId, 'editor')).session;
});
afterAll(async () => t?.close());

const createMessage = (extra: Record<string, unknown> = {}) =>
  call(t, { method: 'POST', url: '/api/v1/messages', token: editor.accessToken, payload: { title: 'Far ahead', content: { bodies: { en: 'Hello' }, channels: ['x'] }, ...extra } });

const schedule = (id: string, revision: number, local: string) =>
  call(t, { method: 'PUT', url: `/api/v1/messages/${id}/schedule`, token: editor.accessToken, payload: { local, zone: 'UTC' }, headers: { 'if-match': `"${revision}"` } });

function expectProblem(res: Awaited<ReturnType<typeof call>>, status: number, code: string): Problem {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  const problem = res.json<Problem & { errors: { limit: string } }>();
  expect(problem.code).toBe(code);
  expect(new Date(problem.errors.limit).getTime()).toBeGreaterThan(inDays(HORIZON_DAYS - 1).getTime());
  return problem;
}

describe('schedule horizon', () => {
  it('refuses a schedule in the year 9999 and one a day past the horizon, and keeps the message as it was', async () => {
    const m = (await createMessage()).json<{ id: string; revision: number }>();
    expectProblem(await schedule(m.id, m.revision, '9999-12-31T09:00'), 422, 'schedule_beyond_horizon');
    expectProblem(await schedule(m.id, m.revision, localUtc(inDays(HORIZON_DAYS + 1))), 422, 'schedule_beyond_horizon');
    const after = await call(t, { method: 'GET', url: `/api/v1/messages/${m.id}`, token: editor.accessToken });
    expect(after.json<{ revision: number; schedule: unknown }>()).toMatchObject({ revision: m.revision, schedule: null });
  });

  it('accepts a schedule just inside the horizon', async () => {
    const m = (await createMessage()).json<{ id: string; revision: number }>();
    const res = await schedule(m.id, m.revision, localUtc(inDays(HORIZON_DAYS - 1)));
    expect(res.statusCode, res.body).toBe(200);
  });

  it('refuses an embargo beyond the horizon on create and on edit, and accepts one inside it', async () => {
    expectProblem(await createMessage({ embargoUntil: '9999-01-01T00:00:00Z' }), 422, 'embargo_beyond_horizon');
    const inside = await createMessage({ embargoUntil: inDays(HORIZON_DAYS - 1).toISOString() });
    expect(inside.statusCode, inside.body).toBe(201);
    const m = inside.json<{ id: string; revision: number }>();
    const edit = await call(t, {
      method: 'PATCH',
      url: `/api/v1/messages/${m.id}`,
      token: editor.accessToken,
      payload: { embargoUntil: inDays(HORIZON_DAYS + 2).toISOString() },
      headers: { 'if-match': `"${m.revision}"` },
    });
    expectProblem(edit, 422, 'embargo_beyond_horizon');
  });
});
