// `npm run bench -- http`: HTTP throughput and latency of the built server (server/dist), next to
// a bare Fastify app on the same machine, Node and autocannon settings. See bench/README.md.
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeDirLater } from './lib/cleanup.mjs';
import { freePort, startNode, waitForHttp } from './lib/children.mjs';
import { cpuProbe, cpuSupported } from './lib/cpu.mjs';
import { summariseProfile } from './lib/cpu-profile.mjs';
import { fmt, table } from './lib/format.mjs';
import { CLI, EMAIL, gudduEnv, PASSWORD, prepareDatabase } from './lib/guddu.mjs';
import { measure } from './lib/load.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RAW = fileURLToPath(new URL('./raw-fastify.mjs', import.meta.url));
const RAW_PG = fileURLToPath(new URL('./raw-fastify-pg.mjs', import.meta.url));
const COUNTER = fileURLToPath(new URL('./lib/count-queries.mjs', import.meta.url));

const TARGETS = { ratio: 0.15, p99Ms: 25 };
const PHASES = ['raw', 'rawpg', 'get', 'login'];

export const description = 'login/s, an authenticated tenant-scoped GET, and a raw Fastify baseline';

export const options = {
  duration: { type: 'string', default: '10', help: 'seconds measured per figure (default 10)' },
  warmup: { type: 'string', default: '3', help: 'seconds of discarded warm-up before each (default 3)' },
  connections: { type: 'string', default: '50', help: 'concurrent connections for the GETs (default 50)' },
  'login-connections': { type: 'string', default: '8', help: 'concurrent connections for login (default 8)' },
  pool: { type: 'string', default: '16', help: 'GUDDU_DB_POOL_SIZE for the server (default 16)' },
  only: { type: 'string', arg: 'LIST', help: `comma-separated subset of ${PHASES.join(',')} (default all)` },
  'cpu-prof': { type: 'boolean', default: false, help: 'run the server under node --cpu-prof and summarise the profile' },
  'count-queries': { type: 'boolean', default: false, help: 'count SQL statements and pool waits in the server (adds overhead)' },
};

const positiveInt = (name, v) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer (got "${v}")`);
  return n;
};

/** A database of its own: a fresh one on DATABASE_URL's cluster, or embedded PostgreSQL in a temp dir. */
async function startGuddu({ pool, cpuProf, countQueries }) {
  const db = await prepareDatabase();
  const port = await freePort();
  const nodeArgs = [];
  let profDir;
  let queryLog;
  if (cpuProf) {
    profDir = mkdtempSync(join(tmpdir(), 'guddu-bench-prof-')); // kept: open it in DevTools
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profDir}`);
  }
  if (countQueries) {
    const dir = mkdtempSync(join(tmpdir(), 'guddu-bench-queries-'));
    removeDirLater(dir);
    queryLog = join(dir, 'queries.json');
    nodeArgs.push('--import', COUNTER);
  }
  const env = gudduEnv(db, port, pool, {
    GUDDU_LOGIN_MAX_ATTEMPTS_PER_IP: '100000',
    GUDDU_LOGIN_MAX_FAILURES_PER_ACCOUNT: '100000',
    GUDDU_TRUST_PROXY: 'false',
    ...(queryLog ? { BENCH_QUERY_LOG: queryLog } : {}),
  });
  const handle = startNode('guddu', [...nodeArgs, CLI, 'start'], { env, cwd: ROOT });
  return { handle, url: `http://127.0.0.1:${port}`, db, profDir, queryLog };
}

async function startRaw(script = RAW, extraEnv = {}, profDir = undefined) {
  let resolvePort;
  const port = new Promise((r) => (resolvePort = r));
  const args = [...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), script];
  const handle = startNode(script === RAW ? 'raw-fastify' : 'raw-fastify-pg', args, {
    env: { ...process.env, PORT: '0', NODE_ENV: 'production', ...extraEnv },
    cwd: ROOT,
    onStdoutLine: (line) => {
      try {
        const msg = JSON.parse(line);
        if (msg.port) resolvePort(msg.port);
      } catch {
        // not our line
      }
    },
  });
  const url = `http://127.0.0.1:${await Promise.race([port, handle.exited.then(() => 0)])}`;
  await waitForHttp(`${url}/`, handle, { timeoutMs: 30_000 });
  return { handle, url };
}

async function signIn(base) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  const body = await res.json().catch(() => ({}));
  if (res.status !== 200 || !body.accessToken) throw new Error(`sign-in failed: HTTP ${res.status} ${JSON.stringify(body)}`);
  return body.accessToken;
}

