// `npm run bench -- messages`: messages on the built server (server/dist): create + new version
// throughput, the calendar month at 5,000 and 50,000 messages, and search latency, each next to a
// baseline measured in the same run. See bench/README.md.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { freePort, startNode, waitForHttp } from './lib/children.mjs';
import { summariseProfile } from './lib/cpu-profile.mjs';
import { cpuProbe, cpuSupported } from './lib/cpu.mjs';
import { fmt, table } from './lib/format.mjs';
import { CLI, EMAIL, gudduEnv, PASSWORD, prepareDatabase, ROOT } from './lib/guddu.mjs';

const PARTS = ['create', 'calendar', 'search'];
const COUNTER = fileURLToPath(new URL('./lib/count-queries.mjs', import.meta.url));
const TARGET_P99_MS = 50;
const TARGET_CREATE_RATIO = 0.5;
const TARGET_CHAIN_P99_MS = 1000;
const CHAIN_WAIT_MS = 3000;
const ZONE = 'Asia/Kolkata';
const YEAR = new Date().getUTCFullYear() + 1;
// The month viewed: March of next year, in Kolkata. Other months get the other 45,000.
const MONTH = { from: `${YEAR}-03-01`, to: `${YEAR}-04-01` };
const OTHER_MONTHS = [-4, -3, -2, -1, 1, 2, 3, 4, 5];
const SEARCHES = [
  { label: 'English word', q: 'diplomacy' },
  { label: 'Hindi word', q: 'भारत' },
  { label: 'typo', q: 'diplomcy' },
  { label: 'rare word', q: 'kathmandu' },
];

export const description = 'create+version req/s, calendar month at 5,000 and 50,000 messages, search latency';

export const options = {
  duration: { type: 'string', default: '10', help: 'seconds measured for create+version, each side (default 10)' },
  connections: { type: 'string', default: '8', help: 'concurrent clients for create+version (default 8)' },
  pool: { type: 'string', default: '16', help: 'GUDDU_DB_POOL_SIZE, and the baseline pool (default 16)' },
  requests: { type: 'string', default: '300', help: 'calendar requests measured per figure, one at a time (default 300)' },
  'search-requests': { type: 'string', default: '100', help: 'search requests measured per query (default 100)' },
  'search-seconds': { type: 'string', default: '30', help: 'stop measuring a query after this many seconds (default 30)' },
  only: { type: 'string', arg: 'LIST', help: `comma-separated subset of ${PARTS.join(',')} (default all)` },
  'cpu-prof': { type: 'boolean', default: false, help: 'run the server under node --cpu-prof and summarise the profile of the whole run' },
  explain: { type: 'boolean', default: false, help: 'print EXPLAIN (ANALYZE, BUFFERS) of the calendar query at 50,000' },
  'count-queries': { type: 'boolean', default: false, help: "count the server's SQL statements during Guddu's create+version run (adds overhead)" },
};

const positiveInt = (name, v) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer (got "${v}")`);
  return n;
};

async function startGuddu(pool, cpuProf, countQueries) {
  const db = await prepareDatabase();
  const port = await freePort();
  const queryLog = countQueries ? join(mkdtempSync(join(tmpdir(), 'guddu-bench-queries-')), 'queries.json') : undefined;
  const env = gudduEnv(db, port, pool, queryLog ? { BENCH_QUERY_LOG: queryLog } : {});
  // Kept after the run: open it in DevTools, or read the summary printed at the end.
  const profDir = cpuProf ? mkdtempSync(join(tmpdir(), 'guddu-bench-prof-')) : undefined;
  const args = [...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), ...(queryLog ? ['--import', COUNTER] : []), CLI, 'start'];
  const handle = startNode('guddu', args, { env, cwd: ROOT });
  return { handle, url: `http://127.0.0.1:${port}`, db, profDir, queryLog };
}

