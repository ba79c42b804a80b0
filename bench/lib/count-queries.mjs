// Preloaded into the Guddu child with `node --import` when the bench runs with --count-queries:
// counts every statement sent to PostgreSQL (and the time until its answer), and the time spent
// waiting for a pooled connection. SIGUSR2 writes the counts so far as JSON to $BENCH_QUERY_LOG
// and starts again from zero (the bench sends it around the measured run); at exit they are
// written only if no SIGUSR2 came. Instrumentation only: it changes nothing the server does,
// but adds a little overhead.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';

const out = process.env.BENCH_QUERY_LOG;
let stats = new Map();
let pool = { connects: 0, waitMs: 0, maxWaitMs: 0 };
let dumped = false;

const keyOf = (text) => {
  const sql = String(text).replace(/\s+/g, ' ').trim();
  if (/^(BEGIN|COMMIT|ROLLBACK)\b/i.test(sql)) return sql.split(' ')[0].toUpperCase();
  return sql.slice(0, 140);
};

const record = (key, ms) => {
  const s = stats.get(key) ?? { count: 0, ms: 0 };
  s.count += 1;
  s.ms += ms;
  stats.set(key, s);
};

const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(config, values, callback) {
  const text = typeof config === 'string' ? config : config?.text;
  const started = performance.now();
  const result = query.call(this, config, values, callback);
  if (text === undefined) return result;
  if (result && typeof result.then === 'function') {
    result.then(
      () => record(keyOf(text), performance.now() - started),
      () => record(keyOf(text), performance.now() - started),
    );
  } else {
    record(keyOf(text), 0);
  }
  return result;
};

const connect = pg.Pool.prototype.connect;
pg.Pool.prototype.connect = function countedConnect(cb) {
  const started = performance.now();
  const done = () => {
    const ms = performance.now() - started;
    pool.connects += 1;
    pool.waitMs += ms;
    pool.maxWaitMs = Math.max(pool.maxWaitMs, ms);
  };
  if (cb) {
    return connect.call(this, (err, client, release) => {
      done();
      cb(err, client, release);
    });
  }
  const p = connect.call(this);
  p.then(done, done);
  return p;
};

const dump = () => {
  if (out) writeFileSync(out, JSON.stringify({ statements: Object.fromEntries(stats), pool }, null, 2));
};
process.on('SIGUSR2', () => {
  dump();
  dumped = true;
  stats = new Map();
  pool = { connects: 0, waitMs: 0, maxWaitMs: 0 };
});
process.on('exit', () => {
  if (!dumped) dump();
});
