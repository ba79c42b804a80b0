import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue } from '../src/platform/jobs/job-queue.js';
import { createTestDatabase } from './databases.js';
import { EFFECT_TABLES, TestEffectsModule } from './fixtures/test-effects.js';
import { jobsOnRedis, startJobs, testPrefix, until, type JobsContext } from './jobs-harness.js';

const JOBS = 10_000;
const CHUNK = 1_000;

describe(`${JOBS} delayed jobs due in the same second (jobs on ${jobsOnRedis ? 'Redis' : 'PostgreSQL'})`, () => {
  let db: pg.Pool;
  let ctx: JobsContext;

  beforeAll(async () => {
    const url = await createTestDatabase();
    db = new pg.Pool({ connectionString: url, max: 2 });
    await db.query(EFFECT_TABLES);
    ctx = await startJobs({ databaseUrl: url, prefix: testPrefix(), role: 'worker', modules: [TestEffectsModule], env: { GUDDU_JOB_CONCURRENCY: '50', GUDDU_DB_POOL_SIZE: '12' } });
  });
  afterAll(async () => {
    await ctx?.close();
    await db?.end();
  });

  it('runs every one, each once', async () => {
    const run = randomUUID().slice(0, 8);
    const queue = ctx.app.get(JobQueue);
    // Due far enough ahead that every chunk is queued before the first is due.
    const dueAt = Date.now() + (jobsOnRedis ? 10_000 : 12_000);
    const enqueueStart = Date.now();
    for (let c = 0; c < JOBS; c += CHUNK) {
      const delayMs = dueAt - Date.now();
      await queue.enqueueMany(
        'test.effect',
        Array.from({ length: CHUNK }, (_, i) => {
          const key = `load-${run}-${c + i}`;
          return { payload: { n: c + i, orgId: null, correlationId: key, idempotencyKey: key }, opts: { delayMs } };
        }),
      );
    }
    const enqueueMs = Date.now() - enqueueStart;
    expect(Date.now()).toBeLessThan(dueAt); // otherwise this test does not test "due together"
    const count = async () => Number((await db.query<{ count: string }>('SELECT count(*) FROM test_effects')).rows[0]?.count);
    await until(async () => (await count()) === JOBS, 240_000, `all ${JOBS} jobs`, 500);

    const { rows } = await db.query<{ early: string; p50: number; p99: number; last: number }>(
      `SELECT count(*) FILTER (WHERE done_at < to_timestamp($1 / 1000.0)) AS early,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM done_at) * 1000 - $1) AS p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM done_at) * 1000 - $1) AS p99,
              max(extract(epoch FROM done_at) * 1000 - $1) AS last
       FROM test_effects`,
      [dueAt],
    );
    const r = rows[0]!;
    const runs = Number((await db.query<{ count: string }>('SELECT count(*) FROM test_runs')).rows[0]?.count);
    console.info(
      `[load] enqueued ${JOBS} in ${enqueueMs} ms; lateness after due: p50 ${Math.round(r.p50)} ms, p99 ${Math.round(r.p99)} ms, last ${Math.round(r.last)} ms; ` +
        `${Math.round(JOBS / (r.last / 1000))} jobs/s; runs ${runs}`,
    );
    expect(Number(r.early)).toBe(0);
    expect(runs).toBe(JOBS); // each ran once: no duplicate and no retry
  }, 300_000);
});
