// `npm run bench -- jobs`: background work of the built server (server/dist), in this process:
// jobs/s through Guddu's JobQueue + JobWorker next to raw BullMQ (PostgreSQL and Redis
// backends), outbox relay events/s (NATS and in-process), and the lateness of delayed jobs due
// together. See bench/README.md.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onCleanup, removeDirLater } from './lib/cleanup.mjs';
import { freePort, startProcess, waitForPort } from './lib/children.mjs';
import { fmt, table } from './lib/format.mjs';
import { freshDatabase, stopPostmaster } from './lib/postgres.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'server', 'dist');
const REDIS_SERVER = '/usr/bin/redis-server';
const NATS_SERVER = '/usr/sbin/nats-server';
const TARGETS = { ratio: 0.8, p99Ms: 1000 };
const PARTS = ['throughput', 'relay', 'lateness'];
const BACKENDS = ['postgres', 'redis'];
const CHUNK = 1000;
const RAW_QUEUE = 'bench-raw';

export const description = 'jobs/s via the wrapper vs raw BullMQ (PostgreSQL, Redis), outbox relay events/s (NATS, in-process), delayed-job lateness';

export const options = {
  jobs: { type: 'string', default: '5000', help: 'no-op jobs per throughput figure (default 5000)' },
  rounds: { type: 'string', default: '2', help: 'throughput rounds, alternating raw/wrapper order (default 2)' },
  concurrency: { type: 'string', default: '10', help: 'worker concurrency, wrapper and raw alike (default 10, GUDDU_JOB_CONCURRENCY)' },
  events: { type: 'string', default: '5000', help: 'outbox events per relay figure (default 5000)' },
  aggregates: { type: 'string', default: '100', help: 'aggregates the events are spread over (default 100)' },
  delayed: { type: 'string', default: '10000', help: 'delayed jobs due in the same second (default 10000)' },
  'arm-ahead': { type: 'string', default: '30', help: 'GUDDU_JOB_ARM_AHEAD_SECONDS for the scheduler lateness (default 30, as in Guddu)' },
  timeout: { type: 'string', default: '120', help: 'seconds before a measurement is cut short (default 120)' },
  only: { type: 'string', arg: 'LIST', help: `comma-separated subset of ${PARTS.join(',')} (default all)` },
  backends: { type: 'string', arg: 'LIST', help: `comma-separated subset of ${BACKENDS.join(',')} (default both)` },
};

const positiveInt = (name, v) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer (got "${v}")`);
  return n;
};
const dist = (p) => import(new URL(`file://${join(DIST, p)}`).href);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const list = (name, value, known) => {
  const items = value ? value.split(',').map((s) => s.trim()) : known;
  for (const i of items) if (!known.includes(i)) throw new Error(`--${name}: unknown "${i}" (known: ${known.join(', ')})`);
  return items;
};

/** A promise resolved from outside, with a count: `tick()` until `n`, or the deadline. */
function counter(n) {
  let resolve;
  const done = new Promise((r) => (resolve = r));
  const c = {
    count: 0,
    done,
    tick() {
      if (++c.count === n) resolve(true);
    },
    /** true when all `n` came, false when `ms` passed first. */
    within: (ms) => {
      let timer;
      return Promise.race([done, new Promise((r) => (timer = setTimeout(() => r(false), ms)))]).finally(() => clearTimeout(timer));
    },
  };
  return c;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

// ---------------------------------------------------------------------------------------------
// Servers: PostgreSQL (embedded or DATABASE_URL), Redis (REDIS_URL or our own), NATS (NATS_URL or our own)

async function preparePostgres(m, log) {
  if (process.env.DATABASE_URL) {
    const { name, url } = await freshDatabase(process.env.DATABASE_URL);
    return { url, label: `fresh database ${name} on DATABASE_URL` };
  }
  const dir = mkdtempSync(join(tmpdir(), 'guddu-bench-jobs-'));
  removeDirLater(dir);
  onCleanup('stop a left-over embedded PostgreSQL', () => stopPostmaster(dir), () => stopPostmaster(dir, true));
  const pgHandle = await m.startEmbeddedPostgres(dir, log);
  onCleanup('stop the embedded PostgreSQL', () => pgHandle.stop());
  await m.ensureDatabase(pgHandle.urlFor('postgres'), 'guddu_bench');
  return { url: pgHandle.urlFor('guddu_bench'), label: `embedded PostgreSQL (port ${pgHandle.port}) in ${dir}, database guddu_bench` };
}

async function prepareRedis() {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, label: 'REDIS_URL (keys under a unique prefix, removed at the end)', shared: true };
  if (!existsSync(REDIS_SERVER)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'guddu-bench-redis-'));
  removeDirLater(dir);
  const port = await freePort();
  const handle = startProcess('redis-server', REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec'], { stopTimeoutMs: 10_000 });
  await waitForPort(port, handle);
  return { url: `redis://127.0.0.1:${port}`, label: `own redis-server on port ${port} (appendonly yes, fsync everysec)`, shared: false };
}

