import { randomBytes, randomUUID } from 'node:crypto';
import { Module, type DynamicModule, type INestApplicationContext, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '../src/platform/config/config.js';
import { JobsModule } from '../src/platform/jobs/jobs.module.js';
import { createLogger } from '../src/platform/logging/logger.js';
import { PlatformModule, type ProcessRole } from '../src/platform/platform.module.js';
import { openRuntime, type Runtime } from '../src/platform/runtime.js';

/** Distributed runs (REDIS_URL set by .ci/run) put the jobs on Redis; embedded runs on PostgreSQL. */
export const jobsOnRedis = Boolean(process.env.REDIS_URL);

export interface JobsContext {
  app: INestApplicationContext;
  runtime: Runtime;
  close(): Promise<void>;
}

/**
 * The platform and the jobs machinery with the given modules, without HTTP: what a `guddu
 * worker` (role worker) or an API process that only enqueues (role api) runs. Each test file
 * passes its own `prefix` so files sharing one Redis never see each other's jobs.
 */
export async function startJobs(opts: { databaseUrl: string; prefix: string; role: ProcessRole; modules?: Type[]; env?: Record<string, string> }): Promise<JobsContext> {
  const config = loadConfig({
    DATABASE_URL: opts.databaseUrl,
    GUDDU_SECRET_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    GUDDU_DB_POOL_SIZE: '4',
    GUDDU_REDIS_PREFIX: opts.prefix,
    GUDDU_JOB_LOCK_MS: '2000',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...opts.env,
  });
  const runtime = await openRuntime(config, createLogger(config.logLevel), { role: opts.role });
  @Module({})
  class JobsTestRoot {
    static forRoot(): DynamicModule {
      return { module: JobsTestRoot, imports: [PlatformModule.forRoot(runtime), JobsModule, ...(opts.modules ?? [])] };
    }
  }
  const app = await NestFactory.createApplicationContext(JobsTestRoot.forRoot(), { logger: false });
  await app.init();
  return {
    app,
    runtime,
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}

export const testPrefix = () => `t${randomUUID().slice(0, 8)}`;

export async function until(check: () => Promise<boolean>, timeoutMs: number, what: string, stepMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
