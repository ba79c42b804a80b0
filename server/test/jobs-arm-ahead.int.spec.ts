import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue } from '../src/platform/jobs/job-queue.js';
import { createTestDatabase } from './databases.js';
import { EFFECT_TABLES, TestEffectsModule } from './fixtures/test-effects.js';
import { jobsOnRedis, startJobs, testPrefix, until, type JobsContext } from './jobs-harness.js';

const JOBS = 12;
const SLOTS = 4;
const SLEEP_MS = 300;
const WORKER_ENV = { GUDDU_JOB_CONCURRENCY: String(SLOTS), GUDDU_JOB_ARM_AHEAD_SECONDS: '5' };

describe(`jobs armed ahead of their instant (jobs on ${jobsOnRedis ? 'Redis' : 'PostgreSQL'})`, () => {
  let url: string;
  let db: pg.Pool;
  let ctx: JobsContext;
  const prefix = testPrefix();

  beforeAll(async () => {
    url = await createTestDatabase();
    db = new pg.Pool({ connectionString: url, max: 2 });
    await db.query(EFFECT_TABLES);
    ctx = await startJobs({ databaseUrl: url, prefix, role: 'worker', modules: [TestEffectsModule], env: WORKER_ENV });
  });
  afterAll(async () => {
    await ctx?.close();
    await db?.end();
  });

  it('are held by the worker without using its run slots, start at their instant, none before, and run within the slots', async () => {
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
    // Each run from its start (test_runs) to its effect (test_effects, written as it ends).
    const { rows } = await db.query<{ start: number; end: number }>(
      `SELECT (extract(epoch FROM r.at) * 1000 - $1)::float8 AS start, (extract(epoch FROM e.done_at) * 1000 - $1)::float8 AS end
       FROM test_runs r JOIN test_effects e USING (idempotency_key) ORDER BY r.at`,
      [runAt.getTime()],
    );
    expect(rows).toHaveLength(JOBS);
    expect(rows[0]!.start).toBeGreaterThanOrEqual(0); // never before the instant
    // The first SLOTS start together at the instant, not one slot after another...
    expect(rows[SLOTS - 1]!.start).toBeLessThan(1_000);
    // ...and no more than SLOTS handlers ever overlap, though all JOBS were held together.
    const overlapping = rows.map((r) => rows.filter((o) => o.start <= r.start && r.start < o.end).length);
    expect(Math.max(...overlapping)).toBe(SLOTS);
    expect(rows[JOBS - 1]!.start).toBeGreaterThanOrEqual((JOBS / SLOTS - 1) * SLEEP_MS);
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
