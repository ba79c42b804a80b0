import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import type pg from 'pg';
import { AccessTokens } from './auth/access-tokens.js';
import { KeyStore } from './auth/key-store.js';
import { SigningKeyRepository } from './auth/signing-key.repository.js';
import type { Config } from './config/config.js';
import { CONFIG } from './config/config.tokens.js';
import { SecretBox } from './crypto/secret-box.js';
import { DB, PG_POOL, type Db } from './database/database.tokens.js';
import { Transactor } from './database/transactor.js';
import { ProblemFilter } from './http/problem.filter.js';
import { RequestPipeline } from './http/request-pipeline.interceptor.js';
import { LOGGER, type Logger } from './logging/logger.js';

/** What the process opened before Nest starts: parsed config, logger, database. */
export interface PlatformResources {
  config: Config;
  log: Logger;
  pool: pg.Pool;
  /** The URL `pool` connects to; the embedded job store (BullMQ on PostgreSQL) opens its own pool on it. */
  databaseUrl: string;
  db: Db;
  secretKey: Buffer;
  /** True when this process runs the embedded PostgreSQL. */
  embedded: boolean;
  /**
   * What this process does: `api` serves HTTP only, `worker` runs background work (jobs, the
   * outbox relay, schedulers) only, `all` both (the embedded default), `cli` neither.
   * Background components start only where the role includes them.
   */
  role: ProcessRole;
}

export type ProcessRole = 'api' | 'worker' | 'all' | 'cli';

export function runsBackgroundWork(role: ProcessRole): boolean {
  return role === 'worker' || role === 'all';
}

export const PLATFORM_RESOURCES = Symbol('guddu.platform-resources');

@Global()
@Module({})
export class PlatformModule {
  static forRoot(res: PlatformResources): DynamicModule {
    const shared = [CONFIG, LOGGER, PG_POOL, DB, PLATFORM_RESOURCES, SecretBox, Transactor, KeyStore, AccessTokens];
    return {
      module: PlatformModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: CONFIG, useValue: res.config },
        { provide: LOGGER, useValue: res.log },
        { provide: PG_POOL, useValue: res.pool },
        { provide: DB, useValue: res.db },
        { provide: PLATFORM_RESOURCES, useValue: res },
        { provide: SecretBox, useValue: new SecretBox(res.secretKey, res.config.previousSecretKey) },
        Transactor,
        SigningKeyRepository,
        KeyStore,
        AccessTokens,
        { provide: APP_INTERCEPTOR, useClass: RequestPipeline },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
      exports: shared,
    };
  }
}
