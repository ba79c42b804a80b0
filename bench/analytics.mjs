// `npm run bench -- analytics`: metric points ingested per second through Guddu (COPY, in
// the built server's code) against a raw COPY of the same rows in the same run, the 30-day
// dashboard query for a ministry with 200 missions, sentiment on Guddu's labelled set (accuracy
// and macro-F1 per language on the held-out half, next to the raw libraries) and comments/s.
// See bench/README.md.
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fmt, table } from './lib/format.mjs';
import { prepareDatabase, ROOT } from './lib/guddu.mjs';

const DIST = join(ROOT, 'server', 'dist');
const PARTS = ['ingest', 'sentiment'];
const TARGET_RATE = 20_000;
const TARGET_RATIO = 0.8;
const TARGET_P99_MS = 50;
const DAY = 86_400_000;

const SENTIMENT = join(ROOT, 'server', 'dist', 'modules', 'analytics', 'sentiment');
const SET = join(ROOT, 'server', 'src', 'modules', 'analytics', 'sentiment', 'sentiment-evaluation.tsv');
const TARGET_F1 = { en: 0.85, hi: 0.75 };

export const description = 'sentiment accuracy/macro-F1 per language (held-out half) and comments/s';

export const options = {
  only: { type: 'string', arg: 'LIST', help: `comma-separated subset of ${PARTS.join(',')} (default all)` },
  points: { type: 'string', default: '500000', help: 'metric points ingested each way (default 500,000; the issue asks 10 million)' },
  missions: { type: 'string', default: '200', help: 'missions under the ministry (default 200)' },
  batch: { type: 'string', default: '20000', help: 'points per ingest call (default 20,000)' },
  requests: { type: 'string', default: '200', help: 'dashboard queries measured (default 200)' },
  seconds: { type: 'string', default: '3', help: 'seconds spent measuring comments/s (default 3)' },
  split: { type: 'string', arg: 'NAME', default: 'held-out', help: 'held-out (default) or development' },
};

/** The libraries alone, as the issue measured them: VADER's compound; nlp.js's afinn_hi vote. */
async function rawLibraries() {
  const require = createRequire(join(ROOT, 'server', 'package.json'));
  const vader = require('vader-sentiment');
  const { SentimentAnalyzer } = require('@nlpjs/sentiment');
  const { LangHi } = require('@nlpjs/lang-hi');
  const { Container } = require('@nlpjs/core');
  const container = new Container();
  container.use(LangHi);
  const nlp = new SentimentAnalyzer({ container });
  const label = (s) => (s >= 0.05 ? 'positive' : s <= -0.05 ? 'negative' : 'neutral');
  return {
    en: async (text) => label(vader.SentimentIntensityAnalyzer.polarity_scores(text).compound),
    hi: async (text) => {
      const { sentiment } = await nlp.process({ locale: 'hi', text });
      return sentiment.score > 0 ? 'positive' : sentiment.score < 0 ? 'negative' : 'neutral';
    },
  };
}

export async function run(values) {
  const only = new Set((values.only ?? PARTS.join(',')).split(','));
  let status = 0;
  if (only.has('ingest')) status |= await ingest(values);
  if (only.has('sentiment')) status |= await sentiment(values);
  return status;
}

/** The ministry, its missions and their deliveries; points spread over 30 days ending tomorrow. */
function* generatePoints(orgs, n, end) {
  const deliveries = orgs.flatMap((orgId) => Array.from({ length: 5 }, () => ({ orgId, channelId: randomUUID(), deliveryId: randomUUID() })));
  const span = 30 * DAY;
  for (let i = 0; i < n; i += 1) {
    const d = deliveries[i % deliveries.length];
    const at = new Date(end - span + Math.floor((i / n) * span));
    const k = i + 1;
    yield {
      ...d,
      network: 'mastodon',
      capturedAt: at,
      values: { impressions: k * 3, reach: k * 2, reactions: k % 97, comments: k % 13, shares: k % 7, saves: null, clicks: k % 31, video_views: null, watch_time_seconds: null, followers: null },
    };
  }
}

