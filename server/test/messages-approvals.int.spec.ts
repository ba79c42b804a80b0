import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { MessageDetail } from '../src/modules/messages/messages.dto.js';
import { ApprovalsService } from '../src/modules/messages/approvals/approvals.service.js';
import { Transactor } from '../src/platform/database/transactor.js';
import type { Problem } from '../src/platform/errors/problem.js';
import { addUser, call, createChildOrg, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';
import { until } from './jobs-harness.js';

// Late approval modes, SLA escalation and the role checks of each route, with a real worker.
type Msg = z.infer<typeof MessageDetail>;
let t: TestApp;
let orgId: string;
let owner: Session;
let editor: Session;
let approver: Session;

beforeAll(async () => {
  t = await startTestApp({}, { role: 'all' });
  ({ orgId, owner } = await seedRootOrg(t));
  editor = (await addUser(t, orgId, 'editor')).session;
  approver = (await addUser(t, orgId, 'approver')).session;
});
afterAll(async () => t?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const bypass = <T>(fn: Parameters<Transactor['withTenantBypass']>[1]) => t.app.get(Transactor).withTenantBypass('test', fn) as Promise<T>;

async function divisionWithPolicy(lateApproval: Record<string, unknown>, stages?: unknown[]): Promise<string> {
  const div = await createChildOrg(t, owner, `Division ${Math.random().toString(36).slice(2, 7)}`, 'division');
  const res = await call(t, {
    method: 'PUT',
    url: '/api/v1/approval-policy',
    token: owner.accessToken,
    org: div,
    payload: { stages: stages ?? [{ name: 'Desk', approvers: { roles: ['approver'] }, rule: 'any' }], lateApproval },
  });
  expect(res.statusCode, res.body).toBe(200);
  return div;
}

/** A message in `div` whose time passes while it waits in review. */
async function lateMessage(div: string): Promise<Msg> {
  const m = (await call(t, { method: 'POST', url: '/api/v1/messages', token: editor.accessToken, payload: { orgId: div, title: 'Late', content: { bodies: { en: 'Late' } } } })).json<Msg>();
  const at = new Date(Date.now() + 700).toISOString();
  const timed = await call(t, { method: 'PUT', url: `/api/v1/messages/${m.id}/schedule`, token: editor.accessToken, payload: { at, zone: 'UTC' }, headers: { 'if-match': `"${m.revision}"` } });
  expect(timed.statusCode, timed.body).toBe(200);
  expect((await call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/submit`, token: editor.accessToken, payload: {} })).statusCode).toBe(200);
  await sleep(900);
  return m;
}

const statusOf = async (id: string) => (await call(t, { method: 'GET', url: `/api/v1/messages/${id}`, token: editor.accessToken })).json<Msg>();
const approve = async (id: string) =>
  call(t, { method: 'POST', url: `/api/v1/messages/${id}/approvals`, token: approver.accessToken, payload: { decision: 'approved', contentHash: (await statusOf(id)).contentHash } });

describe('late approval', () => {
  it('publish_now: goes out at once', async () => {
    const m = await lateMessage(await divisionWithPolicy({ mode: 'publish_now' }));
    expect((await approve(m.id)).json<Msg>().status).toBe('scheduled');
    await until(async () => (await statusOf(m.id)).status === 'publishing', 10_000, 'late message published');
  });

  it('hold: approved, held until someone sets a new time', async () => {
    const m = await lateMessage(await divisionWithPolicy({ mode: 'hold' }));
    const held = (await approve(m.id)).json<Msg>();
    expect(held).toMatchObject({ status: 'approved', held: 'late_approval' });
    await sleep(500);
    expect((await statusOf(m.id)).status).toBe('approved');
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const moved = await call(t, { method: 'PUT', url: `/api/v1/messages/${m.id}/schedule`, token: owner.accessToken, payload: { at, zone: 'UTC' }, headers: { 'if-match': `"${held.revision}"` } });
    expect(moved.json<Msg>()).toMatchObject({ status: 'scheduled', held: null });
  });

  it('expire: held within its days, withdrawn once they pass (at approval or by the expiry job)', async () => {
    const div = await divisionWithPolicy({ mode: 'expire', afterDays: 2 });
    const within = await lateMessage(div);
    expect((await approve(within.id)).json<Msg>()).toMatchObject({ status: 'approved', held: 'late_approval' });
    const entry = await bypass<{ run_at: Date; payload: { messageId: string; reviewRound: number; orgId: string; correlationId: string; idempotencyKey: string } }>(async (db) =>
      (await sql<{ run_at: Date; payload: never }>`SELECT run_at, payload FROM scheduled_jobs WHERE job_name = 'messages.expire' AND payload->>'messageId' = ${within.id}`.execute(db)).rows[0],
    );
    const due = (await statusOf(within.id)).schedule!.at;
    expect(entry.run_at.getTime()).toBe(new Date(due).getTime() + 2 * 86_400_000);
    await t.app.get(ApprovalsService).expire(entry.payload);
    expect(await statusOf(within.id)).toMatchObject({ status: 'withdrawn', statusReason: expect.stringContaining('expired') as string });

    // Approved more than its days after the time: withdrawn at once, never published.
    const stale = await lateMessage(div);
    await bypass(async (db) => sql`UPDATE messages SET scheduled_at = now() - interval '3 days' WHERE id = ${stale.id}`.execute(db));
    expect((await approve(stale.id)).json<Msg>()).toMatchObject({ status: 'withdrawn' });
  });
});

describe('approval SLA', () => {
  it('escalates a stage left open past its SLA, once, with an audit record', async () => {
    const div = await divisionWithPolicy({ mode: 'hold' }, [
      { name: 'Desk', approvers: { roles: ['approver'] }, rule: 'any', slaHours: 0.0004 },
      { name: 'Head', approvers: { roles: ['owner'] }, rule: 'any', slaHours: 1 },
    ]);
    const m = (await call(t, { method: 'POST', url: '/api/v1/messages', token: editor.accessToken, payload: { orgId: div, title: 'SLA', content: { bodies: { en: 'SLA' } } } })).json<Msg>();
    await call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/submit`, token: editor.accessToken, payload: {} });
    const overdue = () =>
      bypass<{ stage: number }[]>(async (db) => (await sql<{ stage: number }>`SELECT (payload->>'stage')::int AS stage FROM outbox_events WHERE name = 'messages.approval_overdue' AND aggregate_id = ${m.id}`.execute(db)).rows);
    await until(async () => (await overdue()).length > 0, 15_000, 'the overdue event');
    expect(await overdue()).toEqual([{ stage: 0 }]);
    const audit = await call(t, { method: 'GET', url: `/api/v1/audit?action=message.approval_overdue`, token: owner.accessToken, org: div });
    expect(audit.statusCode, audit.body).toBe(200);
    expect(audit.json<{ items: { targetId: string }[] }>().items.map((i) => i.targetId)).toEqual([m.id]);
  });
});

