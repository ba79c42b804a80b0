import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/platform/database/embedded-postgres.js';
import { call, startTestApp, type TestApp } from './harness.js';
import { testPrefix, until } from './jobs-harness.js';
import { haveRedisServer, startRedis } from './redis-server.js';

const STALE_SECONDS = 2;

// Runs in both modes: whatever the database, this worker's jobs go to the test's own Redis.
describe.skipIf(!haveRedisServer)('a worker whose Redis stops answering', () => {
  let dir: string;
  let redis: ChildProcess | undefined;
  let t: TestApp;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'guddu-redis-stale-'));
    const port = await freePort();
    redis = await startRedis(port, dir);
    t = await startTestApp(
      { REDIS_URL: `redis://127.0.0.1:${port}`, GUDDU_REDIS_PREFIX: testPrefix(), GUDDU_WORKER_STALE_SECONDS: String(STALE_SECONDS) },
      { role: 'worker' },
    );
  });
  afterAll(async () => {
    if (redis && redis.exitCode === null) redis.kill('SIGCONT');
    await t?.close();
    if (redis && redis.exitCode === null) {
      const exited = new Promise((r) => redis!.once('exit', r));
      redis.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  const readiness = async () => {
    const res = await call(t, { method: 'GET', url: '/readyz' });
    return { status: res.statusCode, checks: res.json<{ checks: Record<string, string> }>().checks };
  };

  it('turns /readyz 503 once the worker has not reached its queue for GUDDU_WORKER_STALE_SECONDS, and recovers', async () => {
    expect(await readiness()).toMatchObject({ status: 200, checks: { worker: 'ok' } });

    // Frozen, not stopped: connections stay open and commands hang, as with a hung server or a
    // dropped network path, so nothing fails fast and only the missing polls can tell.
    redis!.kill('SIGSTOP');
    const frozenAt = Date.now();
    await until(async () => (await readiness()).status === 503, 15_000, '/readyz to turn 503', 200);
    const stale = await readiness();
    expect(Date.now() - frozenAt).toBeGreaterThanOrEqual(STALE_SECONDS * 1000 - 1000); // not before it was stale
    expect(stale.checks.worker).toMatch(/^stale: last poll \d+s ago$/);
    expect(stale.checks.database).toBe('ok'); // the worker check alone fails it

    redis!.kill('SIGCONT');
    await until(async () => (await readiness()).status === 200, 20_000, '/readyz to recover', 200);
    expect((await readiness()).checks.worker).toBe('ok');
  }, 60_000);
});
