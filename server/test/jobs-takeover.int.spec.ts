import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue } from '../src/platform/jobs/job-queue.js';
import { createTestDatabase } from './databases.js';
import { EFFECT_TABLES, TestEffectsModule } from './fixtures/test-effects.js';
import { jobsOnRedis, startJobs, testPrefix, until, type JobsContext } from './jobs-harness.js';
import { killWorkers, spawnWorker } from './worker-child.js';

// A lock far longer than the takeover: a job that waited for it would run ~30 s late.
const LOCK_MS = 30_000;
const ENV = { GUDDU_JOB_LOCK_MS: String(LOCK_MS), GUDDU_JOB_ARM_AHEAD_SECONDS: '10', GUDDU_WORKER_DEAD_SECONDS: '2' };

describe(`held jobs of a SIGKILLed worker (jobs on ${jobsOnRedis ? 'Redis' : 'PostgreSQL'})`, () => {
  let url: string;
  let db: pg.Pool;
  let producer: JobsContext;
  let survivor: JobsContext | undefined;
  const prefix = testPrefix();

  beforeAll(async () => {
    url = await createTestDatabase();
    db = new pg.Pool({ connectionString: url, max: 2 });
    await db.query(EFFECT_TABLES);
    producer = await startJobs({ databaseUrl: url, prefix, role: 'api', modules: [TestEffectsModule], env: ENV });
  });
  afterAll(async () => {
    killWorkers();
    await survivor?.close();
    await producer?.close();
    await db?.end();
  });

  const payload = (extra: Record<string, unknown> = {}) => {
    const key = `takeover-${randomUUID()}`;
    return { n: 1, orgId: null, correlationId: key, idempotencyKey: key, ...extra };
  };
  const runsOf = async (key: string) => (await db.query<{ at: Date }>('SELECT at FROM test_runs WHERE idempotency_key = $1 ORDER BY at', [key])).rows;

  it('are taken over by a live worker and run at their instant, not when their lock expires; a job it had started is left to its lock', async () => {
    const queue = producer.app.get(JobQueue);
    const child = await spawnWorker({ DATABASE_URL: url, GUDDU_REDIS_PREFIX: prefix, ...ENV });
    // One job the child starts (long), one it still holds when it dies.
    const started = payload({ sleepMs: 60_000 });
    await queue.enqueue('test.effect', started, { runAt: new Date(Date.now() + 300) });
    await child.waitFor(new RegExp(`^started ${started.idempotencyKey} 1$`));
    const held = payload();
    const runAt = new Date(Date.now() + 5_000);
    const heldId = await queue.enqueue('test.effect', held, { runAt });
    await until(async () => (await (await queue.getJob(heldId))?.getState()) === 'active', 5_000, 'the child to hold the job');
    child.proc.kill('SIGKILL');
    await child.exited;

    survivor = await startJobs({ databaseUrl: url, prefix, role: 'worker', modules: [TestEffectsModule], env: ENV });
    await until(async () => (await runsOf(held.idempotencyKey)).length === 1, 15_000, 'the held job to run');
    const at = (await runsOf(held.idempotencyKey))[0]!.at.getTime();
    expect(at).toBeGreaterThanOrEqual(runAt.getTime()); // never before its instant
    expect(at - runAt.getTime()).toBeLessThan(3_000); // not after the dead worker's lock
    await until(async () => (await (await queue.getJob(heldId))?.getState()) === 'completed', 5_000, 'the held job to complete');
    // The job the dead worker had started may still be running for all the survivor knows: it
    // waits for its lock, as before.
    expect(await runsOf(started.idempotencyKey)).toHaveLength(1);
    expect(await (await queue.getJob(`test.effect.${started.idempotencyKey}`))?.getState()).toBe('active');
  }, 60_000);

  it('a worker that finds it was taken over runs none of the jobs it held, takes no new job until the takeover is over, then rejoins', async () => {
    const url2 = await createTestDatabase();
    const db2 = new pg.Pool({ connectionString: url2, max: 2 });
    await db2.query(EFFECT_TABLES);
    const env = { GUDDU_JOB_LOCK_MS: '3000', GUDDU_JOB_ARM_AHEAD_SECONDS: '10', GUDDU_WORKER_DEAD_SECONDS: '2' };
    const worker = await startJobs({ databaseUrl: url2, prefix: testPrefix(), role: 'worker', modules: [TestEffectsModule], env });
    try {
      const queue = worker.app.get(JobQueue);
      const held = payload();
      const runAt = new Date(Date.now() + 3_000);
      const id = await queue.enqueue('test.effect', held, { runAt });
      await until(async () => (await (await queue.getJob(id))?.getState()) === 'active', 5_000, 'the worker to hold the job');
      // What a taker does first: mark the (silent) worker taken over. No taker hands its job
      // back here, so the job can only come back when its lock expires.
      const { rows } = await db2.query<{ name: string }>('UPDATE job_workers SET taken_over_at = now() RETURNING name');
      expect(rows).toHaveLength(1);
      const runs = async () => (await db2.query<{ at: Date }>('SELECT at FROM test_runs WHERE idempotency_key = $1', [held.idempotencyKey])).rows;
      await new Promise((r) => setTimeout(r, runAt.getTime() + 1_000 - Date.now()));
      expect(await runs()).toEqual([]); // dropped at its instant, not run
      await until(async () => (await runs()).length === 1, 20_000, 'the job to run once the worker is back');
      await new Promise((r) => setTimeout(r, 1_000));
      expect(await runs()).toHaveLength(1);
      const back = await db2.query<{ taken_over_at: Date | null }>('SELECT taken_over_at FROM job_workers WHERE name = $1', [rows[0]!.name]);
      expect(back.rows).toEqual([{ taken_over_at: null }]);
    } finally {
      await worker.close();
      await db2.end();
    }
  }, 60_000);
});
