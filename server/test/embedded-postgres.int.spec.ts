import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { processAlive, startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../src/platform/database/embedded-postgres.js';

// Each test runs its own cluster in its own temporary directory, whatever DATABASE_URL says.
const log = pino({ level: 'silent' });
const dirs: string[] = [];
const handles: EmbeddedPostgresHandle[] = [];

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'guddu-embedded-'));
  dirs.push(dir);
  return dir;
}

async function start(dir: string): Promise<EmbeddedPostgresHandle> {
  const handle = await startEmbeddedPostgres(dir, log);
  handles.push(handle);
  return handle;
}

async function query<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

const pidFile = (dir: string) => join(dir, 'postgres', 'postmaster.pid');
const postmasterPid = async (dir: string) => Number((await readFile(pidFile(dir), 'utf8')).split('\n')[0]);

const alive = processAlive;

async function gone(pid: number, ms = 10_000): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until; ) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

async function refusesConnections(port: number): Promise<boolean> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
    return false;
  } catch (err) {
    return (err as { code?: string }).code === 'ECONNREFUSED';
  }
}

afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.stop()));
});

afterAll(async () => {
  // A test that failed half-way may have left a postgres running on its directory.
  for (const dir of dirs) {
    if (existsSync(pidFile(dir))) {
      const pid = await postmasterPid(dir);
      if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  }
});

describe('embedded PostgreSQL', () => {
  it('initialises an empty directory, serves PostgreSQL 18 on loopback, and stop() shuts it down', async () => {
    const dir = await dataDir();
    const pgHandle = await start(dir);
    expect(new URL(pgHandle.url).hostname).toBe('127.0.0.1');
    expect(pgHandle.url).toContain(`:${pgHandle.port}/guddu`);

    const [row] = await query<{ version: string; listen: string }>(
      pgHandle.urlFor('postgres'),
      `SELECT version(), current_setting('listen_addresses') AS listen`,
    );
    expect(row?.version).toMatch(/^PostgreSQL 18\.\d+/);
    expect(row?.listen).toBe('127.0.0.1');
    const pid = await postmasterPid(dir);
    expect(alive(pid)).toBe(true);

    await pgHandle.stop();

    expect(await gone(pid)).toBe(true);
    expect(existsSync(pidFile(dir))).toBe(false);
    expect(await refusesConnections(pgHandle.port)).toBe(true);
    await pgHandle.stop(); // idempotent
  });

  it('refuses a wrong password: the cluster is not open to anyone on the machine', async () => {
    const pgHandle = await start(await dataDir());
    const wrong = new URL(pgHandle.urlFor('postgres'));
    wrong.password = 'not-the-password';
    await expect(query(wrong.toString(), 'SELECT 1')).rejects.toThrow(/password authentication failed/);
  });

  it('keeps its data across a stop and a start', async () => {
    const dir = await dataDir();
    const first = await start(dir);
    await query(first.urlFor('postgres'), `CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')`);
    await first.stop();

    const second = await start(dir);

    expect(await query(second.urlFor('postgres'), 'SELECT note FROM kept')).toEqual([{ note: 'still here' }]);
  });

  it('starts when a stale postmaster.pid names a process that has died', async () => {
    const dir = await dataDir();
    const first = await start(dir);
    const lockFile = await readFile(pidFile(dir), 'utf8');
    await first.stop();
    // What a crash leaves behind: the lock file of a postmaster whose PID is no longer running.
    const dead = spawnSync('true').pid;
    expect(alive(dead)).toBe(false);
    await writeFile(pidFile(dir), lockFile.replace(/^\d+/, String(dead)));

    const second = await start(dir);

    expect(await query(second.urlFor('postgres'), 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    expect(await postmasterPid(dir)).not.toBe(dead);
  });

  it('starts when a stale postmaster.pid names a live process that is not our postgres (PID reused)', async () => {
    const dir = await dataDir();
    const first = await start(dir);
    const lockFile = await readFile(pidFile(dir), 'utf8');
    await first.stop();
    const stranger = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      await writeFile(pidFile(dir), lockFile.replace(/^\d+/, String(stranger.pid)));

      const second = await start(dir);

      expect(await query(second.urlFor('postgres'), 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
      expect(alive(stranger.pid!)).toBe(true); // left alone: it is not ours to stop
    } finally {
      stranger.kill('SIGKILL');
    }
  });

  it('stops an orphaned postgres left on the data dir by a crashed run, then starts on the same dir', async () => {
    const dir = await dataDir();
    const orphan = await startEmbeddedPostgres(dir, log); // deliberately never stopped, like a SIGKILLed Guddu's
    await query(orphan.urlFor('postgres'), `CREATE TABLE before_crash (n int); INSERT INTO before_crash VALUES (42)`);
    const orphanPid = await postmasterPid(dir);

    const next = await start(dir);

    expect(await gone(orphanPid)).toBe(true);
    expect(await postmasterPid(dir)).not.toBe(orphanPid);
    expect(await query(next.urlFor('postgres'), 'SELECT n FROM before_crash')).toEqual([{ n: 42 }]);
  });
});
