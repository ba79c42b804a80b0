import { randomUUID } from 'node:crypto';
import { Worker, type IQueueBackend } from 'bullmq';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobBackend } from '../src/platform/jobs/job-backend.js';
import { JobQueue, QUEUE_NAME } from '../src/platform/jobs/job-queue.js';
import { addUser, call, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';
import { testPrefix } from './jobs-harness.js';

const prefix = testPrefix();
const redis = process.env.REDIS_URL;

describe('admin view of failed jobs', () => {
  let t: TestApp;
  let a: { orgId: string; owner: Session };
  let b: { orgId: string; owner: Session };

  beforeAll(async () => {
    t = await startTestApp({ GUDDU_REDIS_PREFIX: prefix, ...(redis ? { REDIS_URL: redis } : {}) });
    a = await seedRootOrg(t, 'Ministry A');
    b = await seedRootOrg(t, 'Ministry B');
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A job of `orgId` that failed for good, made by taking and failing it by hand. */
  async function failedJob(orgId: string): Promise<string> {
    const key = `admin-${randomUUID()}`;
    const id = await t.app.get(JobQueue).enqueue('scheduler.fire', { entryId: randomUUID(), version: 1, orgId, correlationId: key, idempotencyKey: key });
    const backend = jobBackend({ redisUrl: t.runtime.config.redisUrl, redisPrefix: prefix, databaseUrl: t.runtime.databaseUrl, poolSize: 1 });
    const manual = new Worker<unknown, unknown, string, IQueueBackend>(QUEUE_NAME, null, { connection: backend.connection, ...(backend.prefix ? { prefix: backend.prefix } : {}) }, backend.factory);
    try {
      const token = randomUUID();
      const job = await manual.getNextJob(token);
      expect(job?.id).toBe(id);
      job.opts.attempts = 1; // fail for good now, not after retries
      await job.moveToFailed(new Error('the channel refused the post'), token, false);
    } finally {
      await manual.close();
    }
    return id;
  }

  const auditActions = async (orgId: string) =>
    (await sql<{ action: string; target_id: string }>`SELECT action, target_id FROM audit_events WHERE org_id = ${orgId} ORDER BY no`.execute(t.runtime.db)).rows;

  it("lists an organisation's failed jobs and not another's", async () => {
    const mine = await failedJob(a.orgId);
    const theirs = await failedJob(b.orgId);
    const res = await call(t, { method: 'GET', url: '/api/v1/admin/jobs?state=failed', token: a.owner.accessToken });
    expect(res.statusCode).toBe(200);
    const ids = res.json<{ items: { id: string; failedReason: string }[] }>().items.map((i) => i.id);
    expect(ids).toContain(mine);
    expect(ids).not.toContain(theirs);
    expect(res.json<{ items: { id: string; failedReason: string }[] }>().items.find((i) => i.id === mine)?.failedReason).toMatch(/refused/);
  });

  it('needs jobs.manage', async () => {
    const { session } = await addUser(t, a.orgId, 'editor');
    const res = await call(t, { method: 'GET', url: '/api/v1/admin/jobs', token: session.accessToken });
    expect(res.statusCode).toBe(403);
  });

  it('retries a failed job, and audits it', async () => {
    const id = await failedJob(a.orgId);
    const res = await call(t, { method: 'POST', url: `/api/v1/admin/jobs/${id}/retry`, token: a.owner.accessToken });
    expect(res.statusCode).toBe(204);
    expect(await (await t.app.get(JobQueue).getJob(id))?.getState()).toBe('waiting');
    expect(await auditActions(a.orgId)).toContainEqual({ action: 'job.retried', target_id: id });
    const again = await call(t, { method: 'POST', url: `/api/v1/admin/jobs/${id}/retry`, token: a.owner.accessToken });
    expect(again.statusCode).toBe(409);
    await t.app.get(JobQueue).remove(id); // no worker runs here; keep the queue to the next test's job
  });

  it('discards a failed job, and audits it', async () => {
    const id = await failedJob(a.orgId);
    const res = await call(t, { method: 'DELETE', url: `/api/v1/admin/jobs/${id}`, token: a.owner.accessToken });
    expect(res.statusCode).toBe(204);
    expect(await t.app.get(JobQueue).getJob(id)).toBeUndefined();
    expect(await auditActions(a.orgId)).toContainEqual({ action: 'job.discarded', target_id: id });
  });

  it("answers 404 for another organisation's job, and changes nothing", async () => {
    const theirs = await failedJob(b.orgId);
    for (const req of [
      { method: 'POST' as const, url: `/api/v1/admin/jobs/${theirs}/retry` },
      { method: 'DELETE' as const, url: `/api/v1/admin/jobs/${theirs}` },
    ]) {
      const res = await call(t, { ...req, token: a.owner.accessToken });
      expect(res.statusCode).toBe(404);
    }
    expect(await (await t.app.get(JobQueue).getJob(theirs))?.getState()).toBe('failed');
  });
});