/** With --count-queries: SIGUSR2 makes the server write its counts so far and start again. */
async function dumpQueryCounts(guddu) {
  const before = existsSync(guddu.queryLog) ? statSync(guddu.queryLog).mtimeMs : 0;
  guddu.handle.child.kill('SIGUSR2');
  for (let i = 0; i < 100; i++) {
    if (existsSync(guddu.queryLog) && statSync(guddu.queryLog).mtimeMs !== before) return JSON.parse(readFileSync(guddu.queryLog, 'utf8'));
    await new Promise((r) => setTimeout(r, 20));
  }
  return undefined;
}

function printQueryCounts(counts, pairs) {
  console.log(`\nSQL statements sent by the server during Guddu's create+version run, per pair (a POST and a PATCH):`);
  const rows = [['statement', 'count', 'per pair']];
  const entries = Object.entries(counts.statements).sort((a, b) => b[1].count - a[1].count);
  for (const [sql, st] of entries.slice(0, 30)) rows.push([sql.length > 100 ? `${sql.slice(0, 97)}...` : sql, fmt.int(st.count), (st.count / pairs).toFixed(2)]);
  console.log(table(rows));
  const total = entries.reduce((n, [, st]) => n + st.count, 0);
  console.log(`  ${(total / pairs).toFixed(2)} statements (round trips) per pair; pool.connect: ${(counts.pool.connects / pairs).toFixed(2)} checkouts per pair`);
}

