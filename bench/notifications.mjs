// `npm run bench -- notifications`: how long a domain event takes to reach people, on the built
// server (server/dist) with a real SMTP server in this process. Three figures (issue 17):
//   - event → email accepted by SMTP (p50/p95), next to a raw nodemailer send to the same server;
//   - event → in-app notification on the person's socket (p50/p95), next to the API call itself;
//   - one suspension fanned out to N people: time until every email is accepted.
// The event is a publishing suspension (urgent: no quiet hours, no rate limit), timed from the
// start of the API call that causes it. See bench/README.md.
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { io } from 'socket.io-client';
import { freePort, startNode, waitForHttp } from './lib/children.mjs';
import { fmt, table } from './lib/format.mjs';
import { CLI, EMAIL, gudduEnv, PASSWORD, prepareDatabase, ROOT } from './lib/guddu.mjs';

export const description = 'event → email accepted by SMTP and event → in-app push (p50/p95), and one suspension fanned out to N people';

export const options = {
  events: { type: 'string', default: '40', help: 'suspensions timed one after another (each then resumed; default 40)' },
  fanout: { type: 'string', default: '1000', help: 'people one suspension reaches in the fan-out figure (default 1000)' },
};

const positiveInt = (name, v, min = 1) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min} (got "${v}")`);
  return n;
};
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const row = (label, values) => {
  const s = [...values].sort((a, b) => a - b);
  return [label, fmt.int(s.length), fmt.ms(pct(s, 50)), fmt.ms(pct(s, 95)), fmt.ms(s.at(-1))];
};

/** An SMTP server that notes when each mail was accepted, by recipient. */
async function mailbox() {
  const accepted = [];
  const listeners = new Set();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          const at = performance.now();
          const entry = { at, to: session.envelope.rcptTo.map((r) => r.address), subject: mail.subject ?? '' };
          accepted.push(entry);
          for (const l of listeners) l(entry);
          callback();
        },
        (err) => callback(err),
      );
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.server.address().port;
  return { url: `smtp://127.0.0.1:${port}`, accepted, listeners, close: () => new Promise((r) => server.close(r)) };
}