async function checkGet(base, token) {
  const res = await fetch(`${base}/api/v1/organisations`, { headers: { authorization: `Bearer ${token}` } });
  const body = await res.json().catch(() => ({}));
  if (res.status !== 200 || !Array.isArray(body.items)) {
    throw new Error(`GET /api/v1/organisations failed: HTTP ${res.status} ${JSON.stringify(body)}`);
  }
  return body.items.length;
}

const cores = (n) => (n === undefined ? '-' : n.toFixed(2));

function printResults(results, guddu) {
  const rows = [['figure', 'conns', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'requests', 'non-2xx', 'errors']];
  for (const r of results) {
    rows.push([r.title, fmt.int(r.connections), fmt.rps(r.rps), fmt.ms(r.p50), fmt.ms(r.p90), fmt.ms(r.p99), fmt.ms(r.max), fmt.int(r.total), fmt.int(r.non2xx), fmt.int(r.errors + r.timeouts)]);
  }
  console.log(table(rows));
  const bad = results.filter((r) => r.non2xx || r.errors || r.timeouts);
  for (const r of bad) {
    console.log(`  WARNING ${r.title}: ${r.non2xx} non-2xx (status counts ${JSON.stringify(r.statusCodes)}), ${r.errors} errors, ${r.timeouts} timeouts`);
  }
  if (cpuSupported && results.some((r) => r.cpu)) {
    console.log(`\nCPU during each measured run (cores busy on average; the machine has ${cpus().length}):`);
    const cpuRows = [['figure', 'server node', 'postgres', 'autocannon', 'kernel threads', 'other processes', 'steal', 'node ms/req', 'postgres ms/req']];
    let noisy = false;
    for (const r of results) {
      if (!r.cpu) continue;
      // The same-SQL baseline is its own process; Guddu's (idle) node still runs beside it.
      const server = r.phase === 'raw' ? r.cpu.raw : r.phase === 'rawpg' ? r.cpu.rawpg : r.cpu.guddu;
      const pgCpu = r.phase === 'raw' ? undefined : r.cpu['guddu:children'] + (r.cpu['rawpg:children'] ?? 0);
      const ours = server + (pgCpu ?? 0) + r.cpu.autocannon;
      // The machine's busy time not accounted for by the bench: other work competing for the cores.
      const idleServer =
        r.phase === 'raw' ? r.cpu.guddu + r.cpu['guddu:children'] : r.phase === 'rawpg' ? r.cpu.guddu + (r.cpu.raw ?? 0) : (r.cpu.raw ?? 0) + (r.cpu['raw:children'] ?? 0);
      const other = Math.max(0, r.cpu.machine - ours - r.cpu.kernel - idleServer);
      if (other > 0.15) noisy = true;
      // CPU per request is steadier than req/s on a shared machine: it is what the ratio follows.
      const perReq = (c) => (c === undefined || !r.rps ? '-' : ((c / r.rps) * 1000).toFixed(2));
      cpuRows.push([r.title, cores(server), cores(pgCpu), cores(r.cpu.autocannon), cores(r.cpu.kernel), cores(other), cores(r.cpu.steal), perReq(server), perReq(pgCpu)]);
    }
    console.log(table(cpuRows));
    const basePg = results.find((r) => r.phase === 'rawpg' && r.cpu);
    // Its background work (audit sequencer, outbox relay, job pollers) costs this much by the second.
    if (basePg) console.log(`  Guddu's node while idle during the same-SQL run: ${cores(basePg.cpu.guddu)} cores`);
    if (!guddu.db.env.GUDDU_DATA_DIR) console.log('  (DATABASE_URL given: its PostgreSQL is not a child of the server and is not counted)');
    if (noisy) console.log('  WARNING other processes used the CPU during a measured run: the figures are lower than on a quiet machine');
  }
}

