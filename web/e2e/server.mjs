// Starts the BUILT Guddu (server/dist/cli.js) on a free port with a fresh embedded data dir, as
// `npm start` does, and reads the one-time setup token it prints.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../server/dist/cli.js', import.meta.url));

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * `host` is the name the browser uses, and so the public URL: `localhost` where WebAuthn needs
 * a domain for its relying party (an IP address is not one). The server listens on 127.0.0.1.
 */
export async function startGuddu({ host = '127.0.0.1' } = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'guddu-browser-'));
  const port = await freePort();
  // The public URL names the address the browser uses: the networks' OAuth callback comes back
  // there, and the session cookie belongs to that host.
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, GUDDU_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', GUDDU_PUBLIC_URL: `http://${host}:${port}`, LOG_LEVEL: 'info', GUDDU_WEBHOOKS_ALLOW_PRIVATE: 'true' };
  const child = spawn(process.execPath, [CLI, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c) => (out += c));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  let token;
  while (Date.now() < deadline) {
    token = /"setupToken":"([A-Za-z0-9_-]+)"/.exec(out)?.[1];
    const up = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (up && token) break;
    if (child.exitCode !== null) throw new Error(`guddu exited early:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  if (!token) throw new Error(`no setup token printed in time:\n${out}`);
  return {
    url: `http://${host}:${port}`,
    token,
    output: () => out,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