/** A JSON API call; throws unless the status is `expect`. */
async function api(base, token, method, path, body, headers = {}, expect = method === 'POST' ? 201 : 200) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status !== expect) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 500)}`);
  // Parsed on demand: a timed request ends with its last byte, not with the client's JSON.parse.
  return {
    bytes: text.length,
    get json() {
      return text ? JSON.parse(text) : undefined;
    },
  };
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
function stats(latencies, seconds) {
  const s = [...latencies].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p99: pct(s, 99), max: s.at(-1), rps: seconds ? s.length / seconds : undefined };
}

/** `n` calls one after another (after `warmup` discarded ones), or fewer if `budgetMs` runs out: latency without queueing. */
async function sequential(n, warmup, fn, budgetMs = Infinity) {
  for (let i = 0; i < warmup; i++) await fn();
  const lat = [];
  const deadline = performance.now() + budgetMs;
  for (let i = 0; i < n && performance.now() < deadline; i++) {
    const t0 = performance.now();
    await fn();
    lat.push(performance.now() - t0);
  }
  return stats(lat);
}

/** `connections` closed loops for `seconds`; each iteration's steps are timed separately. */
async function closedLoop(connections, seconds, iteration) {
  const deadline = performance.now() + seconds * 1000;
  const lat = {};
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async (_, worker) => {
      let i = 0;
      while (performance.now() < deadline) {
        await iteration(worker, i++, (step, ms) => (lat[step] ??= []).push(ms));
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return Object.fromEntries(Object.entries(lat).map(([k, v]) => [k, stats(v, elapsed)]));
}

const timed = async (record, step, fn) => {
  const t0 = performance.now();
  const r = await fn();
  record(step, performance.now() - t0);
  return r;
};

// ---- (a) create + new version ----------------------------------------------------------------

const content = (i, v) => ({
  bodies: { en: `Press note ${i}, version ${v}: the embassy is open on Saturday.`, hi: `प्रेस नोट ${i}, संस्करण ${v}: दूतावास शनिवार को खुला है।` },
  channels: ['x', 'facebook'],
});

async function createThroughput(base, token, connections, seconds) {
  return closedLoop(connections, seconds, async (w, i, record) => {
    const n = `${w}-${i}`;
    const created = await timed(record, 'POST /messages', () => api(base, token, 'POST', '/api/v1/messages', { title: `Bench ${n}`, content: content(n, 1), tags: ['bench'] }));
    await timed(record, 'PATCH /messages/:id', () =>
      api(base, token, 'PATCH', `/api/v1/messages/${created.json.id}`, { content: content(n, 2) }, { 'if-match': `"${created.json.revision}"` }),
    );
  });
}

/**
 * How long the audit events appended since `since` waited for the sequencer: chained_at minus
 * occurred_at (set just before the append, so this includes the rest of the writing
 * transaction: an upper bound on the time from commit). Waits up to CHAIN_WAIT_MS for the last
 * ones; those still unchained then are counted, not hidden.
 */
async function chainingLag(url, since) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const deadline = performance.now() + CHAIN_WAIT_MS;
    for (;;) {
      const { rows } = await c.query(
        `SELECT count(*)::int AS total, count(*) FILTER (WHERE hash IS NULL)::int AS unchained,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM chained_at - occurred_at) * 1000) AS p50,
                percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM chained_at - occurred_at) * 1000) AS p99,
                max(extract(epoch FROM chained_at - occurred_at) * 1000) AS max
         FROM audit_events WHERE occurred_at >= $1 AND content_hash IS NOT NULL`,
        [since],
      );
      const r = rows[0];
      if (r.unchained === 0 || performance.now() > deadline) return { total: r.total, unchained: r.unchained, p50: Number(r.p50), p99: Number(r.p99), max: Number(r.max) };
      await new Promise((res) => setTimeout(res, 100));
    }
  } finally {
    await c.end();
  }
}

/**
 * The baseline: the same rows written by node-postgres through a pool of the same size, as the
 * same tenant under RLS, with no HTTP, no framework, no validation, no audit record and no
 * outbox event: the floor of the database work of a create and an edit.
 */
async function rawCreateThroughput(url, claims, connections, seconds, poolSize) {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const opening = `BEGIN; SELECT set_config('role', 'guddu_app', true), set_config('guddu.org_id', '${claims.org}', true), set_config('guddu.user_id', '${claims.sub}', true)`;
  const hash = () => randomBytes(32).toString('hex');
  const tx = async (fn) => {
    const c = await pool.connect();
    try {
      await c.query(opening);
      const r = await fn(c);
      await c.query('COMMIT');
      return r;
    } catch (err) {
      await c.query('ROLLBACK');
      throw err;
    } finally {
      c.release();
    }
  };
  try {
    return await closedLoop(connections, seconds, async (w, i, record) => {
      const n = `raw-${w}-${i}`;
      const v1 = content(n, 1);
      const v2 = content(n, 2);
      const id = await timed(record, 'raw create', () =>
        tx(async (c) => {
          const { rows } = await c.query(
            `INSERT INTO messages (org_id, title, content_hash, languages, channels, tags, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
            [claims.org, `Bench ${n}`, hash(), ['en', 'hi'], v1.channels, ['bench'], claims.sub],
          );
          const mid = rows[0].id;
          await c.query(`INSERT INTO message_versions (message_id, number, org_id, content, content_hash, created_by) VALUES ($1, 1, $2, $3, $4, $5)`, [mid, claims.org, JSON.stringify(v1), hash(), claims.sub]);
          await c.query(`INSERT INTO message_texts (message_id, language, org_id, body) VALUES ($1, 'en', $2, $3), ($1, 'hi', $2, $4)`, [mid, claims.org, v1.bodies.en, v1.bodies.hi]);
          return mid;
        }),
      );
      await timed(record, 'raw edit', () =>
        tx(async (c) => {
          const { rows } = await c.query(`SELECT revision, version FROM messages WHERE id = $1 FOR UPDATE`, [id]);
          await c.query(`INSERT INTO message_versions (message_id, number, org_id, content, content_hash, created_by) VALUES ($1, $2, $3, $4, $5, $6)`, [id, rows[0].version + 1, claims.org, JSON.stringify(v2), hash(), claims.sub]);
          await c.query(`DELETE FROM message_texts WHERE message_id = $1`, [id]);
          await c.query(`INSERT INTO message_texts (message_id, language, org_id, body) VALUES ($1, 'en', $2, $3), ($1, 'hi', $2, $4)`, [id, claims.org, v2.bodies.en, v2.bodies.hi]);
          await c.query(`UPDATE messages SET version = version + 1, content_hash = $2, revision = revision + 1, updated_at = now() WHERE id = $1 AND revision = $3`, [id, hash(), rows[0].revision]);
        }),
      );
    });
  } finally {
    await pool.end();
  }
}

