// Child processes for the servers under test. Each runs in its own process group (detached), so
// a Ctrl-C in the terminal reaches only the benchmark, which then stops the children in order:
// SIGTERM first (Guddu drains and stops its embedded PostgreSQL), SIGKILL to the whole group if
// that takes too long, so no postgres is left behind.
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { forget, onCleanup } from './cleanup.mjs';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const killGroup = (pid, signal) => {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
};

/**
 * Starts `node <args>` and returns a handle. Output is kept (the last 8 KB of each stream) for
 * error messages; `onStdoutLine` sees stdout line by line.
 */
export function startNode(name, args, opts = {}) {
  return startProcess(name, process.execPath, args, opts);
}

/** Like startNode, for any executable (redis-server, nats-server). */
export function startProcess(name, command, args, { env, cwd, onStdoutLine, stopTimeoutMs = 30_000 } = {}) {
  const child = spawn(command, args, {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdoutTail = '';
  let stderrTail = '';
  let partial = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    stdoutTail = (stdoutTail + chunk).slice(-8192);
    if (!onStdoutLine) return;
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop();
    for (const line of lines) onStdoutLine(line);
  });
  child.stderr.on('data', (chunk) => {
    stderrTail = (stderrTail + chunk).slice(-8192);
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let stopping;
  const handle = {
    name,
    child,
    pid: child.pid,
    exited,
    get running() {
      return child.exitCode === null && child.signalCode === null;
    },
    output: () => [stdoutTail && `--- ${name} stdout ---\n${stdoutTail}`, stderrTail && `--- ${name} stderr ---\n${stderrTail}`].filter(Boolean).join('\n'),
    stderr: () => stderrTail,
    stop() {
      stopping ??= (async () => {
        if (handle.running) {
          child.kill('SIGTERM');
          const timer = new Promise((r) => setTimeout(() => r('timeout'), stopTimeoutMs).unref());
          if ((await Promise.race([exited, timer])) === 'timeout') {
            process.stderr.write(`bench: ${name} did not stop within ${stopTimeoutMs / 1000}s; killing its process group\n`);
          }
        }
        // Whatever it left in its group (an orphaned postgres after a crash) goes too.
        killGroup(child.pid, 'SIGKILL');
        forget(step);
        return exited;
      })();
      return stopping;
    },
  };
  const step = onCleanup(`stop ${name}`, () => handle.stop(), () => killGroup(child.pid, 'SIGKILL'));
  return handle;
}

/** Polls `url` until it answers 2xx; fails early if the child exits. */
export async function waitForHttp(url, handle, { timeoutMs = 180_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (!handle.running) {
      const { code, signal } = await handle.exited;
      throw new Error(`${handle.name} exited (${signal ?? code}) before it was ready\n${handle.output()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      lastError = err.cause?.code ?? err.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${handle.name} not ready at ${url} after ${timeoutMs / 1000}s (${lastError})\n${handle.output()}`);
}

/** Polls until something accepts TCP connections on 127.0.0.1:`port`; fails early if the child exits. */
export async function waitForPort(port, handle, { timeoutMs = 30_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!handle.running) {
      const { code, signal } = await handle.exited;
      throw new Error(`${handle.name} exited (${signal ?? code}) before it was ready\n${handle.output()}`);
    }
    const open = await new Promise((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${handle.name} not listening on port ${port} after ${timeoutMs / 1000}s\n${handle.output()}`);
}