export async function run(values) {
  const events = positiveInt('events', values.events);
  const fanout = positiveInt('fanout', values.fanout);
  if (!existsSync(CLI)) throw new Error(`${CLI} not found: build first (npm run build -w server), or use npm run bench`);
  console.log(`Guddu notifications benchmark — ${cpus().length} × ${cpus()[0]?.model?.trim() ?? 'cpu'}, Node ${process.version}`);
  console.log(`  load average before start: ${loadavg()[0].toFixed(2)}`);
  const box = await mailbox();
  const db = await prepareDatabase();
  const port = await freePort();
  const handle = startNode('guddu', [CLI, 'start'], { env: gudduEnv(db, port, 16, { GUDDU_SMTP_URL: box.url, GUDDU_SANDBOX: 'off' }), cwd: ROOT });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${base}/readyz`, handle);
    console.log(`  server: node server/dist/cli.js start (${db.label}), SMTP ${box.url}`);
    const login = await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) })).json();
    const token = login.accessToken;
    const api = (method, path, body) =>
      fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });

    // Baseline: nodemailer straight to the same SMTP server, pooled as Guddu's transport is.
    const raw = nodemailer.createTransport(`${box.url}?pool=true&maxConnections=4`);
    const rawSends = [];
    for (let i = 0; i < events + 5; i++) {
      const t0 = performance.now();
      await raw.sendMail({ from: 'bench@example.gov', to: EMAIL, subject: `raw ${i}`, text: 'raw', html: '<p>raw</p>' });
      if (i >= 5) rawSends.push(performance.now() - t0);
    }
    raw.close();

    const socket = io(base, { path: '/api/realtime', transports: ['websocket'], extraHeaders: { authorization: `Bearer ${token}` }, reconnection: false });
    await new Promise((resolve, reject) => (socket.once('ready', resolve), socket.once('connect_error', reject)));
    const live = [];
    socket.on('notification', (n) => {
      if (n.kind === 'publishing_suspended') live.push(performance.now());
    });

    const suspendOnce = async () => {
      const liveBefore = live.length;
      const mailBefore = box.accepted.filter((m) => m.subject === 'Publishing suspended').length;
      const t0 = performance.now();
      const res = await api('POST', '/api/v1/publishing/suspensions', { reason: 'Bench' });
      const t1 = performance.now();
      if (res.status !== 201) throw new Error(`suspend: HTTP ${res.status} ${await res.text()}`);
      const { id } = await res.json();
      const deadline = Date.now() + 30_000;
      while (live.length === liveBefore || box.accepted.filter((m) => m.subject === 'Publishing suspended').length === mailBefore) {
        if (Date.now() > deadline) throw new Error('no notification within 30 s');
        await new Promise((r) => setTimeout(r, 2));
      }
      const mailAt = box.accepted.filter((m) => m.subject === 'Publishing suspended')[mailBefore].at;
      const resumed = await api('POST', `/api/v1/publishing/suspensions/${id}/resume`, { decisions: [] });
      if (resumed.status !== 200) throw new Error(`resume: HTTP ${resumed.status}`);
      return { call: t1 - t0, push: live[liveBefore] - t0, mail: mailAt - t0 };
    };

    const calls = [];
    const pushes = [];
    const mails = [];
    for (let i = 0; i < 3; i++) await suspendOnce();
    for (let i = 0; i < events; i++) {
      const r = await suspendOnce();
      calls.push(r.call);
      pushes.push(r.push);
      mails.push(r.mail);
    }
    socket.disconnect();
    console.log(
      table([
        ['figure (ms)', 'n', 'p50', 'p95', 'max'],
        row('baseline: raw nodemailer send, same SMTP server', rawSends),
        row('baseline: POST /publishing/suspensions round trip', calls),
        row('event → in-app notification on the socket', pushes),
        row('event → email accepted by SMTP', mails),
      ]),
    );

    // Fan-out: N more people in the ministry, one suspension.
    const client = new pg.Client({ connectionString: db.superuserUrl() });
    await client.connect();
    const { rows } = await client.query(`SELECT id FROM organisations WHERE parent_id IS NULL ORDER BY created_at LIMIT 1`);
    const orgId = rows[0].id;
    await client.query(
      `WITH u AS (INSERT INTO users (email, display_name, password_hash)
         SELECT 'fan-' || g || '@bench.example', 'Fan ' || g, 'x' FROM generate_series(1, $1) g RETURNING id)
       INSERT INTO memberships (org_id, user_id, role) SELECT $2, id, 'viewer' FROM u`,
      [fanout, orgId],
    );
    const people = fanout + 1;
    const before = box.accepted.length;
    const t0 = performance.now();
    const res = await api('POST', '/api/v1/publishing/suspensions', { reason: 'Fan-out' });
    if (res.status !== 201) throw new Error(`suspend: HTTP ${res.status}`);
    let recordedAt;
    const deadline = Date.now() + 600_000;
    while (box.accepted.length - before < people) {
      if (Date.now() > deadline) throw new Error(`fan-out: ${box.accepted.length - before} of ${people} emails after 10 min`);
      if (recordedAt === undefined) {
        const { rows: n } = await client.query(`SELECT count(*)::int AS n FROM notifications WHERE kind = 'publishing_suspended' AND params->>'reason' = 'Fan-out'`);
        if (n[0].n >= people) recordedAt = performance.now();
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const allMail = performance.now() - t0;
    await client.end();
    console.log(
      `\n  fan-out of one suspension to ${fmt.int(people)} people: all in-app notifications recorded (and pushed) after ${recordedAt === undefined ? 'n/a' : fmt.ms(recordedAt - t0)} ms, every email accepted after ${fmt.ms(allMail)} ms`,
    );
    const p95mail = pct([...mails].sort((a, b) => a - b), 95);
    const p95push = pct([...pushes].sort((a, b) => a - b), 95);
    console.log(`  event → email p95 ${fmt.ms(p95mail)} ms (target < 1000 ms): ${p95mail < 1000 ? 'met' : 'NOT met'}`);
    console.log(`  event → in-app p95 ${fmt.ms(p95push)} ms (target < 100 ms): ${p95push < 100 ? 'met' : 'NOT met'}`);
  } finally {
    await handle.stop();
    await box.close();
  }
}
