import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue } from '../src/platform/jobs/job-queue.js';
import { JobWorker } from '../src/platform/jobs/job-worker.js';
import { createTestDatabase } from './databases.js';
import { EFFECT_TABLES, TestEffectsModule } from './fixtures/test-effects.js';
import { jobsOnRedis, startJobs, testPrefix, until, type JobsContext } from './jobs-harness.js';

const payload = (n: number, extra: Record<string, unknown> = {}) => ({
  n,
  orgId: null,
  correlationId: `test-${n}`,
  idempotencyKey: `effect-${n}-${randomUUID()}`,
  ...extra,
});

describe(`jobs on ${jobsOnRedis ? 'Redis' : 'PostgreSQL'}`, () => {
  let url: string;
  let db: pg.Pool;
  let worker: JobsContext;
  const prefix = testPrefix();

  beforeAll(async () => {
    url = await createTestDatabase();
    db = new pg.Pool({ connectionString: url, max: 2 });
    await db.query(EFFECT_TABLES);
    worker = await startJobs({ databaseUrl: url, prefix, role: 'worker', modules: [TestEffectsModule] });
  });
  afterAll(async () => {
    await worker?.close();
    await db?.end();
  });

  const effects = async (key: string) => Number((await db.query<{ count: string }>('SELECT count(*) FROM test_effects WHERE idempotency_key = $1', [key])).rows[0]?.count);
  const runs = async (key: string) => (await db.query<{ attempt: number }>('SELECT attempt FROM test_runs WHERE idempotency_key = $1 ORDER BY id', [key])).rows.map((r) => r.attempt);

  it('runs a typed job through its decorated handler', async () => {
    const p = payload(1);
    await worker.app.get(JobQueue).enqueue('test.effect', p);
    await until(async () => (await effects(p.idempotencyKey)) === 1, 10_000, 'the effect');
  });

  it('adds one job for one idempotency key, however often it is enqueued', async () => {
    const p = payload(2, { sleepMs: 200 });
    const q = worker.app.get(JobQueue);
    const ids = await Promise.all([q.enqueue('test.effect', p), q.enqueue('test.effect', p), q.enqueue('test.effect', p)]);
    expect(new Set(ids).size).toBe(1);
    await until(async () => (await effects(p.idempotencyKey)) === 1, 10_000, 'the effect');
    await new Promise((r) => setTimeout(r, 300));
    expect(await runs(p.idempotencyKey)).toEqual([1]);
  });

  it('retries a failing job with backoff, then succeeds', async () => {
    const p = payload(3, { failTimes: 2 });
    await worker.app.get(JobQueue).enqueue('test.effect', p);
    await until(async () => (await effects(p.idempotencyKey)) === 1, 15_000, 'the effect after two failures');
    expect(await runs(p.idempotencyKey)).toEqual([1, 2, 3]);
  });

  it('keeps a job that exhausted its attempts as failed', async () => {
    const p = payload(4, { failTimes: 99 });
    const q = worker.app.get(JobQueue);
    const id = await q.enqueue('test.effect', p);
    await until(async () => (await (await q.getJob(id))?.getState()) === 'failed', 15_000, 'the job to fail');
    expect(await runs(p.idempotencyKey)).toEqual([1, 2, 3, 4]);
    expect(await effects(p.idempotencyKey)).toBe(0);
  });

  it('reports the worker ready while it polls its queue', () => {
    const h = worker.app.get(JobWorker).health();
    expect(h.running).toBe(true);
    expect(h.ready).toBe(true);
  });
});
