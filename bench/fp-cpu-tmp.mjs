// TEMP (not committed): CPU per request of Guddu's GET vs raw fastify+pg, robust to machine load.
import autocannon from 'autocannon';
import { freePort, startNode, waitForHttp } from './lib/children.mjs';
import { treeCpu } from './lib/cpu.mjs';
import { CLI, EMAIL, gudduEnv, PASSWORD, prepareDatabase, ROOT } from './lib/guddu.mjs';
import { cleanup } from './lib/cleanup.mjs';

const N = Number(process.argv[2] ?? 3000);
const extraArgs = process.argv.slice(3);
const db = await prepareDatabase();
const port = await freePort();
const g = startNode('guddu', [...extraArgs, CLI, 'start'], { env: gudduEnv(db, port, 16, { GUDDU_LOGIN_MAX_ATTEMPTS_PER_IP: '100000' }), cwd: ROOT });
const base = `http://127.0.0.1:${port}`;
await waitForHttp(`${base}/readyz`, g);
const login = await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) })).json();
const token = login.accessToken;
const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
let rawPort;
const raw = startNode('rawpg', ['bench/raw-fastify-pg.mjs'], {
  env: { ...process.env, PORT: '0', NODE_ENV: 'production', DATABASE_URL: db.superuserUrl(), USER_ID: claims.sub, ORG_ID: claims.org, SESSION_ID: claims.sid, POOL: '16' },
  cwd: ROOT,
  onStdoutLine: (l) => { try { rawPort = JSON.parse(l).port; } catch {} },
});
while (!rawPort) await new Promise((r) => setTimeout(r, 50));
const rawUrl = `http://127.0.0.1:${rawPort}/`;
await waitForHttp(rawUrl, raw);

async function run(label, url, headers, pid) {
  await autocannon({ url, connections: 10, amount: 500, headers });
  const a = treeCpu(pid), ga = treeCpu(g.pid);
  const t0 = Date.now();
  const r = await autocannon({ url, connections: 10, amount: N, headers });
  const b = treeCpu(pid), gb = treeCpu(g.pid);
  const pgCpu = pid === g.pid ? gb.others - ga.others : gb.others - ga.others;
  console.log(`${label}: ${N} req in ${((Date.now() - t0) / 1000).toFixed(1)}s, node CPU ${(((b.leader - a.leader) * 1e6) / N).toFixed(0)} µs/req, postgres CPU ${((pgCpu * 1e6) / N).toFixed(0)} µs/req, non2xx ${r.non2xx}`);
}
{
  const a = treeCpu(g.pid);
  await new Promise((r) => setTimeout(r, 10_000));
  const b = treeCpu(g.pid);
  console.log(`idle 10 s: node ${((b.leader - a.leader) * 100).toFixed(1)} ms/s, postgres ${((b.others - a.others) * 100).toFixed(1)} ms/s`);
}
await run('raw fastify+pg', rawUrl, {}, raw.pid);
const w0 = process.hrtime.bigint() / 1000n;
await run('guddu GET     ', `${base}/api/v1/organisations`, { authorization: `Bearer ${token}` }, g.pid);
const w1 = process.hrtime.bigint() / 1000n;
console.log(JSON.stringify({ window: [String(w0), String(w1)] }));
await raw.stop();
await g.stop();
await cleanup();
process.exit(0);
