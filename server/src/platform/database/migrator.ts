import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { ensureAppRole } from './roles.js';

/**
 * Plain SQL migrations in `server/migrations`, applied in name order, each in its own
 * transaction, under a session advisory lock so that replicas starting together take turns.
 * A landed migration is immutable: its checksum is recorded and a changed file stops the boot.
 */
export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'migrations');
const LOCK_KEY = 7_384_120_551; // arbitrary, fixed: "guddu migrations"

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

let shipped: Promise<MigrationFile[]> | undefined;

/**
 * The migration files of `dir`. The build's own folder does not change while a process runs,
 * so it is read once (readiness probes ask for pending migrations every few seconds).
 */
export function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  if (dir !== MIGRATIONS_DIR) return readFolder(dir);
  shipped ??= readFolder(dir).catch((err: unknown) => {
    shipped = undefined; // a failed read is not remembered
    throw err;
  });
  return shipped;
}

async function readFolder(dir: string): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

async function appliedMigrations(client: pg.PoolClient | pg.Client): Promise<Map<string, string>> {
  const exists = await client.query<{ ok: boolean }>(`SELECT to_regclass('public.schema_migrations') IS NOT NULL AS ok`);
  if (!exists.rows[0]?.ok) return new Map();
  const rows = await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations');
  return new Map(rows.rows.map((r) => [r.name, r.checksum]));
}

function checkLanded(files: MigrationFile[], applied: Map<string, string>): void {
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const [name, checksum] of applied) {
    const file = byName.get(name);
    if (!file) throw new MigrationError(`migration ${name} is recorded in the database but missing from this build`);
    if (file.checksum !== checksum) {
      throw new MigrationError(`migration ${name} was changed after it was applied (checksum mismatch); add a new migration instead`);
    }
  }
}

export async function migrate(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = await readMigrations(dir);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await ensureAppRole(client);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const applied = await appliedMigrations(client);
    checkLanded(files, applied);
    const done: string[] = [];
    for (const file of files.filter((f) => !applied.has(f.name))) {
      await client.query('BEGIN');
      try {
        await client.query(file.sql);
        await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [file.name, file.checksum]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new MigrationError(`migration ${file.name} failed: ${(err as Error).message}`, { cause: err });
      }
      done.push(file.name);
    }
    return done;
  } finally {
    try {
      await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
      client.release();
    } catch (err) {
      // Destroying the connection ends its session, which releases the lock as well.
      client.release(err as Error);
    }
  }
}

/** Names of migrations in this build that the database has not applied (for /readyz). */
export async function pendingMigrations(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = await readMigrations(dir);
  const applied = await appliedMigrations(pool as unknown as pg.Client);
  return files.filter((f) => !applied.has(f.name)).map((f) => f.name);
}
