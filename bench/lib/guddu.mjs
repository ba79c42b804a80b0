// The built Guddu server as benchmarks start it: a fresh database (DATABASE_URL's server, or an
// embedded PostgreSQL in a temporary directory) and the environment of a bootstrapped tenant.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onCleanup, removeDirLater } from './cleanup.mjs';
import { freshDatabase, stopPostmaster } from './postgres.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// GUDDU_BENCH_CLI runs another build (e.g. main's) for an A/B comparison in the same conditions.
export const CLI = process.env.GUDDU_BENCH_CLI ?? join(ROOT, 'server', 'dist', 'cli.js');
export const EMAIL = 'bench-owner@example.gov';
export const PASSWORD = 'monsoon-tea-over-old-delhi';

/** Where the server keeps its data, the env that says so, and a superuser URL for seeding. */
export async function prepareDatabase() {
  if (process.env.DATABASE_URL) {
    const { name, url } = await freshDatabase(process.env.DATABASE_URL);
    return { label: `fresh database ${name} on DATABASE_URL`, env: { DATABASE_URL: url }, superuserUrl: () => url };
  }
  const dir = mkdtempSync(join(tmpdir(), 'guddu-bench-'));
  removeDirLater(dir);
  // Runs before the removal (clean-up is last in, first out) and after the server was stopped:
  // a postgres that outlived it (the server was killed) must not keep running on a deleted dir.
  onCleanup('stop a left-over embedded PostgreSQL', () => stopPostmaster(dir), () => stopPostmaster(dir, true));
  // The embedded cluster's port and password exist once the server has started it.
  const superuserUrl = () => {
    const port = readFileSync(join(dir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3].trim();
    const password = readFileSync(join(dir, 'postgres.password'), 'utf8').trim();
    return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/guddu`;
  };
  return { label: `embedded PostgreSQL in ${dir}`, env: { GUDDU_DATA_DIR: dir, DATABASE_URL: '' }, superuserUrl };
}

/** The server's environment: production mode, quiet logs, a bootstrapped owner, long tokens. */
export function gudduEnv(db, port, pool, extra = {}) {
  return {
    ...process.env,
    ...db.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    GUDDU_SECRET_KEY: randomBytes(32).toString('base64'),
    GUDDU_PUBLIC_URL: `http://127.0.0.1:${port}`,
    GUDDU_DB_POOL_SIZE: String(pool),
    GUDDU_BOOTSTRAP_ORG: 'Bench Ministry',
    GUDDU_BOOTSTRAP_EMAIL: EMAIL,
    GUDDU_BOOTSTRAP_PASSWORD: PASSWORD,
    GUDDU_ACCESS_TOKEN_TTL_SECONDS: '3600',
    ...extra,
  };
}
