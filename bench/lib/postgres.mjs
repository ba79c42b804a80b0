// PostgreSQL for the benchmarks: a fresh database on DATABASE_URL's cluster (dropped at the end),
// and the last-resort stop of an embedded PostgreSQL that outlived its owner.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { onCleanup } from './cleanup.mjs';

/** Creates `guddu_bench_<random>` on the cluster of `adminUrl`; it is dropped (WITH FORCE) at clean-up. */
export async function freshDatabase(adminUrl) {
  const name = `guddu_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  onCleanup(`drop database ${name}`, async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    } finally {
      await c.end();
    }
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

/**
 * Stops the postgres whose cluster is `<dataDir>/postgres`, from its postmaster.pid: SIGQUIT
 * (immediate shutdown, children too), SIGKILL after 5 s; `sync` kills at once (exit handlers).
 */
export function stopPostmaster(dataDir, sync = false) {
  const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, sync ? 'SIGKILL' : 'SIGQUIT');
  if (sync) return;
  return (async () => {
    for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
    if (alive()) process.kill(pid, 'SIGKILL');
  })();
}