// ---- (b) and (c): seeding --------------------------------------------------------------------

const EN = `india france embassy minister visit talks trade agreement culture yoga festival students visa consular
  passport camp community diaspora summit delegation bilateral cooperation climate energy solar defence security
  maritime ocean health vaccine pharmaceutical technology digital startup innovation investment business tourism
  heritage exhibition film music dance cuisine language hindi scholarship university research science space
  satellite mission launch partnership friendship dialogue peace development infrastructure railway port airport
  agriculture water food nutrition women youth sport cricket olympics marathon anniversary celebration republic
  independence constitution parliament election democracy diplomacy diplomatic diplomat ambassador consul
  counsellor secretary spokesperson briefing statement press release interview podcast webinar workshop seminar
  conference forum meeting bengaluru mumbai delhi chennai kolkata paris london washington tokyo nairobi cairo`.split(/\s+/);
const HI = `भारत फ्रांस दूतावास मंत्री यात्रा वार्ता व्यापार समझौता संस्कृति योग उत्सव छात्र वीज़ा कांसुलर पासपोर्ट शिविर
  समुदाय प्रवासी शिखर सम्मेलन प्रतिनिधिमंडल द्विपक्षीय सहयोग जलवायु ऊर्जा सौर रक्षा सुरक्षा समुद्री स्वास्थ्य टीका
  प्रौद्योगिकी डिजिटल निवेश पर्यटन विरासत प्रदर्शनी फ़िल्म संगीत नृत्य भाषा हिंदी छात्रवृत्ति विश्वविद्यालय अनुसंधान
  विज्ञान अंतरिक्ष उपग्रह साझेदारी मित्रता संवाद शांति विकास कृषि जल भोजन महिला युवा खेल क्रिकेट वर्षगांठ
  गणतंत्र स्वतंत्रता संविधान संसद चुनाव लोकतंत्र कूटनीति राजदूत प्रवक्ता वक्तव्य और के में की है`.split(/\s+/);
const STATUSES = ['draft', 'in_review', 'approved', 'scheduled', 'published'];
const CHANNEL_SETS = ['{x,facebook}', '{x}', '{facebook,instagram}', '{linkedin,x}', '{youtube}'];
const ZONES = ['Asia/Kolkata', 'Europe/Paris', 'America/New_York'];

/**
 * `count` messages of `orgs` (round robin) in the month `monthOffset` from March, spread evenly
 * over its first `days` days in Kolkata, each with an English and a Hindi text of 25-40 words
 * drawn from the vocabularies above. One statement; the triggers set org_path.
 */