async function prepareNats() {
  if (process.env.NATS_URL) return { url: process.env.NATS_URL, label: 'NATS_URL' };
  if (!existsSync(NATS_SERVER)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'guddu-bench-nats-'));
  removeDirLater(dir);
  const port = await freePort();
  const handle = startProcess('nats-server', NATS_SERVER, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir], { stopTimeoutMs: 10_000 });
  await waitForPort(port, handle);
  return { url: `nats://127.0.0.1:${port}`, label: `own nats-server -js on port ${port}` };
}

// ---------------------------------------------------------------------------------------------
// Jobs

/** The PlatformResources the wrapper reads, for one backend. */
function resourcesFor(runtime, backend, concurrency, redisPrefix) {
  return {
    ...runtime,
    role: 'worker',
    config: { ...runtime.config, redisUrl: backend.kind === 'redis' ? backend.url : undefined, jobs: { ...runtime.config.jobs, concurrency, redisPrefix } },
  };
}

const payloadOf = (key, extra = {}) => ({ orgId: null, correlationId: key, idempotencyKey: key, ...extra });

/**
 * The wrapper: JobQueue.enqueueMany in chunks, then JobWorker.start() on the full queue; the
 * clock runs from start() until the n-th handler call.
 */
async function wrapperThroughput(ctx, backend, n, tag) {
  const { m, runtime, concurrency, timeoutMs, prefix } = ctx;
  const res = resourcesFor(runtime, backend, concurrency, prefix);
  const queue = new m.JobQueue(res);
  const c = counter(n);
  const handlers = new m.JobHandlers();
  handlers.handlers = new Map([['bench.noop', async () => c.tick()]]);
  const worker = new m.JobWorker(res, ctx.log, handlers, ctx.tx, new m.WorkerRegistryRepository(ctx.tx), queue);
  try {
    const e0 = performance.now();
    for (let i = 0; i < n; i += CHUNK) {
      await queue.enqueueMany('bench.noop', Array.from({ length: Math.min(CHUNK, n - i) }, (_, j) => ({ payload: payloadOf(`${tag}-${i + j}`) })));
    }
    const enqueueS = (performance.now() - e0) / 1000;
    const p0 = performance.now();
    await worker.start();
    const complete = await c.within(timeoutMs);
    const processS = (performance.now() - p0) / 1000;
    return { enqueueS, processS, done: c.count, complete };
  } finally {
    await worker.onModuleDestroy();
    await queue.onApplicationShutdown();
  }
}

