import { AsyncLocalStorage } from 'node:async_hooks';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.types.js';
import type { Db } from './database.tokens.js';
import type { Logger } from '../logging/logger.js';

// Return int8 (bigint, counts) as JS numbers: our sequences stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export function createPool(url: string, max: number, log: Logger): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 30_000 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  // Once the pool is ending (shutdown), its closing clients may still hear the server stop:
  // expected, and not worth a warning.
  pool.on('error', (err) => {
    if (!pool.ending) log.warn({ err }, 'idle database connection failed');
  });
  return pool;
}

const bound = new AsyncLocalStorage<pg.PoolClient>();
const borrowed = new WeakMap<pg.PoolClient, Pick<pg.PoolClient, 'query' | 'release'>>();

/**
 * Runs `fn` with every Kysely query on `client`: the Transactor's unit of work owns the
 * connection (and its transaction), and repositories keep using the one shared Kysely.
 */
export function bindConnection<T>(client: pg.PoolClient, fn: () => Promise<T>): Promise<T> {
  return bound.run(client, fn);
}

export function createDb(pool: pg.Pool): Db {
  // Kysely takes a connection per query from what it thinks is the pool; inside a unit of work
  // it gets the bound connection, whose release is a no-op (the unit of work releases it).
  const routed = {
    connect: async () => {
      const client = bound.getStore();
      if (!client) return pool.connect();
      let lease = borrowed.get(client);
      if (!lease) {
        const query: pg.PoolClient['query'] = client.query.bind(client);
        lease = { query, release: () => undefined };
        borrowed.set(client, lease);
      }
      return lease;
    },
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
