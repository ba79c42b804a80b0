// `npm run bench -- publish`: publishing on the built server (server/dist) against its sandbox
// networks (the simulators the server starts in-process; we reach them over their admin API).
// 1. Latency: approve → the post present in the simulator, p50/p95 (target p95 < 300 ms). The
//    baseline, measured in the same run, is the same provider call (POST /api/v1/statuses)
//    made directly to the simulator.
// 2. Drain: N deliveries (default 5,000) due in the same minute across 50 Mastodon channels,
//    under a per-account limit: time to drain against the limit's own minimum, duplicates in the
//    simulator's ledger, and the peak of concurrent calls the simulator saw.
// See bench/README.md.
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { freePort, startNode, waitForHttp } from './lib/children.mjs';
import { fmt, table } from './lib/format.mjs';
import { CLI, EMAIL, gudduEnv, PASSWORD, prepareDatabase, ROOT } from './lib/guddu.mjs';

const TARGET_P95_MS = 300;

export const description = 'approve → post in the simulator p50/p95 next to a direct call; N deliveries due at once across 50 channels under rate limits';

export const options = {
  samples: { type: 'string', default: '40', help: 'approve → post measurements, one after another (default 40)' },
  deliveries: { type: 'string', default: '5000', help: 'deliveries due in the same minute (default 5000)' },
  channels: { type: 'string', default: '50', help: 'Mastodon channels they spread over (default 50)' },
  limit: { type: 'string', default: '40', help: 'requests each account may make per window (default 40)' },
  'window-ms': { type: 'string', default: '10000', help: 'the rate-limit window in ms (default 10000)' },
  concurrency: { type: 'string', default: '8', help: 'GUDDU_DELIVERY_CONCURRENCY of the server (default 8)' },
};

