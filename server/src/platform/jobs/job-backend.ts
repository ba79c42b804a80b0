import { createPostgresBackend, createRedisBackend, runMigrations, type BackendFactory, type ConnectionOptions, type IQueueBackend, type PostgresPoolConfig, type Queue, type Worker } from 'bullmq';
import type pg from 'pg';

/** The PostgreSQL schema of the embedded job store, apart from Guddu's own tables. */
export const JOB_STORE_SCHEMA = 'bullmq';

/** BullMQ's classes typed by the backend interface rather than the Redis default. */
export type AnyQueue = Queue<unknown, unknown, string, unknown, unknown, string, IQueueBackend>;
export type AnyWorker = Worker<unknown, unknown, string, IQueueBackend>;

/**
 * Where BullMQ keeps its jobs: Redis when REDIS_URL is set (distributed mode), otherwise
 * BullMQ's PostgreSQL backend on Guddu's own database. Everything above this file is the same
 * in both modes.
 */
export interface JobBackend {
  kind: 'redis' | 'postgres';
  factory: BackendFactory;
  connection: ConnectionOptions;
  /** Redis key prefix (the PostgreSQL backend namespaces by schema and database instead). */
  prefix: string | undefined;
}

export function jobBackend(opts: { redisUrl: string | undefined; redisPrefix?: string; databaseUrl: string; poolSize?: number }): JobBackend {
  if (opts.redisUrl) return { kind: 'redis', factory: createRedisBackend, connection: redisOptions(opts.redisUrl), prefix: opts.redisPrefix };
  const connection: PostgresPoolConfig = {
    connectionString: opts.databaseUrl,
    schema: JOB_STORE_SCHEMA,
    max: opts.poolSize ?? 4,
    // Migrated once at start (migrateJobStore), never by each queue on connect.
    migrate: false,
  };
  return {
    kind: 'postgres',
    // One library, two datastores: the queue classes take the factory and its connection type.
    factory: createPostgresBackend as unknown as BackendFactory,
    connection: connection,
    prefix: undefined,
  };
}

function redisOptions(url: string): ConnectionOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    db: Number(u.pathname.slice(1) || 0),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    // Workers block on Redis; BullMQ needs commands to wait for a reconnect rather than fail,
    // so a Redis restart pauses work instead of losing it.
    maxRetriesPerRequest: null,
  };
}

/** Creates or upgrades the job store's schema; BullMQ serialises concurrent callers with a lock. */
export async function migrateJobStore(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    return await runMigrations(client, JOB_STORE_SCHEMA);
  } finally {
    client.release();
  }
}
