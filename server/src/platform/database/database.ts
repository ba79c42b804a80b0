import { AsyncLocalStorage } from 'node:async_hooks';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.types.js';
import type { Db } from './database.tokens.js';
import type { Logger } from '../logging/logger.js';

// Return int8 (bigint, counts) as JS numbers: our sequences stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export function createPool(url: string, max: number, log: Logger): pg.Pool {
  // A request waits at most 10 s for a connection: an exhausted pool answers with an error the
  // client can retry, instead of hanging the request and, with it, shutdown.
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 10_000 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  // Once the pool is ending (shutdown), its closing clients may still hear the server stop:
  // expected, and not worth a warning.
  pool.on('error', (err) => {
    if (!pool.ending) log.warn({ err }, 'idle database connection failed');
  });
  return pool;
}

interface Lease {
  query: pg.PoolClient['query'];
  release(): void;
}

/** What a unit of work keeps in its async context: at least the connection its queries go to. */
export interface BoundFrame {
  readonly lease: Lease;
}

// The one AsyncLocalStorage of a unit of work. The Transactor's frame (scope, after-commit work)
// extends this one rather than living in a second store: every store in use adds work to every
// promise a request creates.
const bound = new AsyncLocalStorage<BoundFrame>();

/** The frame of the unit of work this code runs in, if any. */
export function currentFrame<F extends BoundFrame>(): F | undefined {
  return bound.getStore() as F | undefined;
}

/** Runs `fn` with `frame` as the unit of work's context (e.g. the same lease, another scope). */
export function runInFrame<F extends BoundFrame, T>(frame: F, fn: () => Promise<T>): Promise<T> {
  return bound.run(frame, fn);
}

/**
 * Runs `fn` with every Kysely query on `client`: the Transactor's unit of work owns the
 * connection (and its transaction), and repositories keep using the one shared Kysely. The
 * lease ends when `fn` settles: a query that outlives its unit of work (an un-awaited promise,
 * a timer) fails instead of running on a connection that may by then serve another tenant.
 * `frame` gets the lease and becomes the async context of `fn`.
 */
export async function bindConnection<F extends object, T>(client: pg.PoolClient, frame: F, fn: () => Promise<T>): Promise<T> {
  let open = true;
  const query = ((...args: Parameters<pg.PoolClient['query']>) => {
    if (!open) throw new Error('a query outlived its unit of work');
    return (client.query as (...a: unknown[]) => unknown)(...args);
  }) as pg.PoolClient['query'];
  try {
    return await bound.run({ ...frame, lease: { query, release: () => undefined } }, fn);
  } finally {
    open = false;
  }
}

/**
 * The current unit of work's connection, for what Kysely cannot say (COPY FROM STDIN through
 * `copyRows`). Only inside a Transactor unit of work.
 */
export function unitOfWorkQuery(): pg.PoolClient['query'] {
  const frame = bound.getStore();
  if (!frame) throw new Error('a raw query outside a unit of work');
  return frame.lease.query;
}

export function createDb(pool: pg.Pool): Db {
  // Kysely takes a connection per query from what it thinks is the pool; inside a unit of work
  // it gets the unit's lease, whose release is a no-op (the unit of work releases the client).
  const routed = {
    connect: async () => bound.getStore()?.lease ?? pool.connect(),
    end: () => pool.end(),
  };
  // PostgresDialect only ever calls connect() and end() on its pool.
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: routed }) });
}

/** Creates `name` on the cluster behind `adminUrl` when it does not exist yet. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
