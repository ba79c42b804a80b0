import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { EmbeddedPostgresError, failureOf } from './embedded-postgres-error.js';
import { binariesFor, clusterDirFor, postgresUser, type Binaries, type PostgresUser } from './embedded-postgres-root.js';

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
  /**
   * The pid of the Guddu that runs this cluster when it is another live process (this one is
   * an admin command beside the server): stop() then leaves the cluster running.
   */
  sharedWith: number | undefined;
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';

async function loadBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(pkg)) as Binaries;
  } catch (cause) {
    throw new EmbeddedPostgresError(`no binaries for ${platform()}-${arch()} (${pkg} is not installed)`, 'run npm install on this machine, or set DATABASE_URL to a PostgreSQL 15 or later', cause);
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

export function processAlive(pid: number): boolean {
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

interface RunningCluster {
  port: number;
  /** The Guddu process that started it (and is still its parent). */
  owner: number;
}

/**
 * Makes the cluster ours to start, or finds that a running Guddu already serves it. A
 * postmaster.pid left by a crash names either a dead process (remove it) or a postgres that
 * outlived its Guddu (stop it, so that this start owns the cluster and its port). A postgres
 * still parented by the live Guddu that started it (the server, while an operator runs a CLI
 * command) is returned instead: stopping it would take the database away from the server.
 * What this process itself started earlier and lost the handle to counts as orphaned.
 */
async function claimCluster(clusterDir: string, log: Logger): Promise<RunningCluster | undefined> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) {
    const cmdline = readProc(pid, 'cmdline')?.replaceAll('\0', ' ');
    // Without /proc we cannot tell a live postgres on this cluster from a reused PID: leave the
    // lock file, so that PostgreSQL refuses to start rather than run twice on one data dir.
    if (cmdline === undefined && !existsSync('/proc/self/stat')) return undefined;
    if (cmdline?.includes('postgres') && cmdline.includes(clusterDir)) {
      const owner = Number(OWNER_MARK.exec(cmdline)?.[1]);
      if (owner !== process.pid && parentPid(pid) === owner) return { port: Number(lines[3]), owner };
      log.warn({ pid }, 'embedded PostgreSQL from an earlier run is still up; stopping it');
      process.kill(pid, 'SIGINT');
      if (!(await waitForExit(pid, 30_000))) process.kill(pid, 'SIGKILL');
      await waitForExit(pid, 5_000);
    }
  }
  if (existsSync(pidFile)) {
    log.warn({ pid }, 'removing stale postmaster.pid');
    await rm(pidFile, { force: true });
  }
  return undefined;
}

/** Each postgres we start carries the pid of the Guddu that started it, to tell orphans apart. */
const OWNER_MARK = /cluster_name=guddu-(\d+)/;

function readProc(pid: number, file: 'cmdline' | 'stat'): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

function parentPid(pid: number): number | undefined {
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
  const stat = readProc(pid, 'stat');
  return stat === undefined ? undefined : Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** A cluster another Guddu is still starting is shared once its lock file says "ready". */
async function waitUntilLockFileReady(clusterDir: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const status = existsSync(join(clusterDir, 'postmaster.pid'))
      ? (await readFile(join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[7]?.trim()
      : undefined;
    if (status === 'ready') return;
    if (status !== 'starting' || Date.now() > until) {
      throw new Error(`the embedded PostgreSQL in ${clusterDir}, run by another Guddu, is ${status ?? 'stopped'}; try again`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function initialise(bin: Binaries, clusterDir: string, passwordFile: string, user: PostgresUser | undefined) {
  await mkdir(clusterDir, { recursive: true, mode: 0o700 });
  if (user) await chown(clusterDir, user.uid, user.gid);
  const pwfile = join(clusterDir, '..', `.initdb-pw-${randomBytes(4).toString('hex')}`);
  await writeFile(pwfile, `${await readFile(passwordFile, 'utf8')}\n`, { mode: 0o600 });
  if (user) await chown(pwfile, user.uid, user.gid);
  try {
    const r = spawnSync(
      bin.initdb,
      ['-D', clusterDir, '-U', SUPERUSER, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8'],
      { encoding: 'utf8', ...(user ?? {}) },
    );
    if (r.error || r.status !== 0) {
      throw new EmbeddedPostgresError(
        `initdb ${bin.initdb} -D ${clusterDir}${user ? ` (as the ${SUPERUSER} user)` : ''} failed: ${failureOf(r)}`,
        `check that ${clusterDir} is writable${user ? ` by the ${SUPERUSER} user` : ''} and the disk has space; delete it to initialise again; or set DATABASE_URL`,
      );
    }
  } finally {
    await rm(pwfile, { force: true });
  }
}

export async function startEmbeddedPostgres(dataDir: string, log: Logger, bundled?: Binaries): Promise<EmbeddedPostgresHandle> {
  const user = postgresUser();
  const bin = await binariesFor(bundled ?? (await loadBinaries()), user, log);
  await mkdir(dataDir, { recursive: true });
  const clusterDir = await clusterDirFor(dataDir, user, log);
  const passwordFile = join(dataDir, 'postgres.password');
  if (!existsSync(passwordFile)) {
    await writeFile(passwordFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
  }
  const password = (await readFile(passwordFile, 'utf8')).trim();
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    log.info({ clusterDir }, 'initialising embedded PostgreSQL');
    await rm(clusterDir, { recursive: true, force: true });
    await initialise(bin, clusterDir, passwordFile, user);
  }
  const running = await claimCluster(clusterDir, log);
  const urlOn = (port: number) => (db: string) => `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;
  if (running) {
    await waitUntilLockFileReady(clusterDir, 60_000);
    log.info({ guddu: running.owner, port: running.port }, 'using the embedded PostgreSQL of the Guddu running on this data directory');
    const urlFor = urlOn(running.port);
    return { url: urlFor('guddu'), urlFor, port: running.port, sharedWith: running.owner, stop: async () => undefined };
  }

  const port = await freePort();
  const child = spawn(
    bin.postgres,
    [
      '-D', clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
      '-c', 'max_connections=200', '-c', `cluster_name=guddu-${process.pid}`,
    ],
    // Its own process group: Ctrl-C in a terminal signals the whole foreground group, and
    // postgres must not shut down while the HTTP server is still draining; we stop it last.
    { ...(user ?? {}), stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  await waitUntilReady(child, clusterDir, log);

  const urlFor = urlOn(port);
  let stopped: Promise<void> | undefined;
  return {
    url: urlFor('guddu'),
    urlFor,
    port,
    sharedWith: undefined,
    stop: () => (stopped ??= stopChild(child)),
  };
}

function waitUntilReady(child: ChildProcess, clusterDir: string, log: Logger): Promise<void> {
  return new Promise((ready, fail) => {
    let tail = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      tail = (tail + chunk).slice(-4000);
      for (const line of chunk.split('\n').filter(Boolean)) log.debug({ postgres: line });
      if (tail.includes('database system is ready to accept connections')) ready();
    });
    const hint = `read the lines above; check that ${clusterDir} is intact and the disk has space; or set DATABASE_URL`;
    child.once('exit', (status, signal) => fail(new EmbeddedPostgresError(`postgres on ${clusterDir} stopped while starting: ${failureOf({ status, signal, stderr: tail })}`, hint)));
    child.once('error', (err) => fail(new EmbeddedPostgresError(`cannot run postgres: ${err.message}`, hint, err)));
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
