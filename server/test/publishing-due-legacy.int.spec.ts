import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transactor } from '../src/platform/database/transactor.js';
import { SchedulerService } from '../src/platform/scheduler/scheduler.service.js';
import { addUser, call, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';
import { until } from './jobs-harness.js';

// The due job was `messages.due` before the publishing module (decision 0010). Entries an older
// server stored under that name must still bring their message through the gate.
let t: TestApp;
let editor: Session;
let approver: Session;

beforeAll(async () => {
  t = await startTestApp({}, { role: 'all' });
  const { orgId } = await seedRootOrg(t);
  editor = (await addUser(t, orgId, 'editor')).session;
  approver = (await addUser(t, orgId, 'approver')).session;
});
afterAll(async () => t?.close());

async function scheduledAnHourAhead(): Promise<string> {
  const created = await call(t, { method: 'POST', url: '/api/v1/messages', token: editor.accessToken, payload: { title: 'Old entry', content: { bodies: { en: 'Armed by an older server' }, channels: ['x'] } } });
  expect(created.statusCode, created.body).toBe(201);
  const m = created.json<{ id: string; revision: number; contentHash: string }>();
  const timed = await call(t, { method: 'PUT', url: `/api/v1/messages/${m.id}/schedule`, token: editor.accessToken, payload: { at: new Date(Date.now() + 3_600_000).toISOString(), zone: 'Europe/Paris' }, headers: { 'if-match': `"${m.revision}"` } });
  expect(timed.statusCode, timed.body).toBe(200);
  expect((await call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/submit`, token: editor.accessToken, payload: {} })).statusCode).toBe(200);
  const approved = await call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/approvals`, token: approver.accessToken, payload: { decision: 'approved', contentHash: m.contentHash } });
  expect(approved.json<{ status: string }>().status, approved.body).toBe('scheduled');
  return m.id;
}

const bypass = <T>(why: string, fn: Parameters<Transactor['withTenantBypass']>[1]) => t.app.get(Transactor).withTenantBypass(why, fn) as Promise<T>;

describe('the due job under its old name', () => {
  it('arms new entries as publishing.due, and an entry stored as messages.due still publishes its message', async () => {
    const id = await scheduledAnHourAhead();
    const entry = await bypass<{ id: string; job_name: string }>('test: the entry', async (db) => (await sql<{ id: string; job_name: string }>`SELECT s.id, s.job_name FROM scheduled_jobs s JOIN messages m ON m.schedule_entry_id = s.id WHERE m.id = ${id}`.execute(db)).rows[0]!);
    expect(entry.job_name).toBe('publishing.due');
    // As an older server would have stored it; then brought forward to now.
    await bypass('test: rename the entry back', async (db) => sql`UPDATE scheduled_jobs SET job_name = 'messages.due' WHERE id = ${entry.id}`.execute(db));
    await bypass('test: make it due', async () => t.app.get(SchedulerService).reschedule(entry.id, new Date(Date.now() + 300)));
    let status = '';
    await until(async () => {
      status = await bypass<string>('test: status', async (db) => (await sql<{ status: string }>`SELECT status FROM messages WHERE id = ${id}`.execute(db)).rows[0]!.status);
      return status !== 'scheduled';
    }, 20_000, 'the old-named entry fired');
    expect(status).toBe('publishing');
  });
});
