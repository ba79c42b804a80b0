import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Network } from '../src/modules/publishing/channel-access.port.js';
import { Transactor } from '../src/platform/database/transactor.js';
import { channelsEnv, connectSandboxChannel, sandboxOf, type ChannelView } from './channels-fixtures.js';
import { addUser, call, createTestDatabase, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';
import { until } from './jobs-harness.js';

// The chaos test (issue 13), scaled for a 2-core machine and run in embedded mode only: an API
// process (this test) and a separate `guddu worker` process that does all the delivering,
// SIGKILLed again and again while the simulators inject commit-then-timeouts and 5xx. Counted
// in the simulators' own ledger: no duplicate; in the database: nothing lost, everything
// settled, every attempt audited. Scale with GUDDU_CHAOS_MESSAGES (default 20 × 5 networks).
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const NETWORKS: Network[] = ['facebook', 'x', 'linkedin', 'mastodon', 'bluesky'];
const MESSAGES = Number(process.env.GUDDU_CHAOS_MESSAGES ?? 20);
const KILLS = 10;
const distributed = Boolean(process.env.DATABASE_URL);

let t: TestApp;
let url: string;
let secretKey: string;
let editor: Session;
let approver: Session;
const channels: ChannelView[] = [];
let worker: ChildProcess | undefined;

function startWorker(): ChildProcess {
  const proc = spawn(process.execPath, [CLI, 'worker'], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: url,
      GUDDU_SECRET_KEY: secretKey,
      GUDDU_SANDBOX: 'off',
      PORT: '0',
      LOG_LEVEL: 'silent',
      GUDDU_JOB_LOCK_MS: '2000',
      GUDDU_DELIVERY_CALL_TIMEOUT_MS: '1500',
      GUDDU_DB_POOL_SIZE: '20',
      GUDDU_JOB_CONCURRENCY: '10',
      GUDDU_DELIVERY_CONCURRENCY: '8',
    },
    stdio: 'ignore',
  });
  return proc;
}