async function seed(client, { orgs, count, monthOffset, days, first }) {
  await client.query(
    `WITH m AS (
       INSERT INTO messages (org_id, title, status, content_hash, languages, channels, tags, scheduled_at, schedule_local, schedule_zone)
       SELECT o.org, 'Seeded ' || g, ($3::text[])[1 + g % 5], md5(g::text) || md5((-g)::text), '{en,hi}',
              ($4::text[])[1 + g % 5]::text[], ARRAY['seed', 'tag' || (g % 20)], at, at AT TIME ZONE z.zone, z.zone
       FROM generate_series($5::int, $5::int + $6::int - 1) g
       CROSS JOIN LATERAL (SELECT ($1::uuid[])[1 + g % cardinality($1::uuid[])] AS org) o
       CROSS JOIN LATERAL (SELECT ($7::text[])[1 + g % 3] AS zone) z
       CROSS JOIN LATERAL (SELECT ((timestamp '${MONTH.from} 00:00' + make_interval(months => $2::int)) AT TIME ZONE '${ZONE}')
                                  + make_interval(secs => ((g - $5) % $6 + 0.5) * $8::float8 * 86400 / $6) AS at) t
       RETURNING id, org_id)
     INSERT INTO message_texts (message_id, language, org_id, body)
     SELECT m.id, l.lang, m.org_id,
            -- i appears in the aggregate so that it is this subquery's (not the outer query's) aggregate.
            (SELECT string_agg(CASE WHEN l.lang = 'en' THEN ($9::text[])[1 + floor(random() * cardinality($9::text[]) + 0 * i)::int]
                                    ELSE ($10::text[])[1 + floor(random() * cardinality($10::text[]) + 0 * i)::int] END, ' ')
             FROM generate_series(1, 25 + (hashtext(m.id::text) & 15)) i)
     FROM m CROSS JOIN (VALUES ('en'), ('hi')) l(lang)`,
    [orgs, monthOffset, STATUSES, CHANNEL_SETS, first, count, ZONES, days, EN, HI],
  );
}

async function seedStage(url, stage, tenant) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const t0 = performance.now();
  try {
    if (stage === 1) {
      await seed(c, { orgs: tenant.orgs, count: 5000, monthOffset: 0, days: 31, first: 1 });
    } else {
      let first = 5001;
      for (const monthOffset of OTHER_MONTHS) {
        await seed(c, { orgs: tenant.orgs, count: 5000, monthOffset, days: 28, first });
        first += 5000;
      }
      // Another tenant with its own 5,000 in the same month: rows the index yields and RLS drops.
      const { rows } = await c.query(`INSERT INTO organisations (name, kind) VALUES ('Other Ministry', 'ministry') RETURNING id`);
      await seed(c, { orgs: [rows[0].id], count: 5000, monthOffset: 0, days: 31, first });
    }
    // VACUUM too: otherwise autovacuum of the fresh rows can land in the middle of a measurement.
    await c.query('VACUUM (ANALYZE) messages, message_texts');
    const { rows } = await c.query(
      `SELECT count(*) FILTER (WHERE org_path @> ARRAY[$1::uuid] AND scheduled_at IS NOT NULL)::int AS tenant, count(*)::int AS total,
              count(*) FILTER (WHERE org_path @> ARRAY[$1::uuid] AND scheduled_at >= $2 AND scheduled_at < $3)::int AS month
       FROM messages`,
      [tenant.root, tenant.range.from, tenant.range.to],
    );
    return { ...rows[0], seconds: (performance.now() - t0) / 1000 };
  } finally {
    await c.end();
  }
}

// What CalendarService sends for a page (no filters, Kolkata: one offset, no transition), for the
// baseline: the day counts of the whole month, then the page's rows.
const CALENDAR_DAYS_SQL = `select to_char(day, 'YYYY-MM-DD') as "date", "count" from (
    select ((scheduled_at AT TIME ZONE 'UTC') + ($3::int8[])[1 + width_bucket(scheduled_at, $4::timestamptz[])] * interval '1 millisecond')::date as "day", count(*)::int as "count"
    from "messages" where "scheduled_at" >= $1 and "scheduled_at" < $2 group by 1) as "d" order by "day"`;
const CALENDAR_PAGE_SQL = `select "id", "org_id", "campaign_id", "title", "status", array_to_string(channels, ',') as "channels",
    (extract(epoch FROM scheduled_at) * 1000000)::int8::text as "scheduled_us", schedule_zone as "schedule_zone",
    to_char(schedule_local, 'YYYY-MM-DD"T"HH24:MI:SS') as "schedule_local"
    from "messages" where "scheduled_at" >= $1 and "scheduled_at" < $2 order by "scheduled_at", "id" limit $3`;
const CALENDAR_PAGE_ITEMS = 500; // as in calendar.dto.ts

