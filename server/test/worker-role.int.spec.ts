import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobWorker } from '../src/platform/jobs/job-worker.js';
import { call, startTestApp, type TestApp } from './harness.js';
import { testPrefix } from './jobs-harness.js';

describe('a `guddu worker` process', () => {
  let t: TestApp;

  beforeAll(async () => {
    const redis = process.env.REDIS_URL;
    t = await startTestApp({ GUDDU_REDIS_PREFIX: testPrefix(), ...(redis ? { REDIS_URL: redis } : {}) }, { role: 'worker' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is ready while its worker polls, and says so in /readyz', async () => {
    const res = await call(t, { method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ checks: Record<string, string> }>().checks.worker).toBe('ok');
  });

  it('answers the probes and nothing else over HTTP', async () => {
    expect((await call(t, { method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await call(t, { method: 'POST', url: '/api/v1/auth/login', payload: { email: 'a@b.c', password: 'x' } })).statusCode).toBe(404);
  });

  it('turns unready once its worker has stopped, though the process is up', async () => {
    await t.app.get(JobWorker).onModuleDestroy();
    const res = await call(t, { method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json<{ checks: Record<string, string> }>().checks.worker).toBe('stopped');
    expect((await call(t, { method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