/** Raw BullMQ: the same steps with Queue.addBulk and a Worker built directly, BullMQ's defaults otherwise. */
async function rawThroughput(ctx, backend, n, tag) {
  const { bullmq, concurrency, timeoutMs, prefix } = ctx;
  // The same connections the wrapper opens (job-backend.ts): PostgreSQL pools of 4 for the
  // queue and 2 + min(concurrency, 8) for the worker, in the schema `bullmq`; or Redis.
  const conn = (max) =>
    backend.kind === 'redis'
      ? { connection: redisConnection(backend.url), prefix }
      : { connection: { connectionString: backend.url, schema: 'bullmq', max, migrate: false } };
  const factory = backend.kind === 'redis' ? bullmq.createRedisBackend : bullmq.createPostgresBackend;
  const queue = new bullmq.Queue(RAW_QUEUE, conn(4), factory);
  const c = counter(n);
  let worker;
  try {
    const e0 = performance.now();
    for (let i = 0; i < n; i += CHUNK) {
      await queue.addBulk(Array.from({ length: Math.min(CHUNK, n - i) }, (_, j) => ({ name: 'bench.noop', data: payloadOf(`${tag}-${i + j}`) })));
    }
    const enqueueS = (performance.now() - e0) / 1000;
    const p0 = performance.now();
    worker = new bullmq.Worker(RAW_QUEUE, async () => c.tick(), { ...conn(2 + Math.min(concurrency, 8)), concurrency }, factory);
    worker.on('error', () => {});
    const complete = await c.within(timeoutMs);
    const processS = (performance.now() - p0) / 1000;
    return { enqueueS, processS, done: c.count, complete };
  } finally {
    await worker?.close();
    await queue.close();
  }
}

function redisConnection(url) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    db: Number(u.pathname.slice(1) || 0),
    maxRetriesPerRequest: null,
  };
}

/** Rounds alternate the order (raw first, then wrapper first) so that neither always gets the warmer or emptier store. */
async function throughput(ctx, backend, n, rounds) {
  const sums = { raw: { jobs: 0, enqueueS: 0, processS: 0, short: 0 }, wrapper: { jobs: 0, enqueueS: 0, processS: 0, short: 0 } };
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ['raw', 'wrapper'] : ['wrapper', 'raw'];
    for (const kind of order) {
      process.stdout.write(`  ${backend.kind} round ${r + 1}/${rounds}: ${kind} ...`);
      const tag = `${kind}-${r}-${randomBytes(3).toString('hex')}`;
      const res = kind === 'raw' ? await rawThroughput(ctx, backend, n, tag) : await wrapperThroughput(ctx, backend, n, tag);
      const s = sums[kind];
      s.jobs += res.done;
      s.enqueueS += res.enqueueS;
      s.processS += res.processS;
      if (!res.complete) s.short += n - res.done;
      process.stdout.write(` enqueued ${fmt.rps(n / res.enqueueS)}/s, processed ${fmt.rps(res.done / res.processS)}/s${res.complete ? '' : `  (cut short: ${res.done}/${n} after ${ctx.timeoutMs / 1000}s)`}\n`);
    }
  }
  return sums;
}

/**
 * `n` jobs through the wrapper, all due at the same instant; the handler records
 * (its start − due). The due time is far enough ahead that every chunk is queued before it.
 */
async function lateness(ctx, backend, n, enqueueRate) {
  const { m, runtime, concurrency, timeoutMs, prefix } = ctx;
  const res = resourcesFor(runtime, backend, concurrency, `${prefix}-late`);
  const queue = new m.JobQueue(res);
  const late = [];
  const c = counter(n);
  const handlers = new m.JobHandlers();
  handlers.handlers = new Map([
    [
      'bench.noop',
      async (p) => {
        late.push(Date.now() - p.due);
        c.tick();
      },
    ],
  ]);
  const worker = new m.JobWorker(res, ctx.log, handlers, ctx.tx, new m.WorkerRegistryRepository(ctx.tx), queue);
  try {
    await worker.start();
    // Delayed adds cost about what plain adds cost; 1.5x that estimate + 1 s, at least 3 s.
    const leadMs = Math.max(3000, Math.ceil((1.5 * n * 1000) / enqueueRate) + 1000);
    const due = Date.now() + leadMs;
    const tag = `late-${randomBytes(3).toString('hex')}`;
    const e0 = Date.now();
    for (let i = 0; i < n; i += CHUNK) {
      const delayMs = due - Date.now();
      await queue.enqueueMany('bench.noop', Array.from({ length: Math.min(CHUNK, n - i) }, (_, j) => ({ payload: payloadOf(`${tag}-${i + j}`, { due }), opts: { delayMs } })));
    }
    const enqueuedAt = Date.now();
    const complete = await c.within(Math.max(0, due - Date.now()) + timeoutMs);
    const sorted = [...late].sort((a, b) => a - b);
    return {
      n,
      ran: late.length,
      complete,
      leadMs,
      enqueueMs: enqueuedAt - e0,
      overran: Math.max(0, enqueuedAt - due),
      early: sorted.filter((x) => x < 0).length,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? NaN,
    };
  } finally {
    await worker.onModuleDestroy();
    await queue.onApplicationShutdown();
  }
}

