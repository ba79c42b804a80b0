import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processAlive } from '../src/platform/database/embedded-postgres.js';
import { expectContract } from './contract.js';
import {
  distributed,
  newInstallation,
  printedDocuments,
  removeAll,
  runCli,
  startGuddu,
  stopGuddu,
  type GudduServer,
  type Installation,
} from './spawn.js';

// The built app over real HTTP. Every test here spawns processes on a 2-core machine: be patient.
const PASSWORD = 'monsoon-tea-over-old-delhi';
const NEW_PASSWORD = 'lanterns-along-the-hooghly';
const GRACE_SECONDS = 20;
const SLOW = { timeout: 180_000 };
/** The curl command printed at first start when there is no organisation yet. */
const SETUP_TOKEN = /"setupToken":"([A-Za-z0-9_-]+)"/;

interface Reply<T = Record<string, unknown>> {
  status: number;
  type: string;
  body: T;
}

async function request<T = Record<string, unknown>>(
  server: GudduServer,
  method: string,
  path: string,
  opts: { body?: unknown; token?: string; requestId?: string } = {},
): Promise<Reply<T>> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.requestId ? { 'x-request-id': opts.requestId } : {}),
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  // Every response the e2e suite receives must match the committed OpenAPI document.
  expectContract({ method, url: path, status: res.status, contentType: res.headers.get('content-type') ?? '', body: text });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (text ? JSON.parse(text) : {}) as T };
}

interface TokenPair {
  accessToken: string;
  organisationId: string;
}

const login = (server: GudduServer, email: string, password: string, requestId?: string) =>
  request<TokenPair & { code?: string }>(server, 'POST', '/api/v1/auth/login', { body: { email, password }, ...(requestId ? { requestId } : {}) });