export async function run(values) {
  const duration = positiveInt('duration', values.duration);
  const warmup = Number(values.warmup);
  if (!Number.isFinite(warmup) || warmup < 0) throw new Error(`--warmup must be a number of seconds ≥ 0`);
  const connections = positiveInt('connections', values.connections);
  const loginConnections = positiveInt('login-connections', values['login-connections']);
  const pool = positiveInt('pool', values.pool);
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : PHASES;
  for (const p of only) if (!PHASES.includes(p)) throw new Error(`--only: unknown figure "${p}" (known: ${PHASES.join(', ')})`);
  if (!existsSync(CLI)) throw new Error(`${CLI} not found: build first (npm run build -w server), or use npm run bench`);

  console.log(`Guddu HTTP benchmark — ${cpus().length} × ${cpus()[0]?.model?.trim() ?? 'cpu'}, Node ${process.version}, autocannon 9`);
  console.log(`  ${warmup}s warm-up + ${duration}s measured per figure; GET ${connections} connections, login ${loginConnections}; pool ${pool}`);
  const load1 = loadavg()[0];
  console.log(`  load average before start: ${load1.toFixed(2)}${load1 > 0.5 * cpus().length ? '  (the machine was busy; the CPU table below shows whether other work overlapped the measured runs)' : ''}`);

  const [guddu, raw] = await Promise.all([
    startGuddu({ pool, cpuProf: values['cpu-prof'], countQueries: values['count-queries'] }),
    only.includes('raw') ? startRaw() : undefined,
  ]);
  console.log(`  server: node server/dist/cli.js start (${guddu.db.label}), LOG_LEVEL=warn`);
  await waitForHttp(`${guddu.url}/readyz`, guddu.handle);
  const token = await signIn(guddu.url);
  const orgCount = await checkGet(guddu.url, token);
  console.log(`  ready: signed in as ${EMAIL}; GET /api/v1/organisations returns ${orgCount} organisation(s)\n`);

  const probe = cpuSupported ? cpuProbe({ guddu: guddu.handle.pid, ...(raw ? { raw: raw.handle.pid } : {}) }) : undefined;
  const common = { duration, warmup, probe };
  const results = [];
  const step = async (phase, opts) => {
    process.stdout.write(`  measuring ${opts.title} ...`);
    const { server: _server, ...load } = opts;
    const r = { phase, ...(await measure({ ...common, ...load })) };
    const server = opts.server ?? (phase === 'raw' ? raw.handle : guddu.handle);
    if (!server.running) {
      const { code, signal } = await server.exited;
      throw new Error(`${server.name} exited (${signal ?? code}) during "${opts.title}"; no figures\n${server.output()}`);
    }
    process.stdout.write(` ${fmt.rps(r.rps)} req/s\n`);
    results.push(r);
    return r;
  };

  const rawResult = only.includes('raw') ? await step('raw', { title: 'raw fastify GET /', url: `${raw.url}/`, connections }) : undefined;
  // The same SQL as Guddu's GET from a bare Fastify + pg app, on Guddu's own database.
  // With --cpu-prof the baseline is profiled too: the difference between the two is the framework.
  const rawPgProfDir = values['cpu-prof'] && only.includes('rawpg') ? mkdtempSync(join(tmpdir(), 'guddu-bench-prof-rawpg-')) : undefined;
  const rawPg = only.includes('rawpg') ? await startRaw(RAW_PG, rawPgEnv(guddu, token, pool), rawPgProfDir) : undefined;
  const rawPgProbe = rawPg && cpuSupported ? cpuProbe({ guddu: guddu.handle.pid, rawpg: rawPg.handle.pid, ...(raw ? { raw: raw.handle.pid } : {}) }) : undefined;
  const rawPgResult = rawPg ? await step('rawpg', { title: 'raw fastify+pg, same SQL', url: `${rawPg.url}/`, connections, server: rawPg.handle, probe: rawPgProbe }) : undefined;
  await rawPg?.handle.stop();
  const getResult = only.includes('get')
    ? await step('get', {
        title: 'guddu GET /api/v1/organisations',
        url: `${guddu.url}/api/v1/organisations`,
        connections,
        headers: { authorization: `Bearer ${token}` },
        around: guddu.queryLog ? countAround(guddu) : undefined,
      })
    : undefined;
  const loginResult = only.includes('login')
    ? await step('login', {
        title: 'guddu POST /api/v1/auth/login',
        url: `${guddu.url}/api/v1/auth/login`,
        connections: loginConnections,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
      })
    : undefined;

  // Stop the server now: --cpu-prof and --count-queries write their files as it exits.
  await Promise.all([guddu.handle.stop(), raw?.handle.stop()]);

  console.log('');
  printResults(results, guddu);

  console.log('\nTargets');
  if (getResult && rawResult) {
    const ratio = getResult.rps / rawResult.rps;
    console.log(
      `  ${ratio >= TARGETS.ratio ? 'PASS' : 'FAIL'}  Guddu GET req/s ÷ raw Fastify req/s = ${fmt.rps(getResult.rps)} ÷ ${fmt.rps(rawResult.rps)} = ${fmt.ratio(ratio)}   (target ≥ ${TARGETS.ratio})`,
    );
  } else {
    console.log(`  ----  ratio: needs both "raw" and "get" (skipped by --only)`);
  }
  if (getResult && rawPgResult) {
    console.log(`  info  Guddu GET req/s ÷ raw Fastify+pg with the same SQL = ${fmt.rps(getResult.rps)} ÷ ${fmt.rps(rawPgResult.rps)} = ${fmt.ratio(getResult.rps / rawPgResult.rps)}   (the framework's share)`);
  }
  if (getResult) {
    console.log(`  ${getResult.p99 < TARGETS.p99Ms ? 'PASS' : 'FAIL'}  Guddu GET p99 = ${fmt.ms(getResult.p99)} ms   (target < ${TARGETS.p99Ms} ms)`);
  }

  console.log('\nSummary');
  if (loginResult) console.log(`  login/s:          ${fmt.rps(loginResult.rps)} req/s   p50 ${fmt.ms(loginResult.p50)} ms   p99 ${fmt.ms(loginResult.p99)} ms   (${loginConnections} connections)`);
  if (getResult) console.log(`  Guddu GET:        ${fmt.rps(getResult.rps)} req/s   p50 ${fmt.ms(getResult.p50)} ms   p99 ${fmt.ms(getResult.p99)} ms   (${connections} connections)`);
  if (rawResult) console.log(`  raw Fastify GET:  ${fmt.rps(rawResult.rps)} req/s   p50 ${fmt.ms(rawResult.p50)} ms   p99 ${fmt.ms(rawResult.p99)} ms   (${connections} connections)`);
  if (rawPgResult) console.log(`  raw Fastify+pg:   ${fmt.rps(rawPgResult.rps)} req/s   p50 ${fmt.ms(rawPgResult.p50)} ms   p99 ${fmt.ms(rawPgResult.p99)} ms   (same SQL as the GET)`);
  if (getResult && rawResult) console.log(`  ratio:            ${fmt.ratio(getResult.rps / rawResult.rps)}`);

  if (guddu.queryLog) printQueryCounts(guddu.queryLog, results);
  if (guddu.profDir) {
    const files = readdirSync(guddu.profDir).filter((f) => f.endsWith('.cpuprofile'));
    if (files.length === 0) console.log(`\n(no CPU profile was written in ${guddu.profDir})`);
    // With one figure measured, the summary covers its measured run only; else the whole process.
    const get = results.find((r) => r.phase === 'get');
    const window = get?.window;
    for (const f of files) console.log(`\n${summariseProfile(join(guddu.profDir, f), { window })}`);
  }
  if (rawPgProfDir) {
    const window = results.find((r) => r.phase === 'rawpg')?.window;
    for (const f of readdirSync(rawPgProfDir).filter((n) => n.endsWith('.cpuprofile'))) {
      console.log(`\nThe same-SQL baseline's profile:\n${summariseProfile(join(rawPgProfDir, f), { window })}`);
    }
  }
  return 0;
}

