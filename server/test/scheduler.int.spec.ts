import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transactor } from '../src/platform/database/transactor.js';
import { JobQueue } from '../src/platform/jobs/job-queue.js';
import { SchedulerModule } from '../src/platform/scheduler/scheduler.module.js';
import { SchedulerRepository } from '../src/platform/scheduler/scheduler.repository.js';
import { SchedulerService } from '../src/platform/scheduler/scheduler.service.js';
import { SchedulerSweep } from '../src/platform/scheduler/scheduler.sweep.js';
import { createTestDatabase } from './databases.js';
import { EFFECT_TABLES, TestEffectsModule } from './fixtures/test-effects.js';
import { jobsOnRedis, startJobs, testPrefix, until, type JobsContext } from './jobs-harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const inMs = (ms: number) => new Date(Date.now() + ms);

describe(`scheduler (jobs on ${jobsOnRedis ? 'Redis' : 'PostgreSQL'})`, () => {
  let db: pg.Pool;
  let ctx: JobsContext;
  let scheduler: SchedulerService;

  beforeAll(async () => {
    const url = await createTestDatabase();
    db = new pg.Pool({ connectionString: url, max: 2 });
    await db.query(EFFECT_TABLES);
    // Fire jobs are armed 1 s ahead of their entry's time and held by the worker until it.
    ctx = await startJobs({ databaseUrl: url, prefix: testPrefix(), role: 'worker', modules: [SchedulerModule, TestEffectsModule], env: { GUDDU_JOB_ARM_AHEAD_SECONDS: '1' } });
    scheduler = ctx.app.get(SchedulerService);
  });
  afterAll(async () => {
    await ctx?.close();
    await db?.end();
  });

  const effect = () => {
    const key = `sched-${randomUUID()}`;
    return { key, payload: { n: 1, orgId: null, correlationId: key, idempotencyKey: key } };
  };
  const doneAt = async (key: string) => (await db.query<{ done_at: Date }>('SELECT done_at FROM test_effects WHERE idempotency_key = $1', [key])).rows[0]?.done_at;
  const runs = async (key: string) => Number((await db.query<{ count: string }>('SELECT count(*) FROM test_runs WHERE idempotency_key = $1', [key])).rows[0]?.count);

  it('runs an entry at its time, not before', async () => {
    const { key, payload } = effect();
    const at = inMs(600);
    const id = await scheduler.schedule(at, 'test.effect', payload, key);
    await until(async () => (await doneAt(key)) !== undefined, 10_000, 'the scheduled effect');
    expect((await doneAt(key))!.getTime()).toBeGreaterThanOrEqual(at.getTime());
    await until(async () => (await scheduler.find(id))?.state === 'done', 5_000, 'the run to be recorded'); // just after the handler returns
  });

  it('in a caller\'s transaction that rolls back, an entry never exists and never runs', async () => {
    const { key, payload } = effect();
    let id: string | undefined;
    await expect(
      ctx.app.get(Transactor).withTenantBypass('test: a change that fails', async () => {
        id = await scheduler.schedule(inMs(200), 'test.effect', payload, key);
        throw new Error('the change failed after scheduling');
      }),
    ).rejects.toThrow(/failed after scheduling/);
    expect(await scheduler.find(id!)).toBeUndefined();
    await sleep(1_000);
    expect(await runs(key)).toBe(0);
  });

  it('in a caller\'s transaction that commits, an entry is armed after the commit and runs', async () => {
    const { key, payload } = effect();
    const id = await ctx.app
      .get(Transactor)
      .withTenantBypass('test: a change that commits', () => scheduler.schedule(inMs(300), 'test.effect', payload, key));
    await until(async () => (await doneAt(key)) !== undefined, 10_000, 'the effect scheduled in a transaction');
    await until(async () => (await scheduler.find(id))?.state === 'done', 5_000, 'the run to be recorded'); // just after the handler returns
    expect(await runs(key)).toBe(1);
  });

  it('schedules one entry per key', async () => {
    const { key, payload } = effect();
    const a = await scheduler.schedule(inMs(300), 'test.effect', payload, key);
    const b = await scheduler.schedule(inMs(300), 'test.effect', payload, key);
    expect(b).toBe(a);
    await until(async () => (await doneAt(key)) !== undefined, 10_000, 'the effect');
    await sleep(300);
    expect(await runs(key)).toBe(1);
  });

  it('cancel prevents the run', async () => {
    const { key, payload } = effect();
    const id = await scheduler.schedule(inMs(500), 'test.effect', payload, key);
    expect(await scheduler.cancel(id)).toBe(true);
    await sleep(1_500);
    expect(await runs(key)).toBe(0);
    expect((await scheduler.find(id))?.state).toBe('cancelled');
  });

  it('a cancel holding the row lock when the entry falls due wins: the fire waits, then does nothing', async () => {
    const { key, payload } = effect();
    const id = await scheduler.schedule(inMs(600), 'test.effect', payload, key);
    const fireWaitsOnTheLock = async () =>
      Number(
        (
          await db.query<{ count: string }>(
            `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%UPDATE scheduled_jobs s SET state = ''running''%'`,
          )
        ).rows[0]?.count,
      ) > 0;
    // The cancel's transaction stays open until the fire, due meanwhile, is blocked behind it.
    const cancelled = await ctx.app.get(Transactor).withTenantBypass('test: a slow cancel', async () => {
      const result = await scheduler.cancel(id);
      await until(fireWaitsOnTheLock, 10_000, 'the fire to wait for the row lock');
      return result;
    });
    expect(cancelled).toBe(true);
    await sleep(1_000);
    expect(await runs(key)).toBe(0);
    expect((await scheduler.find(id))?.state).toBe('cancelled');
  });

  it('a cancel after the run has started answers false, and the run completes', async () => {
    const { key, payload } = effect();
    const id = await scheduler.schedule(inMs(300), 'test.effect', { ...payload, sleepMs: 1_500 }, key);
    await until(async () => (await runs(key)) === 1, 10_000, 'the run to start');
    expect((await scheduler.find(id))?.state).toBe('running');
    expect(await scheduler.cancel(id)).toBe(false);
    await expect(scheduler.reschedule(id, inMs(5_000))).rejects.toThrow(/not pending/);
    await until(async () => (await doneAt(key)) !== undefined, 10_000, 'the run to finish');
    await until(async () => (await scheduler.find(id))?.state === 'done', 5_000, 'the run to be recorded');
  });

  it('an entry whose job fails every attempt ends failed, after one claim per attempt', async () => {
    const { key, payload } = effect();
    const id = await scheduler.schedule(inMs(300), 'test.effect', { ...payload, failTimes: 99 }, key);
    await until(async () => (await scheduler.find(id))?.state === 'failed', 15_000, 'the entry to fail');
    expect(await runs(key)).toBe(4); // test.effect's declared attempts
    expect((await scheduler.find(id))?.attempts).toBe(4);
  });

  it('a cancelled entry whose job is still queued never runs it (the handler checks the row)', async () => {
    const { key, payload } = effect();
    const id = await scheduler.schedule(inMs(400), 'test.effect', payload, key);
    // Cancel in the table only, as if removing the queued job had failed.
    await ctx.app.get(Transactor).withTenantBypass('test: cancel the row only', () => ctx.app.get(SchedulerRepository).cancel(id));
    expect(await ctx.app.get(JobQueue).getJob(scheduler.fireJobId(id, 1))).toBeDefined();
    await sleep(1_500);
    expect(await runs(key)).toBe(0);
  });

  it('a stale fire claimed in one batch with the current fire of its entry gets nothing', async () => {
    const { key, payload } = effect();
    const id = await scheduler.schedule(inMs(60_000), 'test.effect', payload, key);
    await scheduler.reschedule(id, inMs(60_000)); // version 2
    const repo = ctx.app.get(SchedulerRepository);
    const claims = await ctx.app.get(Transactor).withTenantBypass('test: one batch, both versions', () =>
      repo.claimRuns([
        { id, version: 1 },
        { id, version: 2 },
        { id, version: 2 },
      ]),
    );
    expect(claims.map((c) => c?.version)).toEqual([undefined, 2, undefined]);
    await scheduler.cancel(id);
  });

  it('reschedule runs at the new time only', async () => {
    const { key, payload } = effect();
    const id = await scheduler.schedule(inMs(400), 'test.effect', payload, key);
    const later = inMs(1_500);
    await scheduler.reschedule(id, later);
    await sleep(1_000);
    expect(await runs(key)).toBe(0);
    await until(async () => (await doneAt(key)) !== undefined, 10_000, 'the rescheduled effect');
    expect((await doneAt(key))!.getTime()).toBeGreaterThanOrEqual(later.getTime());
    await sleep(300);
    expect(await runs(key)).toBe(1);
  });

  it('reconciliation re-arms an entry whose job is missing, once, however often it runs', async () => {
    const { key, payload } = effect();
    const id = await scheduler.schedule(inMs(3_000), 'test.effect', payload, key);
    const queue = ctx.app.get(JobQueue);
    expect(await queue.remove(scheduler.fireJobId(id, 1))).toBe(true); // the job is lost (still delayed: armed 1 s ahead)
    const sweep = ctx.app.get(SchedulerSweep);
    await Promise.all([sweep.reconcile(), sweep.reconcile(), sweep.reconcile()]);
    expect(await queue.getJob(scheduler.fireJobId(id, 1))).toBeDefined();
    expect((await sweep.reconcile()).rearmed).toBe(0);
    await until(async () => (await doneAt(key)) !== undefined, 10_000, 'the re-armed effect');
    await sleep(500);
    expect(await runs(key)).toBe(1);
  });

  it('reconciliation runs an entry that fell due while its job was missing (a restore)', async () => {
    const { key, payload } = effect();
    // As after restoring a backup into a fresh job store: the row exists, due, with no job at all.
    await db.query(`INSERT INTO scheduled_jobs (key, job_name, payload, run_at) VALUES ($1, 'test.effect', $2, now() - interval '5 minutes')`, [key, JSON.stringify(payload)]);
    const { rearmed } = await ctx.app.get(SchedulerSweep).reconcile();
    expect(rearmed).toBe(1);
    await until(async () => (await doneAt(key)) !== undefined, 10_000, 'the overdue effect');
  });

  describe('runs their fire abandoned', () => {
    // As if the fire's outcome write was lost (or its worker died past the stalled-job limit):
    // the entry stays 'running', and has for longer than a job lock.
    const abandon = (id: string) => db.query(`UPDATE scheduled_jobs SET state = 'running', done_at = NULL, updated_at = now() - interval '1 hour' WHERE id = $1`, [id]);

    it('the sweep ends failed an entry whose fire job failed for good', async () => {
      const { key, payload } = effect();
      const id = await scheduler.schedule(inMs(200), 'test.effect', { ...payload, failTimes: 99 }, key);
      await until(async () => (await scheduler.find(id))?.state === 'failed', 15_000, 'the entry to fail');
      await abandon(id);
      expect((await ctx.app.get(SchedulerSweep).reconcile()).recovered).toBe(1);
      expect((await scheduler.find(id))?.state).toBe('failed');
      expect((await ctx.app.get(SchedulerSweep).reconcile()).recovered).toBe(0);
    });

    it('the sweep ends done an entry whose fire job completed', async () => {
      const { key, payload } = effect();
      const id = await scheduler.schedule(inMs(200), 'test.effect', payload, key);
      await until(async () => (await scheduler.find(id))?.state === 'done', 10_000, 'the run');
      await abandon(id);
      expect((await ctx.app.get(SchedulerSweep).reconcile()).recovered).toBe(1);
      expect((await scheduler.find(id))?.state).toBe('done');
      expect(await runs(key)).toBe(1);
    });

    it('the sweep runs again an entry whose fire job vanished, and the effect happens once', async () => {
      const { key, payload } = effect();
      const id = await scheduler.schedule(inMs(200), 'test.effect', payload, key);
      await until(async () => (await scheduler.find(id))?.state === 'done', 10_000, 'the run');
      await abandon(id);
      const queue = ctx.app.get(JobQueue);
      await (await queue.getJob(scheduler.fireJobId(id, 1)))!.remove(); // a lost Redis
      expect((await ctx.app.get(SchedulerSweep).reconcile()).recovered).toBe(1);
      await until(async () => (await scheduler.find(id))?.state === 'done', 10_000, 'the second run');
      expect(await runs(key)).toBe(2);
      expect(Number((await db.query<{ count: string }>('SELECT count(*) FROM test_effects WHERE idempotency_key = $1', [key])).rows[0]?.count)).toBe(1);
    });

    it('the sweep leaves alone an entry whose run is under way, however long', async () => {
      const { key, payload } = effect();
      const id = await scheduler.schedule(inMs(200), 'test.effect', { ...payload, sleepMs: 3_500 }, key);
      await until(async () => (await runs(key)) === 1, 10_000, 'the run to start');
      await sleep(2_500); // past the job lock (2 s in these tests)
      expect((await ctx.app.get(SchedulerSweep).reconcile()).recovered).toBe(0);
      expect((await scheduler.find(id))?.state).toBe('running');
      await until(async () => (await scheduler.find(id))?.state === 'done', 10_000, 'the run to finish');
    });
  });
});
