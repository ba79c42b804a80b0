import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue } from '../src/platform/jobs/job-queue.js';
import { createTestDatabase } from './databases.js';
import { EFFECT_TABLES, TestEffectsModule } from './fixtures/test-effects.js';
import { jobsOnRedis, startJobs, testPrefix, until, type JobsContext } from './jobs-harness.js';
import { killWorkers, spawnWorker } from './worker-child.js';

const LOCK_MS = 1_500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`job faults (jobs on ${jobsOnRedis ? 'Redis' : 'PostgreSQL'})`, () => {
  let url: string;
  let db: pg.Pool;
  let producer: JobsContext;
  const prefix = testPrefix();
  const childEnv = () => ({ DATABASE_URL: url, GUDDU_REDIS_PREFIX: prefix, GUDDU_JOB_LOCK_MS: String(LOCK_MS) });

  beforeAll(async () => {
    url = await createTestDatabase();
    db = new pg.Pool({ connectionString: url, max: 2 });
    await db.query(EFFECT_TABLES);
    // An API process: it enqueues and runs no jobs.
    producer = await startJobs({ databaseUrl: url, prefix, role: 'api', modules: [TestEffectsModule] });
  });
  afterAll(async () => {
    killWorkers();
    await producer?.close();
    await db?.end();
  });

  const payload = (extra: Record<string, unknown> = {}) => {
    const key = `fault-${randomUUID()}`;
    return { n: 1, orgId: null, correlationId: key, idempotencyKey: key, ...extra };
  };
  const effects = async (key: string) => Number((await db.query<{ count: string }>('SELECT count(*) FROM test_effects WHERE idempotency_key = $1', [key])).rows[0]?.count);
  const runs = async (key: string) => Number((await db.query<{ count: string }>('SELECT count(*) FROM test_runs WHERE idempotency_key = $1', [key])).rows[0]?.count);

  it('a worker SIGKILLed mid-job: another worker completes the job, exactly once', async () => {
    const first = await spawnWorker(childEnv());
    const p = payload({ sleepMs: 2_000 });
    await producer.app.get(JobQueue).enqueue('test.effect', p);
    await first.waitFor(new RegExp(`^started ${p.idempotencyKey} 1$`));
    first.proc.kill('SIGKILL');
    await first.exited;
    expect(await effects(p.idempotencyKey)).toBe(0);

    const second = await spawnWorker(childEnv());
    const killedAt = Date.now();
    await until(async () => (await effects(p.idempotencyKey)) === 1, 30_000, 'the job to complete after the kill');
    const recoveredMs = Date.now() - killedAt;
    await sleep(LOCK_MS * 2); // long enough for a duplicate run to show up, if there were one
    expect(await effects(p.idempotencyKey)).toBe(1);
    expect(await runs(p.idempotencyKey)).toBe(2); // the killed run and the one that finished
    console.info(`[faults] job recovered ${recoveredMs} ms after the second worker started (lock ${LOCK_MS} ms)`);
    second.proc.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 60_000);

  it('SIGTERM drains: the job in flight finishes before the worker exits', async () => {
    const w = await spawnWorker(childEnv());
    const p = payload({ sleepMs: 1_500 });
    await producer.app.get(JobQueue).enqueue('test.effect', p);
    await w.waitFor(new RegExp(`^started ${p.idempotencyKey} 1$`));
    w.proc.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    expect(await effects(p.idempotencyKey)).toBe(1);
    expect(await runs(p.idempotencyKey)).toBe(1);
  }, 30_000);

  it('a job due while every worker is down runs when one starts', async () => {
    const p = payload();
    const dueAt = Date.now() + 300;
    await producer.app.get(JobQueue).enqueue('test.effect', p, { delayMs: 300 });
    await sleep(1_500);
    expect(await runs(p.idempotencyKey)).toBe(0);
    const startedAt = Date.now();
    const w = await spawnWorker(childEnv());
    await until(async () => (await effects(p.idempotencyKey)) === 1, 15_000, 'the overdue job');
    console.info(`[faults] overdue job (due ${startedAt - dueAt} ms before) ran ${Date.now() - startedAt} ms after a worker was started`);
    w.proc.kill('SIGTERM');
    await w.exited;
    expect(await runs(p.idempotencyKey)).toBe(1);
  }, 30_000);
});
