// `npm run bench -- realtime`: how long an event takes from the API call that caused it to a
// browser-style socket.io listener, on the built server (server/dist). The baseline, measured in
// the same run, is the API call itself: the event cannot arrive before its transaction commits.
// See bench/README.md.
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import { freePort, startNode, waitForHttp } from './lib/children.mjs';
import { fmt, table } from './lib/format.mjs';
import { CLI, EMAIL, gudduEnv, PASSWORD, prepareDatabase, ROOT } from './lib/guddu.mjs';

const TARGET_P95_MS = 100;

export const description = 'event → socket latency (create a message, hear messages.created) with idle listeners, next to the API call itself';

export const options = {
  requests: { type: 'string', default: '200', help: 'messages created and heard, one after another (default 200)' },
  listeners: { type: 'string', default: '100', help: 'other sockets in the same rooms, each receiving every event (default 100)' },
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

function connect(url, token) {
  const socket = io(url, { path: '/api/realtime', transports: ['websocket'], extraHeaders: { authorization: `Bearer ${token}` }, reconnection: false });
  const ready = new Promise((resolve, reject) => {
    socket.once('ready', resolve);
    socket.once('connect_error', reject);
  });
  return { socket, ready };
}

export async function run(values) {
  const requests = positiveInt('requests', values.requests);
  const listeners = positiveInt('listeners', values.listeners, 0);
  if (!existsSync(CLI)) throw new Error(`${CLI} not found: build first (npm run build -w server), or use npm run bench`);
  console.log(`Guddu realtime benchmark — ${cpus().length} × ${cpus()[0]?.model?.trim() ?? 'cpu'}, Node ${process.version}`);
  console.log(`  load average before start: ${loadavg()[0].toFixed(2)}`);
  const db = await prepareDatabase();
  const port = await freePort();
  const handle = startNode('guddu', [CLI, 'start'], { env: gudduEnv(db, port, 16), cwd: ROOT });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/readyz`, handle);
  console.log(`  server: node server/dist/cli.js start (${db.label}), LOG_LEVEL=warn`);
  const login = await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) })).json();
  const token = login.accessToken;

  const others = Array.from({ length: listeners }, () => connect(base, token));
  const ear = connect(base, token);
  await Promise.all([ear.ready, ...others.map((o) => o.ready)]);
  const waiting = new Map();
  ear.socket.on('event', (e) => {
    if (e.name !== 'messages.created') return;
    waiting.get(e.aggregateId)?.(performance.now());
  });
  console.log(`  ${1 + listeners} sockets connected (1 timed + ${listeners} idle in the same rooms)\n`);

  const call = [];
  const heard = [];
  const afterCommit = [];
  const create = async (i) => {
    const t0 = performance.now();
    const res = await fetch(`${base}/api/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: `Bench ${i}`, content: { bodies: { en: `Statement number ${i}` }, channels: ['x'] } }),
    });
    const { id } = await res.json();
    const t1 = performance.now();
    // The event may come before the HTTP answer has been read: register, then look back.
    const t2 = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), 10_000);
      waiting.set(id, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
      if (early.has(id)) resolve(early.get(id));
    });
    waiting.delete(id);
    if (res.status !== 201 || t2 === undefined) throw new Error(`message ${i}: HTTP ${res.status}, heard ${t2 !== undefined}`);
    return { t0, t1, t2 };
  };
  // Events that arrive before their HTTP answer is read are remembered here.
  const early = new Map();
  ear.socket.on('event', (e) => {
    if (e.name === 'messages.created' && !waiting.has(e.aggregateId)) early.set(e.aggregateId, performance.now());
  });

  try {
    for (let i = 0; i < 20; i++) await create(`warm-${i}`);
    for (let i = 0; i < requests; i++) {
      const { t0, t1, t2 } = await create(i);
      call.push(t1 - t0);
      heard.push(t2 - t0);
      afterCommit.push(Math.max(0, t2 - t1));
    }
  } finally {
    ear.socket.disconnect();
    for (const o of others) o.socket.disconnect();
    await handle.stop();
  }
  console.log(
    table([
      ['figure (ms)', 'n', 'p50', 'p95', 'p99', 'max'],
      row('baseline: POST /api/v1/messages round trip', call),
      row('event heard, from the call’s start', heard),
      row('event heard after the HTTP answer', afterCommit),
    ]),
  );
  const p95 = pct([...heard].sort((a, b) => a - b), 95);
  console.log(`\n  event → socket p95 ${fmt.ms(p95)} ms (target < ${TARGET_P95_MS} ms): ${p95 < TARGET_P95_MS ? 'met' : 'NOT met'}`);
}
