import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../src/platform/database/embedded-postgres.js';
import { createDatabase } from '../test/databases.js';

/**
 * Runs the BUILT Guddu (`dist/cli.js`) as child processes, the way an operator does, and keeps
 * track of every process so a test file can always clean up, even after a failed assertion.
 */
export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
/** Distributed mode: each installation gets its own database on the DATABASE_URL server. */
export const distributed = Boolean(process.env.DATABASE_URL);

const running = new Set<ChildProcess>();

export interface Installation {
  dataDir: string;
  /** What every process of this installation is started with (data dir, database, key). */
  env: Record<string, string>;
}

const installations: Installation[] = [];

/** One Guddu installation: a fresh data dir and, in distributed mode, a fresh empty database. */
export async function newInstallation(): Promise<Installation> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build -w server\` before the e2e tests`);
  const dataDir = await mkdtemp(join(tmpdir(), 'guddu-e2e-'));
  const env: Record<string, string> = { GUDDU_DATA_DIR: dataDir };
  if (distributed) {
    env.DATABASE_URL = await emptyDatabase();
    env.GUDDU_SECRET_KEY = randomBytes(32).toString('base64');
  }
  const installation = { dataDir, env };
  installations.push(installation);
  return installation;
}

const emptyDatabase = () => createDatabase({ fromTemplate: false });

/** Only what Guddu needs from the outer environment: no PORT, DATABASE_URL etc. leaking in. */
function childEnv(extra: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) base[name] = value;
  }
  // The drain tests use several simultaneous sign-ins to one account as slow requests; each
  // counts against the account until it succeeds, so the limits are lifted here (throttling has
  // its own integration tests).
  return { ...base, LOG_LEVEL: 'warn', GUDDU_LOGIN_MAX_ATTEMPTS_PER_IP: '1000', GUDDU_LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000', ...extra };
}

export { freePort };

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface GudduServer {
  child: ChildProcess;
  pid: number;
  url: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
  /** Resolves once `test(stdout)` holds (the app logs JSON lines to stdout); polls every 10 ms. */
  waitForStdout(test: (stdout: string) => boolean, timeoutMs?: number): Promise<void>;
}

function track(child: ChildProcess) {
  running.add(child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<Exit>((resolveExit) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolveExit({ code, signal });
    }),
  );
  return { stdout: () => out, stderr: () => err, exited };
}

/**
 * `node dist/cli.js start` (or `serve`, `worker`) on a free port; resolves once /healthz answers. The child gets its
 * own process group (like a service manager's), so a test can also signal the group as a
 * terminal's Ctrl-C does.
 */
export async function startGuddu(inst: Installation, env: Record<string, string> = {}, role: 'start' | 'serve' | 'worker' = 'start'): Promise<GudduServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, role], {
    env: childEnv({ ...inst.env, PORT: String(port), HOST: '127.0.0.1', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const io = track(child);
  const url = `http://127.0.0.1:${port}`;
  const server: GudduServer = {
    child,
    pid: child.pid!,
    url,
    ...io,
    waitForStdout: async (test, timeoutMs = 30_000) => {
      await waitFor(() => (test(io.stdout()) ? true : undefined), timeoutMs, io, `stdout to satisfy ${test.toString()}`, 10);
    },
  };
  await waitFor(
    async () => {
      try {
        return (await fetch(`${url}/healthz`)).ok ? true : undefined;
      } catch {
        return undefined; // not listening yet: keep polling
      }
    },
    120_000,
    io,
    'GET /healthz',
    100,
  );
  return server;
}

async function waitFor<T>(
  probe: () => T | undefined | null | Promise<T | undefined | null>,
  timeoutMs: number,
  io: { stdout(): string; stderr(): string; exited: Promise<Exit> },
  what: string,
  intervalMs: number,
): Promise<T> {
  let exit: Exit | undefined;
  void io.exited.then((e) => (exit = e));
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null) return value;
    if (exit || Date.now() > until) {
      throw new Error(
        `${exit ? `guddu exited (${exit.code ?? exit.signal})` : 'timed out'} waiting for ${what}\n` +
          `--- stdout ---\n${io.stdout().slice(-4000)}\n--- stderr ---\n${io.stderr().slice(-4000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface CliResult extends Exit {
  stdout: string;
  stderr: string;
}

/**
 * Runs one CLI command to completion. The default limit sits below the database pool's 30 s
 * idle timeout on purpose: a command that leaves a connection open hangs that long, and is
 * killed (exit code null) rather than passing slowly.
 */
export async function runCli(inst: Installation | undefined, args: string[], env: Record<string, string> = {}, timeoutMs = 25_000): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI, ...args], { env: childEnv({ ...(inst?.env ?? {}), ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
  const io = track(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exit = await io.exited;
  clearTimeout(timer);
  return { ...exit, stdout: io.stdout(), stderr: io.stderr() };
}

/** The pretty-printed JSON documents a CLI command wrote to stdout (log lines are one-line JSON). */
export function printedDocuments<T>(stdout: string): T[] {
  return [...stdout.matchAll(/^\{\n[\s\S]*?\n\}$/gm)].map((m) => JSON.parse(m[0]) as T);
}

/** Ends a server with a signal and waits for it to exit. */
export async function stopGuddu(server: GudduServer, signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal);
  return server.exited;
}

function postmasterPid(dataDir: string): number | undefined {
  const file = join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Sends `signal` (0: only asks whether the process exists); false when there is no such process. */
function signal(pid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/** Kills every process this file started (a test may have failed half-way), then the embedded clusters. */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...running].map(async (child) => {
      const exited = new Promise((r) => child.once('exit', r));
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    }),
  );
  for (const inst of installations) {
    const pid = postmasterPid(inst.dataDir);
    // A Guddu killed above leaves its postgres running: stop it like the next start would.
    if (pid !== undefined && signal(pid, 'SIGINT')) {
      for (let i = 0; i < 100 && signal(pid, 0); i++) await new Promise((r) => setTimeout(r, 100));
      signal(pid, 'SIGKILL');
    }
  }
}

/** killAll, then removes every installation's data dir (their databases go with the run's teardown). */
export async function removeAll(): Promise<void> {
  await killAll();
  await Promise.all(installations.splice(0).map((i) => rm(i.dataDir, { recursive: true, force: true })));
}
