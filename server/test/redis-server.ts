import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

/** Fault tests run wherever redis-server is installed (both CI modes); a machine without it skips them. */
export const haveRedisServer = spawnSync('redis-server', ['--version']).status === 0;

/**
 * A Redis of the test's own (never the machine's 6379), so stopping or freezing it disturbs
 * nothing else. `appendOnly` persists every write, so a restart loses nothing.
 */
export async function startRedis(port: number, dir: string, opts: { appendOnly?: boolean } = {}): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...(opts.appendOnly ? ['--appendonly', 'yes'] : []), '--dir', dir];
  const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start')), 10_000);
    proc.stdout.on('data', (b: Buffer) => {
      if (/Ready to accept connections/.test(b.toString())) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return proc;
}

/** A clean shutdown: the append-only file is flushed first. */
export async function stopRedis(proc: ChildProcess): Promise<void> {
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await exited;
}