const positiveInt = (name, v, min = 1) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min} (got "${v}")`);
  return n;
};
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const row = (label, values) => {
  const s = [...values].sort((a, b) => a - b);
  return [label, fmt.int(s.length), fmt.ms(pct(s, 50)), fmt.ms(pct(s, 95)), fmt.ms(pct(s, 99)), fmt.ms(s.at(-1))];
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function run(values) {
  const samples = positiveInt('samples', values.samples, 0);
  const deliveries = positiveInt('deliveries', values.deliveries, 0);
  const channelCount = positiveInt('channels', values.channels);
  const limit = positiveInt('limit', values.limit);
  const windowMs = positiveInt('window-ms', values['window-ms'], 100);
  const concurrency = positiveInt('concurrency', values.concurrency);
  if (!existsSync(CLI)) throw new Error(`${CLI} not found: build first (npm run build -w server), or use npm run bench`);
  console.log(`Guddu publish benchmark — ${cpus().length} × ${cpus()[0]?.model?.trim() ?? 'cpu'}, Node ${process.version}`);
  console.log(`  load average before start: ${loadavg()[0].toFixed(2)}`);
  const db = await prepareDatabase();
  const port = await freePort();
  const env = gudduEnv(db, port, 30, { GUDDU_SANDBOX: 'on', GUDDU_DELIVERY_CONCURRENCY: String(concurrency), GUDDU_JOB_CONCURRENCY: String(Math.max(10, concurrency * 2)) });
  const handle = startNode('guddu', [CLI, 'start'], { env, cwd: ROOT });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${base}/readyz`, handle);
    console.log(`  server: node server/dist/cli.js start (${db.label}), sandbox on, GUDDU_DELIVERY_CONCURRENCY=${concurrency}`);
    const login = await post(base, '/api/v1/auth/login', { email: EMAIL, password: PASSWORD });
    const api = client(base, login.accessToken);
    const orgId = login.organisationId;
    // One stage the owner may approve alone; an approval after the time publishes at once.
    await api.put('/api/v1/approval-policy', { stages: [{ name: 'Owner', approvers: { roles: ['owner'] }, rule: 'any' }], allowSelfApproval: true, lateApproval: { mode: 'publish_now' } }, orgId);

    // The sandbox Mastodon: its address from the connect flow's authorize URL.
    const first = await api.post('/api/v1/channels/connect', { network: 'mastodon', sandbox: true });
    const sim = new URL(first.authorizeUrl).origin;
    const admin = simAdmin(sim);
    // The baseline first, before the limit below applies: the same call, straight to the simulator.
    const direct = await admin('POST', '/__sim/accounts', { username: 'bench_direct' });
    const baseline = [];
    for (let i = 0; i < samples + 5; i++) {
      const t0 = performance.now();
      const res = await fetch(`${sim}/api/v1/statuses`, { method: 'POST', headers: { authorization: `Bearer ${direct.accessToken}`, 'content-type': 'application/json', 'idempotency-key': `direct-${i}-${Date.now()}` }, body: JSON.stringify({ status: `Direct baseline ${i} ${Date.now()}`, visibility: 'public' }) });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`direct call: HTTP ${res.status}`);
      if (i >= 5) baseline.push(performance.now() - t0);
    }
    // The limit is set before any call: every answer then reports the same window, as a real
    // network's do (Guddu never moves a window's reset earlier on a later answer).
    await admin('PATCH', '/__sim/config', { requestsPer5Min: limit, requestsWindowMs: windowMs });
    const accounts = [];
    for (let i = 0; i < channelCount; i++) accounts.push(await admin('POST', '/__sim/accounts', { username: `bench_${i}` }));
    const channels = [];
    for (const a of accounts) channels.push(await connect(api, a.accountId));
    console.log(`  ${channels.length} Mastodon channels connected through the sandbox's OAuth flow (${sim})\n`);

    // 1. Latency, one message at a time, against a direct call to the same endpoint.
    const approveToPost = [];
    for (let i = 0; i < samples + 3; i++) {
      const text = `Latency sample ${i} ${Date.now()}`;
      const id = await dueMessage(api, text, [channels[i % channels.length]], new Date(Date.now() + 1_200));
      await sleep(1_400);
      const t0 = performance.now();
      const approved = await api.post(`/api/v1/messages/${id}/approvals`, { decision: 'approved', contentHash: (await api.get(`/api/v1/messages/${id}`)).contentHash });
      if (!['scheduled', 'publishing', 'published'].includes(approved.status)) throw new Error(`approval answered ${approved.status}`);
      await until(async () => (await admin('GET', '/__sim/posts')).posts.some((p) => p.text === text), 30_000, `post ${i} in the simulator`, 3);
      if (i >= 3) approveToPost.push(performance.now() - t0);
    }
    if (samples > 0) {
      console.log(table([['figure (ms)', 'n', 'p50', 'p95', 'p99', 'max'], row('baseline: POST /api/v1/statuses to the simulator', baseline), row('approve → post present in the simulator', approveToPost)]));
      const p95 = pct([...approveToPost].sort((a, b) => a - b), 95);
      console.log(`\n  approve → post p95 ${fmt.ms(p95)} ms (target < ${TARGET_P95_MS} ms): ${p95 < TARGET_P95_MS ? 'met' : 'NOT met'}\n`);
    }

    // 2. Drain: every message targets every channel; all fall due at the same time.
    if (deliveries > 0) {
      const perMessage = channels.length;
      const messages = Math.ceil(deliveries / perMessage);
      const before = (await admin('GET', '/__sim/posts')).posts.length;
      const prep = performance.now();
      // Enough time to create, submit and approve them all before they fall due.
      const due = new Date(Date.now() + 30_000 + messages * 150);
      const ids = [];
      for (let i = 0; i < messages; i++) {
        const id = await dueMessage(api, `Drain ${i} ${Date.now()}`, channels.slice(0, Math.min(perMessage, deliveries - i * perMessage)), due);
        await api.post(`/api/v1/messages/${id}/approvals`, { decision: 'approved', contentHash: (await api.get(`/api/v1/messages/${id}`)).contentHash });
        ids.push(id);
      }
      const wait = due.getTime() - Date.now();
      if (wait < 0) throw new Error('the messages were not all approved before their time: raise the lead time');
      console.log(`  ${messages} messages × up to ${perMessage} channels approved in ${fmt.ms(performance.now() - prep)} ms; due at ${due.toISOString()}`);
      await sleep(wait);
      await admin('DELETE', '/__sim/calls');
      const start = Date.now();
      let posted = 0;
      await until(async () => {
        posted = (await admin('GET', '/__sim/posts')).posts.length - before;
        return posted >= deliveries;
      }, 60 * 60_000, `${deliveries} posts`, 250);
      const drainMs = Date.now() - start;
      const duplicates = (await admin('GET', '/__sim/duplicates')).duplicates.length;
      const calls = await admin('GET', '/__sim/calls');
      // Each account may post `limit` times per window: the last of its posts can go out no
      // sooner than this, whatever the engine does (the first window opens at the due time).
      const perAccount = Math.ceil(deliveries / channels.length);
      const minimumMs = (Math.ceil(perAccount / limit) - 1) * windowMs;
      console.log(
        table([
          ['figure', 'value'],
          ['deliveries', fmt.int(deliveries)],
          ['channels (accounts)', fmt.int(channels.length)],
          [`limit per account`, `${limit} per ${windowMs} ms`],
          ['time to drain (ms, from the due time)', fmt.ms(drainMs)],
          ["the limits' own minimum (ms)", fmt.ms(minimumMs)],
          ['drain / minimum', minimumMs > 0 ? (drainMs / minimumMs).toFixed(2) : 'n/a'],
          ['duplicates in the ledger', fmt.int(duplicates)],
          ['peak concurrent calls (simulator)', `${calls.network.peak} (GUDDU_DELIVERY_CONCURRENCY=${concurrency})`],
        ]),
      );
      if (duplicates > 0) throw new Error(`${duplicates} duplicate posts`);
    }
  } finally {
    await handle.stop();
  }
  return 0;
}

