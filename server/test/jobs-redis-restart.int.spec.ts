import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/platform/database/embedded-postgres.js';
import { JobQueue } from '../src/platform/jobs/job-queue.js';
import { createTestDatabase } from './databases.js';
import { EFFECT_TABLES, TestEffectsModule } from './fixtures/test-effects.js';
import { startJobs, testPrefix, until, type JobsContext } from './jobs-harness.js';
import { haveRedisServer, startRedis, stopRedis } from './redis-server.js';

const JOBS = 1_000;

// Runs in both modes: whatever the database, the jobs go to this test's own Redis.
describe.skipIf(!haveRedisServer)('jobs on a Redis that restarts mid-run', () => {
  let dir: string;
  let redis: ChildProcess | undefined;
  let db: pg.Pool;
  let worker: JobsContext;
  let port: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'guddu-redis-'));
    port = await freePort();
    redis = await startRedis(port, dir, { appendOnly: true });
    const url = await createTestDatabase();
    db = new pg.Pool({ connectionString: url, max: 2 });
    await db.query(EFFECT_TABLES);
    worker = await startJobs({
      databaseUrl: url,
      prefix: testPrefix(),
      role: 'worker',
      modules: [TestEffectsModule],
      env: { REDIS_URL: `redis://127.0.0.1:${port}`, GUDDU_JOB_CONCURRENCY: '20', GUDDU_DB_POOL_SIZE: '10' },
    });
  });
  afterAll(async () => {
    await worker?.close();
    await db?.end();
    if (redis && redis.exitCode === null) await stopRedis(redis);
    await rm(dir, { recursive: true, force: true });
  });

  const count = async (table: string) => Number((await db.query<{ count: string }>(`SELECT count(*) FROM ${table}`)).rows[0]?.count);

  it('loses nothing and duplicates no side effect across a restart', async () => {
    const run = randomUUID().slice(0, 8);
    const items = Array.from({ length: JOBS }, (_, i) => {
      const key = `restart-${run}-${i}`;
      return { payload: { n: i, orgId: null, correlationId: key, idempotencyKey: key, sleepMs: 5 } };
    });
    await worker.app.get(JobQueue).enqueueMany('test.effect', items);
    await until(async () => (await count('test_effects')) >= JOBS / 4, 60_000, 'a quarter of the jobs');

    const before = await count('test_effects');
    await stopRedis(redis!);
    redis = await startRedis(port, dir, { appendOnly: true });
    const started = Date.now();

    await until(async () => (await count('test_effects')) === JOBS, 90_000, 'every job after the restart', 200);
    const runs = await count('test_runs');
    console.info(`[redis-restart] ${before}/${JOBS} done at the restart; the rest took ${Date.now() - started} ms after it; ${runs - JOBS} re-run(s) absorbed by the idempotency key`);
    const dupes = await db.query('SELECT idempotency_key FROM test_effects GROUP BY 1 HAVING count(*) > 1');
    expect(dupes.rowCount).toBe(0);
    const missing = await db.query<{ count: string }>(`SELECT count(*) FROM generate_series(0, ${JOBS - 1}) i WHERE NOT EXISTS (SELECT 1 FROM test_effects e WHERE e.n = i)`);
    expect(Number(missing.rows[0]?.count)).toBe(0);
  }, 180_000);
});