describe('roles on the routes', () => {
  it('each transition route answers 403 to roles without its permission', async () => {
    const viewer = (await addUser(t, orgId, 'viewer')).session;
    const analyst = (await addUser(t, orgId, 'analyst')).session;
    const m = (await call(t, { method: 'POST', url: '/api/v1/messages', token: editor.accessToken, payload: { title: 'Roles', content: { bodies: { en: 'Roles' } } } })).json<Msg>();
    const cases: [Session, string, Record<string, unknown>][] = [
      [viewer, 'submit', {}],
      [analyst, 'submit', {}],
      [editor, 'withdraw', {}],
      [editor, 'approvals', { decision: 'approved' }],
      [viewer, 'archive', {}],
      [approver, 'withdraw', {}],
    ];
    for (const [who, action, payload] of cases) {
      const res = await call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/${action}`, token: who.accessToken, payload });
      expect(res.statusCode, action).toBe(403);
      expect(res.json<Problem>().code).toBe('forbidden');
    }
    expect((await call(t, { method: 'POST', url: '/api/v1/publishing/suspensions', token: approver.accessToken, payload: { reason: 'x' } })).statusCode).toBe(403);
    expect((await call(t, { method: 'PUT', url: '/api/v1/approval-policy', token: approver.accessToken, payload: { stages: [] } })).statusCode).toBe(403);
    expect((await call(t, { method: 'POST', url: '/api/v1/blackouts', token: editor.accessToken, payload: { startsOn: '2031-01-01', endsOn: '2031-01-01', zone: 'UTC', reason: 'x' } })).statusCode).toBe(403);
    // The owner may withdraw; the message then refuses approval with a named code.
    expect((await call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/withdraw`, token: owner.accessToken, payload: {} })).json<Msg>().status).toBe('withdrawn');
    expect((await approve(m.id)).json<Problem>().code).toBe('cannot_approve');
  });
});
