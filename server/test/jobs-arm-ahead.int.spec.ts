import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue } from '../src/platform/jobs/job-queue.js';
import { createTestDatabase } from './databases.js';
import { EFFECT_TABLES, TestEffectsModule } from './fixtures/test-effects.js';
import { jobsOnRedis, startJobs, testPrefix, until, type JobsContext } from './jobs-harness.js';

const JOBS = 20;
const SLEEP_MS = 300;
const WORKER_ENV = { GUDDU_JOB_CONCURRENCY: '1', GUDDU_JOB_ARM_AHEAD_SECONDS: '5' };

describe(`jobs armed ahead of their instant (jobs on ${jobsOnRedis ? 'Redis' : 'PostgreSQL'})`, () => {
  let url: string;
  let db: pg.Pool;
  let ctx: JobsContext;
  const prefix = testPrefix();

  beforeAll(async () => {
    url = await createTestDatabase();
    db = new pg.Pool({ connectionString: url, max: 2 });
    await db.query(EFFECT_TABLES);
    // One run slot: run one after another, these jobs would take JOBS × SLEEP_MS = 6 s.
    ctx = await startJobs({ databaseUrl: url, prefix, role: 'worker', modules: [TestEffectsModule], env: WORKER_ENV });
  });
  afterAll(async () => {
    await ctx?.close();
    await db?.end();
  });

  it('are held by the worker without using its run slots, and all start at their instant, none before', async () => {
    const run = randomUUID().slice(0, 8);
    const runAt = new Date(Date.now() + 2_500);
    await ctx.app.get(JobQueue).enqueueMany(
      'test.effect',
      Array.from({ length: JOBS }, (_, i) => {
        const key = `armed-${run}-${i}`;
        return { payload: { n: i, orgId: null, correlationId: key, idempotencyKey: key, sleepMs: SLEEP_MS }, opts: { runAt } };
      }),
    );
    await until(async () => Number((await db.query<{ count: string }>('SELECT count(*) FROM test_effects')).rows[0]?.count) === JOBS, 20_000, 'every job');
    const { rows } = await db.query<{ first: number; last: number; runs: string }>(
      `SELECT (min(extract(epoch FROM at) * 1000) - $1)::float8 AS first, (max(extract(epoch FROM at) * 1000) - $1)::float8 AS last, count(*) AS runs FROM test_runs`,
      [runAt.getTime()],
    );
    const r = rows[0]!;
    expect(r.first).toBeGreaterThanOrEqual(0); // never before the instant
    expect(r.last).toBeLessThan(1_500); // together, not one slot after another (≈ 6 s)
    expect(Number(r.runs)).toBe(JOBS);
  }, 30_000);

  it('a worker shutting down hands its held jobs back instead of waiting for their instant', async () => {
    const other = await startJobs({ databaseUrl: url, prefix, role: 'api', modules: [TestEffectsModule] });
    const key = `armed-shutdown-${randomUUID()}`;
    const runAt = new Date(Date.now() + 4_000);
    const queue = other.app.get(JobQueue);
    const id = await queue.enqueue('test.effect', { n: 0, orgId: null, correlationId: key, idempotencyKey: key }, { runAt });
    await until(async () => (await (await queue.getJob(id))?.getState()) === 'active', 5_000, 'the worker to hold the job');
    const closing = Date.now();
    await ctx.close();
    expect(Date.now() - closing).toBeLessThan(2_000); // did not wait for the instant
    expect(await (await queue.getJob(id))?.getState()).not.toBe('active');
    ctx = await startJobs({ databaseUrl: url, prefix, role: 'worker', modules: [TestEffectsModule], env: WORKER_ENV });
    await until(async () => (await (await queue.getJob(id))?.getState()) === 'completed', 10_000, 'the restarted worker to run it');
    const { rows } = await db.query<{ at: Date }>('SELECT at FROM test_runs WHERE idempotency_key = $1', [key]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.at.getTime()).toBeGreaterThanOrEqual(runAt.getTime());
    await other.close();
  }, 30_000);
});