const postmasterPid = (inst: Installation): number =>
  Number(readFileSync(join(inst.dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);

const alive = processAlive;

/** What the server logged at info level or above from "shutting down" on: a clean stop says only that. */
function shutdownLog(server: GudduServer): { level: number; msg: string }[] {
  const lines = server.stdout().split('\n').filter((l) => l.startsWith('{'));
  const entries = lines.map((l) => JSON.parse(l) as { level: number; msg: string });
  const from = entries.findIndex((e) => e.msg === 'shutting down');
  return from < 0 ? [] : entries.slice(from).filter((e) => e.level >= 30 && e.msg !== 'request completed');
}

/** At debug level Fastify logs "incoming request" with our x-request-id as each request arrives. */
const allArrived = (prefix: string, n: number) => (stdout: string) =>
  Array.from({ length: n }, (_, i) => `"reqId":"${prefix}-${i}"`).every((id) => stdout.includes(id));

afterAll(removeAll, 120_000);

describe('first start without bootstrap settings', SLOW, () => {
  let server: GudduServer;
  let token: string;
  beforeAll(async () => {
    server = await startGuddu(await newInstallation());
  }, 180_000);

  it('prints a one-time setup token on stdout and is ready', async () => {
    const printed = SETUP_TOKEN.exec(server.stdout());
    expect(printed, server.stdout()).not.toBeNull();
    // Not a terminal: every line is JSON for a log shipper, the setup steps included.
    const lines = server.stdout().split('\n').filter(Boolean);
    expect(lines.filter((l) => !l.startsWith('{')), server.stdout()).toEqual([]);
    expect(lines.map((l) => JSON.parse(l) as { banner?: string[] }).find((l) => l.banner)?.banner?.join('\n')).toContain(printed![1]);
    token = printed![1]!;
    expect((await request(server, 'GET', '/healthz')).status).toBe(200);
    const ready = await request(server, 'GET', '/readyz');
    expect(ready).toMatchObject({ status: 200, body: { status: 'ok', checks: { database: 'ok', migrations: 'ok' } } });
  });

  it('refuses setup with a token that was not printed', async () => {
    const res = await request(server, 'POST', '/api/v1/setup', {
      body: { token: 'not-the-token', organisationName: 'Ministry of Ports', email: 'owner@ports.gov.in', password: PASSWORD },
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'setup_token_invalid' });
  });

  it('POST /api/v1/setup creates the first organisation and owner once; a second time is 409 setup_done', async () => {
    const setup = { token, organisationName: 'Ministry of Ports', email: 'owner@ports.gov.in', password: PASSWORD };

    const first = await request<{ organisationId: string; userId: string }>(server, 'POST', '/api/v1/setup', { body: setup });
    expect(first.status).toBe(201);
    const signedIn = await login(server, 'owner@ports.gov.in', PASSWORD);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.organisationId).toBe(first.body.organisationId);

    const again = await request(server, 'POST', '/api/v1/setup', { body: { ...setup, email: 'intruder@ports.gov.in' } });
    expect(again.status).toBe(409);
    expect(again.type).toContain('application/problem+json');
    expect(again.body).toMatchObject({ code: 'setup_done' });
    expect((await login(server, 'intruder@ports.gov.in', PASSWORD)).status).toBe(401);
  });
});

describe('an installation bootstrapped from GUDDU_BOOTSTRAP_*', SLOW, () => {
  const BOOTSTRAP = { GUDDU_BOOTSTRAP_ORG: 'Ministry of External Affairs', GUDDU_BOOTSTRAP_EMAIL: 'owner@mea.gov.in', GUDDU_BOOTSTRAP_PASSWORD: PASSWORD };
  let inst: Installation;
  let server: GudduServer;
  let orgId: string;

  beforeAll(async () => {
    inst = await newInstallation();
    server = await startGuddu(inst, BOOTSTRAP);
  }, 180_000);

  it('creates the organisation and its owner at first start, and the owner can sign in', async () => {
    expect(server.stdout()).not.toMatch(SETUP_TOKEN);
    const signedIn = await login(server, 'owner@mea.gov.in', PASSWORD);
    expect(signedIn.status).toBe(200);
    orgId = signedIn.body.organisationId;
    const me = await request<{ memberships: { name: string; role: string }[] }>(server, 'GET', '/api/v1/me', { token: signedIn.body.accessToken });
    expect(me.body.memberships).toEqual([expect.objectContaining({ name: 'Ministry of External Affairs', role: 'owner' })]);
    expect((await request(server, 'GET', '/readyz')).status).toBe(200);
  });

  describe('the CLI, while the server is running on the same installation', () => {
    let editorToken: string;

    it('create-user adds a user who can sign in, and the running server keeps serving', async () => {
      const run = await runCli(inst, ['create-user', '--email', 'Editor@MEA.gov.in', '--password', PASSWORD, '--org', orgId, '--role', 'editor', '--name', 'Asha Editor']);

      expect(run.code, run.stderr).toBe(0);
      expect(printedDocuments(run.stdout)).toEqual([{ userId: expect.any(String) as string, organisationId: orgId, role: 'editor' }]);
      const signedIn = await login(server, 'editor@mea.gov.in', PASSWORD);
      expect(signedIn.status).toBe(200);
      editorToken = signedIn.body.accessToken;
      // An admin command must not take the server's database away from it.
      expect((await request(server, 'GET', '/readyz')).status).toBe(200);
    });

    it('create-user refuses a weak password with a readable message and exit code 2', async () => {
      const run = await runCli(inst, ['create-user', '--email', 'weak@mea.gov.in', '--password', 'password', '--org', orgId]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^guddu create-user: .*\(weak_password\)\n$/);
    });

    it('reset-password: the old password stops working, the new one works, and sessions end', async () => {
      const run = await runCli(inst, ['reset-password', '--email', 'editor@mea.gov.in', '--password', NEW_PASSWORD]);

      expect(run.code, run.stderr).toBe(0);
      expect(printedDocuments(run.stdout)).toEqual([{ userId: expect.any(String) as string, sessionsEnded: 1 }]);
      const old = await login(server, 'editor@mea.gov.in', PASSWORD);
      expect(old.status).toBe(401);
      expect(old.body.code).toBe('invalid_credentials');
      expect((await login(server, 'editor@mea.gov.in', NEW_PASSWORD)).status).toBe(200);
      expect((await request(server, 'GET', '/api/v1/me', { token: editorToken })).status).toBe(401);
    });

    it('verify-audit exits 0 and prints a valid report for the organisation', async () => {
      const run = await runCli(inst, ['verify-audit']);

      expect(run.code, run.stderr).toBe(0);
      const reports = printedDocuments<{ organisationId: string; valid: boolean }>(run.stdout);
      expect(reports).toEqual([expect.objectContaining({ organisationId: orgId, valid: true })]);
    });

    it('migrate exits 0 and leaves the server ready', async () => {
      const run = await runCli(inst, ['migrate']);

      expect(run.code, run.stderr).toBe(0);
      expect((await request(server, 'GET', '/readyz')).status).toBe(200);
    });
  });

  it.skipIf(distributed)('refuses to start a second server on the same data dir while the first runs', async () => {
    const second = await runCli(inst, ['start'], { PORT: '0' }, 60_000);

    expect(second.code).toBe(1);
    expect(second.stderr).toContain('already running');
    expect((await request(server, 'GET', '/readyz')).status).toBe(200);
  });

  it.skipIf(!distributed)('starts a second replica beside the first on the same database', async () => {
    const replica = await startGuddu(inst);

    expect((await login(replica, 'editor@mea.gov.in', NEW_PASSWORD)).status).toBe(200);
    expect(await stopGuddu(replica)).toEqual({ code: 0, signal: null });
    expect((await request(server, 'GET', '/readyz')).status).toBe(200);
  });

  it('after SIGKILL it starts again on the same installation with its data intact', async () => {
    const orphan = distributed ? undefined : postmasterPid(inst);
    expect(await stopGuddu(server, 'SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });

    // LOG_LEVEL=debug logs each request as it arrives: the drain test below needs that.
    server = await startGuddu(inst, { LOG_LEVEL: 'debug', GUDDU_SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS) });

    if (orphan !== undefined) {
      expect(alive(orphan)).toBe(false); // the crashed run's postgres was stopped, not left beside the new one
      expect(postmasterPid(inst)).not.toBe(orphan);
    }
    expect(server.stdout()).not.toMatch(SETUP_TOKEN);
    expect((await request(server, 'GET', '/readyz')).status).toBe(200);
    expect((await login(server, 'owner@mea.gov.in', PASSWORD)).status).toBe(200);
    expect((await login(server, 'editor@mea.gov.in', NEW_PASSWORD)).status).toBe(200);
  });

  it('SIGTERM lets in-flight requests finish, then exits 0 within the grace period', async () => {
    const n = 8;
    const started = Date.now();
    // Each login runs argon2 (tens of ms) then writes a session: n of them keep the server busy.
    const inFlight = Array.from({ length: n }, (_, i) =>
      login(server, 'owner@mea.gov.in', PASSWORD, `drain-${i}`).then((r) => ({ ...r, at: Date.now() })),
    );
    await server.waitForStdout(allArrived('drain', n));
    const signalledAt = Date.now();

    server.child.kill('SIGTERM');

    const replies = await Promise.all(inFlight);
    const exit = await server.exited;
    expect(replies.map((r) => r.status)).toEqual(Array(n).fill(200));
    // The test only means something if the signal arrived while requests were still running.
    expect(Math.max(...replies.map((r) => r.at))).toBeGreaterThan(signalledAt);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(GRACE_SECONDS * 1000);
    expect(shutdownLog(server)).toEqual([expect.objectContaining({ msg: 'shutting down', signal: 'SIGTERM' })]);
    if (!distributed) expect(existsSync(join(inst.dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });

  it('Ctrl-C (SIGINT to the whole process group) also lets in-flight requests finish', async () => {
    server = await startGuddu(inst, { LOG_LEVEL: 'debug' });
    const n = 8;
    const inFlight = Array.from({ length: n }, (_, i) =>
      login(server, 'owner@mea.gov.in', PASSWORD, `ctrl-c-${i}`).then((r) => ({ ...r, at: Date.now() })),
    );
    await server.waitForStdout(allArrived('ctrl-c', n));
    const signalledAt = Date.now();

    // A terminal delivers Ctrl-C to its whole foreground process group: were the embedded
    // postgres in it, it would stop before the in-flight requests could finish.
    process.kill(-server.pid, 'SIGINT');

    const replies = await Promise.all(inFlight);
    expect(replies.map((r) => r.status)).toEqual(Array(n).fill(200));
    expect(Math.max(...replies.map((r) => r.at))).toBeGreaterThan(signalledAt);
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(shutdownLog(server)).toEqual([expect.objectContaining({ msg: 'shutting down', signal: 'SIGINT' })]);
  });
});

describe('CLI commands that need no database', SLOW, () => {
  it('openapi prints an OpenAPI 3.1 document with the login path', async () => {
    const run = await runCli(undefined, ['openapi']);

    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/v1/auth/login']).toHaveProperty('post');
  });

  it('bad configuration exits 78 with a readable message naming the variable', async () => {
    const run = await runCli(await newInstallation(), ['start'], { PORT: 'abc' });

    expect(run.code).toBe(78);
    expect(run.stderr).toMatch(/^Invalid configuration:\n\s+- PORT: /);
    expect(run.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(run.stdout).toBe('');
  });

  it('an unknown command exits 2 and prints the usage', async () => {
    const run = await runCli(undefined, ['frobnicate']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown command "frobnicate"');
    expect(run.stderr).toContain('Usage: guddu');
  });
});