function client(base, token) {
  const req = async (method, path, body, org) => {
    const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(org ? { 'x-guddu-org': org } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(method === 'PUT' && path.endsWith('/schedule') ? { 'if-match': `"${body.revision}"` } : {}) }, body: body === undefined ? undefined : JSON.stringify(path.endsWith('/schedule') ? { at: body.at, zone: body.zone } : body), redirect: 'manual' });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return { status: res.status, location: res.headers.get('location'), json: text ? JSON.parse(text) : {} };
  };
  return {
    raw: req,
    get: async (p) => (await req('GET', p)).json,
    post: async (p, b) => (await req('POST', p, b ?? {})).json,
    put: async (p, b, org) => (await req('PUT', p, b, org)).json,
  };
}

async function post(base, path, body) {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status >= 400) throw new Error(`POST ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

function simAdmin(sim) {
  return async (method, path, body) => {
    const res = await fetch(`${sim}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status >= 400) throw new Error(`simulator ${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    return res.status === 204 ? {} : res.json();
  };
}

/** The real connect flow: start, the simulator's consent for one seeded account, the callback. */
async function connect(api, simAccount) {
  const started = await api.post('/api/v1/channels/connect', { network: 'mastodon', sandbox: true });
  const url = new URL(started.authorizeUrl);
  url.searchParams.set('sim_account', simAccount);
  const consent = await fetch(url, { redirect: 'manual' });
  if (consent.status !== 302) throw new Error(`consent: HTTP ${consent.status}`);
  const back = new URL(consent.headers.get('location'));
  // The network sends the browser to the console's landing page; its API route takes the same answer.
  const done = await api.raw('GET', `/api/v1${back.pathname.replace(/\/$/, '')}${back.search}`);
  const location = new URL(done.location, 'http://console');
  const id = location.searchParams.get('connected');
  if (!id) throw new Error(`the callback went to ${location}`);
  return id;
}

async function dueMessage(api, text, targets, at) {
  const m = await api.post('/api/v1/messages', { title: text.slice(0, 40), content: { bodies: { en: text }, targets } });
  await api.raw('PUT', `/api/v1/messages/${m.id}/schedule`, { at: at.toISOString(), zone: 'UTC', revision: m.revision });
  await api.post(`/api/v1/messages/${m.id}/submit`, {});
  return m.id;
}

async function until(check, timeoutMs, what, stepMs) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(stepMs);
  }
}