/**
 * `n` entries of Guddu's scheduler due at the same instant: the path a scheduled post takes.
 * The rows go in with one INSERT (as if scheduled over the preceding days); each is armed with
 * SchedulerService.arm, i.e. a fire job armed GUDDU_JOB_ARM_AHEAD_SECONDS ahead that the worker
 * holds until the entry's time; the fire claims the row, runs the entry's job and records the
 * run. The handler records (its start − run_at).
 */
async function scheduledLateness(ctx, backend, n, armRate) {
  const { m, runtime, concurrency, timeoutMs, prefix, sql, tx } = ctx;
  const res = resourcesFor(runtime, backend, concurrency, `${prefix}-sched`);
  const queue = new m.JobQueue(res);
  const late = [];
  const c = counter(n);
  const handlers = new m.JobHandlers();
  const repo = new m.SchedulerRepository(tx);
  const scheduler = new m.SchedulerService(tx, repo, queue, handlers, ctx.log);
  handlers.handlers = new Map([
    ['bench.noop', async (p) => {
      late.push(Date.now() - p.due);
      c.tick();
    }],
    ['scheduler.fire', (p, jc) => scheduler.fire(p, jc)],
  ]);
  const worker = new m.JobWorker(res, ctx.log, handlers, ctx.tx, new m.WorkerRegistryRepository(ctx.tx), queue);
  try {
    await worker.start();
    const armAheadMs = res.config.jobs.armAheadMs;
    // Arming is one add per entry (as entries are scheduled one by one), slower than a bulk add.
    const leadMs = Math.ceil((1.5 * n * 1000) / armRate) + armAheadMs + 1000;
    const due = Date.now() + leadMs;
    const tag = `sched-${randomBytes(3).toString('hex')}`;
    const e0 = Date.now();
    const entries = await tx.withTenantBypass('bench: scheduled entries', async () =>
      (await sql`INSERT INTO scheduled_jobs (org_id, key, job_name, payload, run_at)
        SELECT NULL, ${tag} || '-' || i, 'bench.noop',
               jsonb_build_object('orgId', NULL, 'correlationId', ${tag} || '-' || i, 'idempotencyKey', ${tag} || '-' || i, 'due', ${due}::bigint),
               to_timestamp(${due}::bigint / 1000.0)
        FROM generate_series(0, ${n - 1}) AS i RETURNING *`.execute(tx.current())).rows,
    );
    for (let i = 0; i < entries.length; i += 100) await Promise.all(entries.slice(i, i + 100).map((e) => scheduler.arm(e)));
    const armedAt = Date.now();
    const complete = await c.within(Math.max(0, due - Date.now()) + timeoutMs);
    const sorted = [...late].sort((a, b) => a - b);
    // Outcomes are recorded after the handlers return: give them up to 15 s.
    const doneCount = () =>
      tx.withTenantBypass('bench: outcome', async () =>
        Number((await sql`SELECT count(*)::int AS n FROM scheduled_jobs WHERE key LIKE ${tag + '-%'} AND state = 'done'`.execute(tx.current())).rows[0].n),
      );
    let done = await doneCount();
    for (const until = Date.now() + 15_000; done < late.length && Date.now() < until; done = await doneCount()) await sleep(250);
    return {
      n,
      ran: late.length,
      complete,
      leadMs,
      enqueueMs: armedAt - e0,
      overran: Math.max(0, armedAt - (due - armAheadMs)),
      early: sorted.filter((x) => x < 0).length,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? NaN,
      done,
    };
  } finally {
    await worker.onModuleDestroy();
    await queue.onApplicationShutdown();
  }
}

// ---------------------------------------------------------------------------------------------
// Outbox relay