const METRIC_ORDER = ['impressions', 'reach', 'reactions', 'comments', 'shares', 'saves', 'clicks', 'video_views', 'watch_time_seconds', 'followers'];

async function ingest(values) {
  const n = Number(values.points);
  const batch = Number(values.batch);
  const db = await prepareDatabase();
  const { loadConfig } = await import(join(DIST, 'platform', 'config', 'config.js'));
  const { createLogger } = await import(join(DIST, 'platform', 'logging', 'logger.js'));
  const { openRuntime } = await import(join(DIST, 'platform', 'runtime.js'));
  const { createHttpApp } = await import(join(DIST, 'app.js'));
  const { Transactor } = await import(join(DIST, 'platform', 'database', 'transactor.js'));
  const { OrganisationsRepository } = await import(join(DIST, 'modules', 'organisations', 'organisations.repository.js'));
  const { AnalyticsMetricsService } = await import(join(DIST, 'modules', 'analytics', 'analytics-metrics.service.js'));
  const config = loadConfig({ ...db.env, GUDDU_SECRET_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'warn', GUDDU_DB_POOL_SIZE: '8', GUDDU_SANDBOX: 'off' });
  const runtime = await openRuntime(config, createLogger('warn'), { role: 'api' });
  const app = await createHttpApp(runtime);
  try {
    const tx = app.get(Transactor);
    const orgsRepo = app.get(OrganisationsRepository);
    const metrics = app.get(AnalyticsMetricsService);
    const ministry = await tx.withTenantBypass('bench: seed', () => orgsRepo.insert({ parentId: null, name: 'Bench Ministry', kind: 'ministry' }));
    const missions = [];
    await tx.withTenantBypass('bench: seed', async () => {
      for (let i = 0; i < Number(values.missions); i += 1) missions.push((await orgsRepo.insert({ parentId: ministry.id, name: `Mission ${i}`, kind: 'mission' })).id);
    });
    const end = Math.floor(Date.now() / DAY) * DAY + DAY;
    const points = [...generatePoints([ministry.id, ...missions], n, end - 1)];
    // Ingest would create them anyway; made here so that neither side's timing includes them.
    for (let day = end - 31 * DAY; day <= end; day += 7 * DAY) await metrics.maintainPartitions(new Date(day), 3650);
    const { rows: paths } = await runtime.pool.query('SELECT id, guddu_org_path(id) AS path FROM unnest($1::uuid[]) AS id', [[ministry.id, ...missions]]);
    const pathOf = new Map(paths.map((r) => [r.id, `{${r.path.join(',')}}`]));

    // Raw: the same rows, already formatted, COPYed by a superuser connection; then emptied.
    const lines = points.map((p) =>
      [p.orgId, pathOf.get(p.orgId), p.channelId, p.deliveryId, p.network, p.capturedAt.toISOString(), ...METRIC_ORDER.map((m) => (p.values[m] === null ? '\\N' : String(p.values[m])))].join('\t'),
    );
    const require = createRequire(join(ROOT, 'server', 'package.json'));
    const { from: copyFrom } = require('pg-copy-streams');
    const client = await runtime.pool.connect();
    let rawSeconds;
    try {
      const t0 = performance.now();
      for (let i = 0; i < lines.length; i += batch) {
        await client.query('BEGIN');
        const sink = client.query(copyFrom(`COPY analytics_metric_points (org_id, org_path, channel_id, delivery_id, network, captured_at, ${METRIC_ORDER.join(', ')}) FROM STDIN`));
        await pipeline(Readable.from([lines.slice(i, i + batch).join('\n') + '\n']), sink);
        await client.query('COMMIT');
      }
      rawSeconds = (performance.now() - t0) / 1000;
      await client.query('TRUNCATE analytics_metric_points');
    } finally {
      client.release();
    }

    // Guddu: validation, org paths, partitions, COPY and the rollup marks, batch by batch.
    const t1 = performance.now();
    for (let i = 0; i < points.length; i += batch) await metrics.ingest(points.slice(i, i + batch));
    const gudduSeconds = (performance.now() - t1) / 1000;
    const t2 = performance.now();
    const buckets = await metrics.rollup();
    const rollupSeconds = (performance.now() - t2) / 1000;

    const as = { orgId: ministry.id, userId: randomUUID() };
    const from = new Date(end - 30 * DAY);
    const to = new Date(end);
    const first = await metrics.dailySeries(as, from, to);
    const times = [];
    for (let i = 0; i < Number(values.requests); i += 1) {
      const t = performance.now();
      await metrics.dailySeries(as, from, to);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const pct = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    const { rows: counts } = await runtime.pool.query(`SELECT (SELECT count(*) FROM analytics_metric_points)::int AS points, (SELECT count(*) FROM analytics_metric_rollups WHERE grain = 'day')::int AS days`);

    const rawRate = n / rawSeconds;
    const gudduRate = n / gudduSeconds;
    process.stdout.write(`Metric ingest: ${n} points, ${Number(values.missions)} missions + the ministry, 5 deliveries each, 30 days (${db.label})\n`);
    process.stdout.write(`${table([
      ['path', 'seconds', 'points/s', 'target'],
      ['raw COPY (superuser, preformatted)', rawSeconds.toFixed(2), fmt.rps(rawRate), ''],
      ['Guddu ingest (AnalyticsMetricsService)', gudduSeconds.toFixed(2), fmt.rps(gudduRate), `>= ${TARGET_RATE}`],
      ['ratio Guddu / raw', '', fmt.ratio(gudduRate / rawRate), `>= ${TARGET_RATIO}`],
    ])}\n`);
    process.stdout.write(`Rollup of ${buckets} pending organisation-days: ${rollupSeconds.toFixed(2)} s\n`);
    process.stdout.write(`Dashboard, 30 days of the ministry's subtree (${first.length} days, ${counts[0].days} daily rollup rows in all, ${counts[0].points} raw points): p50 ${fmt.ms(pct(0.5))} ms, p99 ${fmt.ms(pct(0.99))} ms (target < ${TARGET_P99_MS} ms)\n\n`);
    return gudduRate >= TARGET_RATE && gudduRate / rawRate >= TARGET_RATIO && pct(0.99) < TARGET_P99_MS ? 0 : 1;
  } finally {
    await app.close();
    await runtime.close();
  }
}

async function sentiment(values) {
  const { analyseOne } = await import(join(SENTIMENT, 'lexicon.provider.js'));
  const { loadEvaluationSet, score } = await import(join(SENTIMENT, 'evaluation.js'));
  const rows = loadEvaluationSet(SET).filter((r) => r.split === values.split);
  const raw = await rawLibraries();
  const out = [['language', 'method', 'n', 'accuracy', 'macro-F1', 'target']];
  let failed = false;
  for (const lang of ['en', 'hi']) {
    const subset = rows.filter((r) => r.lang === lang);
    const expected = subset.map((r) => r.label);
    const guddu = score(expected, subset.map((r) => analyseOne(r.text).label));
    const baseline = score(expected, await Promise.all(subset.map((r) => raw[lang](r.text))));
    const name = lang === 'en' ? 'English' : 'Hindi + Hinglish';
    out.push([name, 'Guddu', fmt.int(guddu.n), fmt.ratio(guddu.accuracy), fmt.ratio(guddu.macroF1), `>= ${TARGET_F1[lang]}`]);
    out.push([name, lang === 'en' ? 'raw VADER' : 'raw nlp.js afinn_hi', fmt.int(baseline.n), fmt.ratio(baseline.accuracy), fmt.ratio(baseline.macroF1), '']);
    if (guddu.macroF1 < TARGET_F1[lang]) failed = true;
  }
  process.stdout.write(`Sentiment on the ${values.split} half of ${SET.replace(ROOT, '')}\n${table(out)}\n\n`);

  const texts = loadEvaluationSet(SET).map((r) => r.text);
  const seconds = Number(values.seconds);
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    for (const t of texts) analyseOne(t);
    done += texts.length;
  }
  const rate = done / ((performance.now() - start) / 1000);
  process.stdout.write(`Throughput (one core, offline provider): ${fmt.rps(rate)} comments/s\n`);
  return failed ? 1 : 0;
}