/** The calendar's SQL from node-postgres, in a tenant transaction opened as Guddu opens one. */
function rawCalendar(url, claims, range) {
  const client = new pg.Client({ connectionString: url });
  const opening = `BEGIN;
    SELECT session_ok, roles FROM guddu_request_context('${claims.sub}'::uuid, '${claims.org}'::uuid, '${claims.sid}'::uuid);
    SELECT set_config('role', 'guddu_app', true), set_config('guddu.org_id', '${claims.org}', true), set_config('guddu.user_id', '${claims.sub}', true)`;
  const daysParams = [range.from, range.to, [5.5 * 3_600_000], []];
  const pageParams = [range.from, range.to, CALENDAR_PAGE_ITEMS + 1];
  return {
    connect: () => client.connect(),
    end: () => client.end(),
    async run() {
      await client.query(opening);
      await client.query(CALENDAR_DAYS_SQL, daysParams);
      const { rows } = await client.query(CALENDAR_PAGE_SQL, pageParams);
      await client.query('COMMIT');
      return rows.length;
    },
    async explain() {
      await client.query(opening);
      const plans = [];
      for (const [q, p] of [[CALENDAR_DAYS_SQL, daysParams], [CALENDAR_PAGE_SQL, pageParams]]) {
        const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${q}`, p);
        plans.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
      }
      await client.query('ROLLBACK');
      return plans.join('\n\n');
    },
  };
}

/** Every page of `url`, one after another: what a client pays to list the whole month. */
async function allCalendarPages(base, token, url) {
  let page = await api(base, token, 'GET', url);
  let items = page.json.items.length;
  for (let next = page.json.next; next; next = page.json.next) {
    page = await api(base, token, 'GET', `${url}&after=${encodeURIComponent(next)}`);
    items += page.json.items.length;
  }
  return items;
}

// ---- the run ----------------------------------------------------------------------------------

export async function run(values) {
  const duration = positiveInt('duration', values.duration);
  const connections = positiveInt('connections', values.connections);
  const poolSize = positiveInt('pool', values.pool);
  const requests = positiveInt('requests', values.requests);
  const searchRequests = positiveInt('search-requests', values['search-requests']);
  const searchSeconds = positiveInt('search-seconds', values['search-seconds']);
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : PARTS;
  for (const p of only) if (!PARTS.includes(p)) throw new Error(`--only: unknown part "${p}" (known: ${PARTS.join(', ')})`);
  if (only.includes('search') && !only.includes('calendar')) only.push('calendar'); // search runs on the calendar's 50,000
  if (!existsSync(CLI)) throw new Error(`${CLI} not found: build first (npm run build -w server), or use npm run bench`);

  console.log(`Guddu messages benchmark — ${cpus().length} × ${cpus()[0]?.model?.trim() ?? 'cpu'}, Node ${process.version}`);
  console.log(`  load average before start: ${loadavg()[0].toFixed(2)}; pool ${poolSize}`);
  const guddu = await startGuddu(poolSize, values['cpu-prof'], values['count-queries']);
  console.log(`  server: node server/dist/cli.js start (${guddu.db.label}), LOG_LEVEL=warn`);
  await waitForHttp(`${guddu.url}/readyz`, guddu.handle);
  const base = guddu.url;
  const { json: login } = await api(base, undefined, 'POST', '/api/v1/auth/login', { email: EMAIL, password: PASSWORD }, {}, 200);
  const token = login.accessToken;
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
  const superuserUrl = guddu.db.superuserUrl();
  const missions = [];
  for (const name of ['Embassy Paris', 'Embassy Washington', 'High Commission Nairobi']) {
    missions.push((await api(base, token, 'POST', '/api/v1/organisations', { name, kind: 'mission' })).json.id);
  }
  const { json: month } = await api(base, token, 'GET', `/api/v1/calendar?from=${MONTH.from}&to=${MONTH.to}&zone=${ZONE}`);
  const tenant = { root: claims.org, orgs: [claims.org, ...missions], range: { from: new Date(month.range.from), to: new Date(month.range.to) } };
  console.log(`  ready: tenant ${claims.org} with ${missions.length} missions; calendar month ${MONTH.from} .. ${MONTH.to} in ${ZONE}\n`);

  const floor = await sequential(requests, 30, () => api(base, token, 'GET', '/api/v1/organisations'));
  const rows = [['figure', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'note']];
  const add = (title, s, note = '') => rows.push([title, fmt.int(s.n), s.rps === undefined ? '-' : fmt.rps(s.rps), fmt.ms(s.p50), fmt.ms(s.p99), fmt.ms(s.max), note]);
  add('floor: GET /api/v1/organisations, one at a time', floor, 'an authenticated request with little to do');
  const verdicts = [];

  if (only.includes('create')) {
    process.stdout.write(`  measuring create+version, ${connections} clients × ${duration}s, Guddu then raw pg ...`);
    const since = new Date();
    // CPU per pair is steadier than pairs/s on a shared machine; the sum over node and
    // PostgreSQL is what the ratio follows on two cores.
    const probe = cpuSupported ? cpuProbe({ guddu: guddu.handle.pid }) : () => undefined;
    if (guddu.queryLog) await dumpQueryCounts(guddu);
    const cpu0 = probe();
    const g = await createThroughput(base, token, connections, duration);
    const cpu1 = probe();
    const counts = guddu.queryLog ? await dumpQueryCounts(guddu) : undefined;
    const lag = await chainingLag(superuserUrl, since);
    const cpu2 = probe();
    const r = await rawCreateThroughput(superuserUrl, claims, connections, duration, poolSize);
    const cpu3 = probe();
    process.stdout.write(' done\n');
    if (cpu0) {
      const gPairs = g['PATCH /messages/:id'].n;
      const rPairs = r['raw edit'].n;
      const per = (a, b, k, n) => (((b[k] - a[k]) / n) * 1000).toFixed(2);
      // The raw side runs in this process: its node CPU is the bench's own (pg client + loop driver).
      const self = (a, b, n) => (((b.autocannon - a.autocannon) / n) * 1000).toFixed(2);
      console.log(`  CPU per pair (ms): Guddu server node ${per(cpu0, cpu1, 'guddu', gPairs)}, its PostgreSQL ${per(cpu0, cpu1, 'guddu:children', gPairs)}; raw: this process ${self(cpu2, cpu3, rPairs)}, PostgreSQL ${per(cpu2, cpu3, 'guddu:children', rPairs)}`);
    }
    if (counts) printQueryCounts(counts, g['PATCH /messages/:id'].n);
    add(`guddu POST /messages (${connections} clients)`, g['POST /messages']);
    add(`guddu PATCH /messages/:id, new content`, g['PATCH /messages/:id'], 'If-Match; version 2');
    add(`raw pg: same rows, create tx`, r['raw create'], `pool ${poolSize}, no HTTP/audit/outbox`);
    add(`raw pg: same rows, edit tx`, r['raw edit']);
    const pairs = g['PATCH /messages/:id'].rps;
    const rawPairs = r['raw edit'].rps;
    verdicts.push(`  ${pairs / rawPairs >= TARGET_CREATE_RATIO ? 'PASS' : 'FAIL'}  create+version pairs/s: Guddu ${fmt.rps(pairs)}, raw pg ${fmt.rps(rawPairs)}, ratio ${fmt.ratio(pairs / rawPairs)}   (target ≥ ${TARGET_CREATE_RATIO})`);
    verdicts.push(
      `  ${lag.unchained === 0 && lag.p99 < TARGET_CHAIN_P99_MS ? 'PASS' : 'FAIL'}  audit events of the run chained after appending: ${lag.total} events, p50 ${fmt.ms(lag.p50)} ms, p99 ${fmt.ms(lag.p99)} ms, max ${fmt.ms(lag.max)} ms, ${lag.unchained} still unchained ${CHAIN_WAIT_MS / 1000}s after the run   (target p99 < ${TARGET_CHAIN_P99_MS} ms)`,
    );
  }

  if (only.includes('calendar')) {
    const raw = rawCalendar(superuserUrl, claims, tenant.range);
    await raw.connect();
    try {
      const url = `/api/v1/calendar?from=${MONTH.from}&to=${MONTH.to}&zone=${ZONE}`;
      for (const stage of [1, 2]) {
        process.stdout.write(`  seeding stage ${stage} ...`);
        const s = await seedStage(superuserUrl, stage, tenant);
        process.stdout.write(` ${s.tenant} scheduled messages in the tenant (${s.month} in the month), ${s.total} in the database, ${s.seconds.toFixed(1)}s\n`);
        let last;
        const got = await sequential(requests, 30, async () => {
          last = await api(base, token, 'GET', url);
        });
        const bytes = last.bytes;
        const { items, days } = last.json;
        const inDays = days.reduce((n, d) => n + d.count, 0);
        const sqlOnly = await sequential(requests, 30, () => raw.run());
        let listed;
        const whole = await sequential(Math.ceil(requests / 5), 5, async () => {
          listed = await allCalendarPages(base, token, url);
        });
        const label = `${s.tenant.toLocaleString('en')} scheduled in tenant`;
        add(`guddu GET /calendar month, ${label}`, got, `first page: ${items.length} items + ${days.length} day counts (${inDays}), ${(bytes / 1e6).toFixed(2)} MB`);
        add(`raw pg: same SQL, ${label}`, sqlOnly, 'BEGIN+context, day counts, page, COMMIT');
        add(`guddu: every page of the month, ${label}`, whole, `${listed} items in ${Math.ceil(listed / CALENDAR_PAGE_ITEMS)} requests`);
        verdicts.push(`  ${got.p99 < TARGET_P99_MS ? 'PASS' : 'FAIL'}  calendar month (${inDays} messages, ${items.length} listed) at ${label}: p99 ${fmt.ms(got.p99)} ms   (target < ${TARGET_P99_MS} ms; the SQL alone p99 ${fmt.ms(sqlOnly.p99)} ms)`);
      }
      if (values.explain) console.log(`\nEXPLAIN (ANALYZE, BUFFERS) of the calendar month as guddu_app, 50,000 in the tenant:\n${await raw.explain()}\n`);
    } finally {
      await raw.end();
    }
  }

  if (only.includes('search')) {
    const c = new pg.Client({ connectionString: superuserUrl });
    await c.connect();
    for (const { label, q } of SEARCHES) {
      const { rows: n } = await c.query(`SELECT count(*)::int AS n FROM message_texts WHERE org_path @> ARRAY[$2::uuid] AND tsv @@ websearch_to_tsquery('simple', $1)`, [q, claims.org]);
      let last;
      const s = await sequential(
        searchRequests,
        3,
        async () => {
          last = await api(base, token, 'GET', `/api/v1/messages/search?q=${encodeURIComponent(q)}`);
        },
        searchSeconds * 1000,
      );
      const found = last.json.items.length;
      add(`guddu GET /messages/search, ${label} "${q}"`, s, `${n[0].n} texts contain it; ${found} results`);
    }
    await c.end();
  }

  await guddu.handle.stop();
  console.log('');
  console.log(table(rows));
  console.log('\nTargets');
  for (const v of verdicts) console.log(v);
  if (guddu.profDir) {
    const files = readdirSync(guddu.profDir).filter((f) => f.endsWith('.cpuprofile'));
    if (files.length === 0) console.log(`\n(no CPU profile was written in ${guddu.profDir})`);
    for (const f of files) console.log(`\n${summariseProfile(join(guddu.profDir, f))}`);
  }
  return 0;
}