async function insertEvents(ctx, orgId, n, aggregates) {
  const { sql, tx } = ctx;
  // One tenant transaction, as services emit; interleaved aggregates, as concurrent requests write.
  await tx.inTenant({ orgId }, (trx) =>
    sql`INSERT INTO outbox_events (id, name, org_id, aggregate_type, aggregate_id, payload, correlation_id)
        SELECT gen_random_uuid(), 'bench.ticked', ${orgId}::uuid, 'bench', 'agg-' || (i % ${aggregates}), jsonb_build_object('seq', i / ${aggregates}), NULL
        FROM generate_series(0, ${n - 1}) AS i`.execute(trx),
  );
}

/** Inserts `n` events, then runs the relay with `transport` until all are published (or the timeout). */
async function relayRun(ctx, transport, n, aggregates) {
  const { m, tx, runtime, timeoutMs } = ctx;
  const orgId = randomUUID();
  await insertEvents(ctx, orgId, n, aggregates);
  const repo = new m.OutboxRepository(tx);
  const c = counter(n);
  const markPublished = repo.markPublished.bind(repo);
  repo.markPublished = async (positions) => {
    await markPublished(positions);
    for (let i = 0; i < positions.length; i++) c.tick();
  };
  const relay = new m.OutboxRelay(tx, repo, transport, runtime.databaseUrl, ctx.log, runtime.config.outbox.aggregatesPerBatch);
  const t0 = performance.now();
  relay.start();
  const complete = await c.within(timeoutMs);
  await relay.stop(); // the last round commits
  const seconds = (performance.now() - t0) / 1000;
  return { n, published: c.count, complete, seconds };
}

async function natsStreamCount(url, stream) {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    return (await jsm.streams.info(stream)).state.messages;
  } finally {
    await nc.close();
  }
}

async function deleteNatsStreams(url, prefix) {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const nc = await connect({ servers: url, timeout: 5000 });
  try {
    const jsm = await jetstreamManager(nc);
    for await (const name of jsm.streams.names()) if (name.startsWith(`${prefix.toUpperCase()}_`)) await jsm.streams.delete(name);
  } finally {
    await nc.close();
  }
}

// ---------------------------------------------------------------------------------------------