/** With --count-queries: the server's counts restart at the measured GET run and are written at its end. */
function countAround(guddu) {
  const signal = async () => {
    const before = existsSync(guddu.queryLog) ? statSync(guddu.queryLog).mtimeMs : 0;
    guddu.handle.child.kill('SIGUSR2');
    for (let i = 0; i < 50; i++) {
      if (existsSync(guddu.queryLog) && statSync(guddu.queryLog).mtimeMs !== before) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { start: signal, end: signal };
}

function printQueryCounts(file, results) {
  if (!existsSync(file)) {
    console.log('\n(no query counts were written)');
    return;
  }
  const { statements, pool } = JSON.parse(readFileSync(file, 'utf8'));
  const get = results.find((r) => r.phase === 'get');
  console.log(`\nSQL statements sent by the server ${get ? 'during the measured GET run' : 'in total'} (mean ms: until the answer was seen, incl. event-loop delay)`);
  const rows = [['statement', 'count', 'mean ms', ...(get ? ['per GET'] : [])]];
  for (const [sql, s] of Object.entries(statements).sort((a, b) => b[1].count - a[1].count).slice(0, 15)) {
    rows.push([sql.length > 90 ? `${sql.slice(0, 87)}...` : sql, fmt.int(s.count), fmt.ms(s.ms / s.count), ...(get ? [(s.count / get.total).toFixed(2)] : [])]);
  }
  console.log(table(rows));
  const total = Object.values(statements).reduce((n, s) => n + s.count, 0);
  if (get) console.log(`  ${(total / get.total).toFixed(2)} statements (round trips) per GET`);
  console.log(`  pool.connect: ${pool.connects} checkouts, mean wait ${fmt.ms(pool.waitMs / Math.max(1, pool.connects))} ms, max ${fmt.ms(pool.maxWaitMs)} ms`);
}

/** Where the raw Fastify+pg baseline finds Guddu's database, and whose request it replays. */
function rawPgEnv(guddu, token, pool) {
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
  const url = guddu.db.superuserUrl();
  return { DATABASE_URL: url, USER_ID: claims.sub, ORG_ID: claims.org, SESSION_ID: claims.sid, POOL: String(pool) };
}
