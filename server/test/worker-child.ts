import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./fixtures/job-worker-child.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/platform/jobs/jobs.module.js', import.meta.url));
const children = new Set<ChildProcess>();

export interface WorkerChild {
  proc: ChildProcess;
  lines: string[];
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
}

/** A worker process (fixtures/job-worker-child.mjs, on the built server) on the given database. */
export async function spawnWorker(env: Record<string, string>): Promise<WorkerChild> {
  if (!existsSync(DIST)) throw new Error('dist/ is missing: run `npm run build -w server` before this test');
  const proc = spawn(process.execPath, [SCRIPT], {
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'silent',
      GUDDU_SECRET_KEY: randomBytes(32).toString('base64'),
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(proc);
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let buffered = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts);
    for (const w of waiters) w();
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => {
    children.delete(proc);
    resolve(code);
  }));
  const waitFor = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const hit = lines.find((l) => pattern.test(l));
        if (!hit) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(hit);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`worker child: no line matching ${pattern} within ${timeoutMs} ms (got: ${lines.join(' | ')})`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  await waitFor(/^ready$/);
  return { proc, lines, waitFor, exited };
}

/** For afterAll: no child outlives its test file. */
export function killWorkers(): void {
  for (const c of children) c.kill('SIGKILL');
}