export async function run(values) {
  const n = positiveInt('jobs', values.jobs);
  const rounds = positiveInt('rounds', values.rounds);
  const concurrency = positiveInt('concurrency', values.concurrency);
  const events = positiveInt('events', values.events);
  const aggregates = positiveInt('aggregates', values.aggregates);
  const delayed = positiveInt('delayed', values.delayed);
  const timeoutMs = positiveInt('timeout', values.timeout) * 1000;
  const only = list('only', values.only, PARTS);
  const backendsWanted = list('backends', values.backends, BACKENDS);
  if (!existsSync(join(DIST, 'platform', 'jobs', 'job-worker.js'))) throw new Error(`${DIST} not built: npm run build -w server, or use npm run bench`);

  await import('reflect-metadata');
  const [config, logging, runtimeMod, pgMod, dbMod, catalog, queueMod, workerMod, handlersMod, relayMod, repoMod, txMod, natsMod, inProcMod, subsMod, deliveryMod, schedMod, schedRepoMod] = await Promise.all(
    [
      'platform/config/config.js',
      'platform/logging/logger.js',
      'platform/runtime.js',
      'platform/database/embedded-postgres.js',
      'platform/database/database.js',
      'platform/jobs/job-catalog.js',
      'platform/jobs/job-queue.js',
      'platform/jobs/job-worker.js',
      'platform/jobs/job-handlers.js',
      'platform/events/outbox-relay.js',
      'platform/events/outbox.repository.js',
      'platform/database/transactor.js',
      'platform/events/nats.transport.js',
      'platform/events/in-process.transport.js',
      'platform/events/event-subscribers.js',
      'platform/events/event-delivery.js',
      'platform/scheduler/scheduler.service.js',
      'platform/scheduler/scheduler.repository.js',
    ].map(dist),
  );
  // Decision 0013: the worker keeps a heartbeat row and queue handle; delivery parks behind dead letters.
  const { WorkerRegistryRepository } = await dist('platform/jobs/worker-registry.repository.js');
  const { ParkedEventsRepository } = await dist('platform/events/parked-events.repository.js');
  const m = {
    startEmbeddedPostgres: pgMod.startEmbeddedPostgres,
    ensureDatabase: dbMod.ensureDatabase,
    JobQueue: queueMod.JobQueue,
    JobWorker: workerMod.JobWorker,
    WorkerRegistryRepository,
    ParkedEventsRepository,
    JobHandlers: handlersMod.JobHandlers,
    OutboxRelay: relayMod.OutboxRelay,
    OutboxRepository: repoMod.OutboxRepository,
    SchedulerService: schedMod.SchedulerService,
    SchedulerRepository: schedRepoMod.SchedulerRepository,
  };
  const bullmq = await import('bullmq');
  const { sql } = await import('kysely');
  catalog.declareJob('bench.noop', { attempts: 1, backoffMs: 1000, jitter: 0 });
  // Warnings from the wrapper (backend errors, failed jobs) go to stderr; nothing else logs.
  const log = logging.createLogger('warn', 'stderr');

  console.log(`Guddu jobs benchmark — ${cpus().length} × ${cpus()[0]?.model?.trim() ?? 'cpu'}, Node ${process.version}, BullMQ (server/dist wrapper and raw, one process)`);
  console.log(`  ${n} no-op jobs × ${rounds} round(s) per figure, concurrency ${concurrency}; relay ${events} events over ${aggregates} aggregates; ${delayed} delayed jobs; cut-off ${timeoutMs / 1000}s per measurement`);
  const load1 = loadavg()[0];
  console.log(`  load average before start: ${load1.toFixed(2)}${load1 > 0.5 * cpus().length ? '  (the machine was busy: figures may be low)' : ''}`);

  const postgres = await preparePostgres(m, log);
  console.log(`  PostgreSQL: ${postgres.label}`);
  const cfg = config.loadConfig({
    DATABASE_URL: postgres.url,
    GUDDU_SECRET_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    GUDDU_JOB_CONCURRENCY: String(concurrency),
    GUDDU_JOB_ARM_AHEAD_SECONDS: String(values['arm-ahead']),
  });
  // Guddu's migrations and BullMQ's job-store schema, as a server start applies them.
  const runtime = await runtimeMod.openRuntime(cfg, log, { role: 'worker' });
  onCleanup('close the Guddu runtime', () => runtime.close());

  const wantRedis = backendsWanted.includes('redis') && (only.includes('throughput') || only.includes('lateness'));
  const redis = wantRedis ? await prepareRedis() : undefined;
  if (wantRedis) console.log(`  Redis: ${redis ? redis.label : `SKIPPED: REDIS_URL is not set and ${REDIS_SERVER} does not exist`}`);
  const nats = only.includes('relay') ? await prepareNats() : undefined;
  if (only.includes('relay')) console.log(`  NATS: ${nats ? nats.label : `SKIPPED: NATS_URL is not set and ${NATS_SERVER} does not exist`}`);
  console.log('');

  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const ctx = { m, bullmq, runtime, log, concurrency, timeoutMs, prefix, sql, tx: new txMod.Transactor(runtime.db, runtime.pool, log) };
  const backends = [];
  if (backendsWanted.includes('postgres')) backends.push({ kind: 'postgres', url: runtime.databaseUrl });
  if (redis) {
    backends.push({ kind: 'redis', url: redis.url });
    if (redis.shared) {
      // Only our queues' keys go (obliterate), never the rest of a shared Redis.
      onCleanup(`remove the bench queues from ${redis.url}`, async () => {
        for (const [name, pfx] of [[RAW_QUEUE, prefix], [queueMod.QUEUE_NAME, prefix], [queueMod.QUEUE_NAME, `${prefix}-late`]]) {
          const q = new bullmq.Queue(name, { connection: redisConnection(redis.url), prefix: pfx });
          await q.obliterate({ force: true }).finally(() => q.close());
        }
      });
    }
  }

  const failures = [];
  const attempt = async (what, fn) => {
    try {
      return await fn();
    } catch (err) {
      failures.push(`${what}: ${err?.message ?? err}`);
      console.log(`  ${what}: could not measure: ${err?.message ?? err}`);
      return undefined;
    }
  };

  // 1. Throughput
  const tp = new Map();
  if (only.includes('throughput')) {
    console.log('Throughput (enqueue in chunks of 1,000, then start the worker on the full queue)');
    for (const b of backends) {
      const sums = await attempt(`throughput on ${b.kind}`, () => throughput(ctx, b, n, rounds));
      if (sums) tp.set(b.kind, sums);
    }
    console.log('');
  }

  // 2. Outbox relay
  const relays = [];
  if (only.includes('relay')) {
    console.log(`Outbox relay (${events} events inserted first, then the relay publishes until none is left)`);
    const subscribersOf = () => new subsMod.EventSubscribers();
    if (nats) {
      const natsPrefix = `bench_${randomBytes(4).toString('hex')}`;
      onCleanup(`delete the NATS streams ${natsPrefix.toUpperCase()}_*`, () => deleteNatsStreams(nats.url, natsPrefix));
      const r = await attempt('relay to NATS', async () => {
        const subs = subscribersOf();
        const transport = new natsMod.NatsTransport(nats.url, natsPrefix, subs, new deliveryMod.EventDelivery(ctx.tx, new m.OutboxRepository(ctx.tx), new m.ParkedEventsRepository(ctx.tx)), log, { maxAttempts: 10, baseMs: 1000, maxMs: 300_000 });
        await transport.start();
        try {
          for (let i = 0; i < 200 && !transport.available(); i++) await sleep(50);
          if (!transport.available()) throw new Error(`NATS at ${nats.url} not available after 10 s`);
          process.stdout.write('  nats ...');
          const res = await relayRun(ctx, transport, events, aggregates);
          res.inStream = await natsStreamCount(nats.url, `${natsPrefix}_bench`.toUpperCase());
          return res;
        } finally {
          await transport.stop();
        }
      });
      if (r) {
        process.stdout.write(` ${fmt.rps(r.published / r.seconds)} events/s (stream holds ${r.inStream})\n`);
        relays.push({ title: 'NATS JetStream (no consumers)', ...r });
      }
    }
    for (const [title, withSubscriber] of [
      ['in-process, no subscriber', false],
      ['in-process, 1 no-op subscriber', true],
    ]) {
      const r = await attempt(`relay ${title}`, async () => {
        const subs = subscribersOf();
        if (withSubscriber) await subs.register('bench.ticked', 'bench.noop', async () => {});
        const transport = new inProcMod.InProcessTransport(subs, new deliveryMod.EventDelivery(ctx.tx, new m.OutboxRepository(ctx.tx), new m.ParkedEventsRepository(ctx.tx)));
        process.stdout.write(`  ${title} ...`);
        return relayRun(ctx, transport, events, aggregates);
      });
      if (r) {
        process.stdout.write(` ${fmt.rps(r.published / r.seconds)} events/s\n`);
        relays.push({ title, ...r });
      }
    }
    console.log('');
  }

  // 3. Lateness
  const lates = [];
  if (only.includes('lateness')) {
    console.log(`Lateness (${delayed} jobs due at the same instant; lateness = handler start − due)`);
    for (const b of backends) {
      const w = tp.get(b.kind)?.wrapper;
      const rate = w ? w.jobs / w.enqueueS : b.kind === 'redis' ? 10_000 : 2_000;
      for (const [path, measure] of [
        ['scheduler', () => scheduledLateness(ctx, b, delayed, b.kind === 'redis' ? 4_000 : 400)],
        ['delayed job', () => lateness(ctx, b, delayed, rate)],
      ]) {
        process.stdout.write(`  ${b.kind}, ${path} ...`);
        const r = await attempt(`lateness on ${b.kind} (${path})`, measure);
        if (r) {
          process.stdout.write(` p99 ${fmt.ms(r.p99)} ms${r.complete ? '' : `  (cut short: ${r.ran}/${r.n} ran)`}\n`);
          lates.push({ backend: b.kind, path, ...r });
        }
      }
    }
    console.log('');
  }

  // Results
  const verdicts = [];
  if (tp.size) {
    const rows = [['backend', 'figure', 'jobs', 'enqueue jobs/s', 'processed jobs/s', 'not done']];
    for (const [kind, sums] of tp) {
      for (const fig of ['raw', 'wrapper']) {
        const s = sums[fig];
        rows.push([kind, fig === 'raw' ? 'raw BullMQ' : 'Guddu JobQueue+JobWorker', fmt.int(s.jobs), fmt.rps((s.jobs + s.short) / s.enqueueS), fmt.rps(s.jobs / s.processS), fmt.int(s.short)]);
      }
      const ratio = sums.wrapper.jobs / sums.wrapper.processS / (sums.raw.jobs / sums.raw.processS);
      const enqRatio = sums.raw.enqueueS / sums.wrapper.enqueueS;
      verdicts.push(`  ${ratio >= TARGETS.ratio ? 'PASS' : 'FAIL'}  ${kind}: wrapper ÷ raw processed jobs/s = ${fmt.ratio(ratio)}   (target ≥ ${TARGETS.ratio}; enqueue ratio ${fmt.ratio(enqRatio)}, info)`);
    }
    console.log(table(rows));
    console.log('');
  }
  if (!redis && wantRedis) verdicts.push(`  ----  redis: not measured (no REDIS_URL and no ${REDIS_SERVER})`);
  if (relays.length) {
    const rows = [['relay transport', 'events', 'aggregates', 'published', 'seconds', 'events/s']];
    for (const r of relays) rows.push([r.title, fmt.int(r.n), fmt.int(aggregates), fmt.int(r.published), r.seconds.toFixed(2), fmt.rps(r.published / r.seconds)]);
    console.log(table(rows));
    for (const r of relays) {
      if (!r.complete) console.log(`  WARNING ${r.title}: cut short after ${timeoutMs / 1000}s with ${r.published}/${r.n} published`);
      if (r.inStream !== undefined && r.inStream !== r.n) console.log(`  WARNING ${r.title}: the stream holds ${r.inStream} messages, expected ${r.n}`);
    }
    console.log('');
  }
  if (only.includes('relay') && !nats) verdicts.push(`  ----  relay to NATS: not measured (no NATS_URL and no ${NATS_SERVER})`);
  if (lates.length) {
    const rows = [['backend', 'path', 'jobs', 'ran', 'early', 'enqueue s', 'lead s', 'p50 ms', 'p99 ms', 'max ms', 'jobs/s after due']];
    for (const l of lates) {
      rows.push([l.backend, l.path, fmt.int(l.n), fmt.int(l.ran), fmt.int(l.early), (l.enqueueMs / 1000).toFixed(1), (l.leadMs / 1000).toFixed(1), fmt.ms(l.p50), fmt.ms(l.p99), fmt.ms(l.max), fmt.rps(l.ran / Math.max(0.001, l.max / 1000))]);
    }
    console.log(table(rows));
    for (const l of lates) {
      const what = `${l.backend}, ${l.path}`;
      if (l.overran) console.log(`  WARNING ${what}: enqueueing or arming ended ${l.overran} ms too late, so the jobs were not all waiting in time`);
      if (!l.complete) console.log(`  WARNING ${what}: cut short: ${l.ran}/${l.n} ran within ${timeoutMs / 1000}s of the due time; percentiles are of those that ran`);
      if (l.done !== undefined && l.done !== l.n) console.log(`  WARNING ${what}: ${l.done}/${l.n} entries recorded as done`);
      const ok = l.complete && l.p99 < TARGETS.p99Ms && l.early === 0;
      // The target is the scheduler's (scheduled posts); a bare delayed job has no arm-ahead and
      // is bound by how fast the queue hands jobs out: shown for information.
      const verdict = l.path === 'scheduler' ? (ok ? 'PASS' : 'FAIL') : 'info';
      verdicts.push(`  ${verdict.padEnd(4)}  ${what}: lateness p99 = ${fmt.ms(l.p99)} ms for ${l.ran}/${l.n} due together, ${l.early} early   (target < ${TARGETS.p99Ms} ms, all run, none early)`);
    }
    console.log('');
  }

  console.log('Targets');
  for (const v of verdicts) console.log(v);
  for (const f of failures) console.log(`  ----  ${f}`);
  return 0;
}