beforeAll(async () => {
  if (distributed) return;
  if (!existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build -w server` before this test');
  url = await createTestDatabase();
  secretKey = randomBytes(32).toString('base64');
  t = await startTestApp({ ...channelsEnv(), GUDDU_SECRET_KEY: secretKey }, { role: 'api', databaseUrl: url });
  const { orgId, owner } = await seedRootOrg(t);
  editor = (await addUser(t, orgId, 'editor')).session;
  approver = (await addUser(t, orgId, 'approver')).session;
  for (const n of NETWORKS) channels.push(await connectSandboxChannel(t, owner, n));
}, 180_000);
afterAll(async () => {
  worker?.kill('SIGKILL');
  await t?.close();
});

async function fault(network: Network, rule: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${sandboxOf(t).urls[network]}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rule) });
  expect(res.status, await res.text()).toBeLessThan(300);
}

const CREATE_PATHS: Record<string, string> = {
  facebook: '/feed$',
  x: '^/2/tweets$',
  linkedin: '^/rest/posts$',
  mastodon: '^/api/v1/statuses$',
  bluesky: 'createRecord',
};

async function dueMessage(i: number, at: Date): Promise<string> {
  const created = await call(t, { method: 'POST', url: '/api/v1/messages', token: editor.accessToken, payload: { title: `Chaos ${i}`, content: { bodies: { en: `Chaos statement number ${i} ${randomBytes(3).toString('hex')}` }, targets: channels.map((c) => c.id) } } });
  expect(created.statusCode, created.body).toBe(201);
  const m = created.json<{ id: string; revision: number; contentHash: string }>();
  const timed = await call(t, { method: 'PUT', url: `/api/v1/messages/${m.id}/schedule`, token: editor.accessToken, payload: { at: at.toISOString(), zone: 'UTC' }, headers: { 'if-match': `"${m.revision}"` } });
  expect(timed.statusCode, timed.body).toBe(200);
  expect((await call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/submit`, token: editor.accessToken, payload: {} })).statusCode).toBe(200);
  const approved = await call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/approvals`, token: approver.accessToken, payload: { decision: 'approved', contentHash: m.contentHash } });
  expect(approved.statusCode, approved.body).toBe(200);
  return m.id;
}

interface Counts {
  deliveries: number;
  open: number;
  succeeded: number;
  failed: number;
  attempts: number;
  audited: number;
  unended: number;
}

async function counts(): Promise<Counts> {
  return t.app.get(Transactor).withTenantBypass('test: chaos counts', async (db) => {
    const r = await sql<Counts>`SELECT
      (SELECT count(*)::int FROM deliveries) AS deliveries,
      (SELECT count(*)::int FROM deliveries WHERE state IN ('pending', 'held', 'in_flight', 'unknown')) AS open,
      (SELECT count(*)::int FROM deliveries WHERE state = 'succeeded') AS succeeded,
      (SELECT count(*)::int FROM deliveries WHERE state = 'failed') AS failed,
      (SELECT count(*)::int FROM delivery_attempts WHERE kind IN ('publish', 'reconcile')) AS attempts,
      (SELECT count(*)::int FROM audit_events WHERE action = 'delivery.in_flight') AS audited,
      (SELECT count(*)::int FROM delivery_attempts WHERE outcome IS NULL) AS unended`.execute(db);
    return r.rows[0]!;
  });
}

describe.skipIf(distributed)('delivery chaos (embedded mode)', () => {
  it('loses nothing and duplicates nothing while the worker is SIGKILLed and the networks misbehave', async () => {
    for (const n of NETWORKS) {
      await fault(n, { method: 'POST', path: CREATE_PATHS[n], probability: 0.05, action: { kind: 'commit-then-timeout', holdMs: 3_000 } });
      await fault(n, { method: 'POST', path: CREATE_PATHS[n], probability: 0.05, action: { kind: 'status', status: 503 } });
    }
    const at = new Date(Date.now() + 20_000 + MESSAGES * 400);
    const ids: string[] = [];
    for (let i = 0; i < MESSAGES; i += 1) ids.push(await dueMessage(i, at));
    worker = startWorker();
    await new Promise((r) => setTimeout(r, Math.max(0, at.getTime() - Date.now())));
    // Kill the worker mid-flight, again and again; each time a new one takes over.
    for (let k = 0; k < KILLS; k += 1) {
      await new Promise((r) => setTimeout(r, 2_500 + Math.random() * 2_000));
      worker.kill('SIGKILL');
      worker = startWorker();
    }
    let last: Counts | undefined;
    try {
      await until(async () => {
        last = await counts();
        return last.deliveries === MESSAGES * NETWORKS.length && last.open === 0;
      }, 240_000, 'every delivery settled', 1_000);
    } finally {
      console.log('chaos:', JSON.stringify(last));
    }
    const c = last!;
    const ledger = sandboxOf(t).harness.ledger;
    // 0 duplicates, counted by the networks, not by Guddu.
    expect(ledger.duplicates()).toEqual([]);
    // 0 lost: every delivery settled, and every one Guddu calls succeeded is in a ledger.
    expect(c.open).toBe(0);
    const posted = new Set(ledger.list().map((p) => `${p.network}:${p.id}`));
    const ok = await t.app.get(Transactor).withTenantBypass('test: chaos posts', async (db) => (await sql<{ network: string; external_id: string }>`SELECT network, external_id FROM deliveries WHERE state = 'succeeded'`.execute(db)).rows);
    for (const d of ok) expect(posted.has(`${d.network}:${d.external_id}`) || [...posted].some((p) => p.startsWith(`${d.network}:`) && p.endsWith(d.external_id)), `${d.network} ${d.external_id}`).toBe(true);
    // Every network call attempted is audited (the attempt and its audit record commit together).
    expect(c.audited).toBe(c.attempts);
    expect(c.succeeded + c.failed).toBe(c.deliveries);
    for (const id of ids) {
      const status = (await call(t, { method: 'GET', url: `/api/v1/messages/${id}`, token: editor.accessToken })).json<{ status: string }>().status;
      expect(['published', 'partially_published', 'failed']).toContain(status);
    }
  }, 600_000);
});
