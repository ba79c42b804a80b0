// `npm run bench -- listening`: comments ingested per second through Guddu's store path
// (language detection, sentiment per language, the unique-per-network-id insert under the
// tenant bypass, as a poll stores a read) against a raw INSERT … unnest of the same rows,
// already scored and formatted, in the same run. Then the same batches again: a re-read,
// which must store nothing. See bench/README.md.
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fmt, table } from './lib/format.mjs';
import { prepareDatabase, ROOT } from './lib/guddu.mjs';

const DIST = join(ROOT, 'server', 'dist');

export const description = 'comments ingested per second (language, sentiment, dedupe) against a raw INSERT of the same rows';

export const options = {
  comments: { type: 'string', default: '20000', help: 'comments ingested each way (default 20,000)' },
  batch: { type: 'string', default: '200', help: 'comments per read, as one poll stores them (default 200)' },
};

const LINES = [
  'Thank you for the update, very helpful',
  'यह फैसला बिल्कुल गलत है, कोई जवाब नहीं मिला',
  'When will the camp open in my district?',
  'bahut accha kaam kiya, dhanyavaad',
  'இது மிகவும் நல்ல அறிவிப்பு',
  'No reply from the embassy for two weeks, this is disappointing',
  'पानी की सप्लाई कब शुरू होगी?',
];

function comments(n, start) {
  return Array.from({ length: n }, (_, i) => ({
    externalId: `bench-${start + i}`,
    parentExternalId: null,
    rootExternalId: null,
    text: `${LINES[(start + i) % LINES.length]} #${start + i}`,
    authorHandle: `citizen${(start + i) % 97}`,
    publishedAt: new Date(Date.now() - (n - i) * 1000),
  }));
}

export async function run(values) {
  const n = Number(values.comments);
  const batch = Number(values.batch);
  const db = await prepareDatabase();
  const { loadConfig } = await import(join(DIST, 'platform', 'config', 'config.js'));
  const { createLogger } = await import(join(DIST, 'platform', 'logging', 'logger.js'));
  const { openRuntime } = await import(join(DIST, 'platform', 'runtime.js'));
  const { createHttpApp } = await import(join(DIST, 'app.js'));
  const { Transactor } = await import(join(DIST, 'platform', 'database', 'transactor.js'));
  const { OrganisationsRepository } = await import(join(DIST, 'modules', 'organisations', 'organisations.repository.js'));
  const { ListeningIngest } = await import(join(DIST, 'modules', 'analytics', 'listening-ingest.service.js'));
  const { SentimentService } = await import(join(DIST, 'modules', 'analytics', 'sentiment', 'sentiment.service.js'));
  const config = loadConfig({ ...db.env, GUDDU_SECRET_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'warn', GUDDU_DB_POOL_SIZE: '8', GUDDU_SANDBOX: 'off' });
  const runtime = await openRuntime(config, createLogger('warn'), { role: 'api' });
  const app = await createHttpApp(runtime);
  try {
    const tx = app.get(Transactor);
    const ministry = await tx.withTenantBypass('bench: seed', () => app.get(OrganisationsRepository).insert({ parentId: null, name: 'Bench Ministry', kind: 'ministry' }));
    const job = (channelId) => ({ scope: `delivery:${randomUUID()}`, channelId, network: 'mastodon', postId: 'bench-post', publishedAt: new Date().toISOString(), deliveryId: randomUUID(), messageId: null, orgId: ministry.id, correlationId: randomUUID(), idempotencyKey: randomUUID() });
    const batches = [];
    for (let i = 0; i < n; i += batch) batches.push(comments(Math.min(batch, n - i), i));

    // Raw: the same rows, scored beforehand (outside the timing), inserted by a superuser connection.
    const sentiment = app.get(SentimentService);
    const scored = [];
    for (const b of batches) scored.push(await sentiment.analyse(b.map((c) => c.text)));
    const rawChannel = randomUUID();
    const { rows: path } = await runtime.pool.query('SELECT guddu_org_path($1) AS p', [ministry.id]);
    const t0 = performance.now();
    for (let i = 0; i < batches.length; i += 1) {
      const b = batches[i];
      const s = scored[i];
      await runtime.pool.query(
        `INSERT INTO listening_comments (org_id, org_path, channel_id, network, external_id, kind, body, author_handle, published_at, lang, sentiment, sentiment_score, sentiment_method)
         SELECT $1, $2, $3, 'mastodon', e, 'comment', b, a, p, l, s, sc, m FROM unnest($4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[], $9::text[], $10::real[], $11::text[]) AS u(e, b, a, p, l, s, sc, m)
         ON CONFLICT (network, channel_id, external_id) DO NOTHING`,
        [ministry.id, path[0].p, rawChannel, b.map((c) => c.externalId), b.map((c) => c.text), b.map((c) => c.authorHandle), b.map((c) => c.publishedAt.toISOString()), s.map((x) => (x.language === 'unsupported' ? 'und' : x.language)), s.map((x) => x.label), s.map((x) => x.score), s.map((x) => x.method)],
      );
    }
    const rawSeconds = (performance.now() - t0) / 1000;

    // Guddu: detection, scoring and the insert, as a poll stores each read.
    const ingest = app.get(ListeningIngest);
    const channel = randomUUID();
    let stored = 0;
    const t1 = performance.now();
    for (const b of batches) stored += await ingest.store(job(channel), b);
    const gudduSeconds = (performance.now() - t1) / 1000;
    // A re-read of everything: nothing new may be stored.
    let again = 0;
    const t2 = performance.now();
    for (const b of batches) again += await ingest.store(job(channel), b);
    const rereadSeconds = (performance.now() - t2) / 1000;

    const rawRate = n / rawSeconds;
    const gudduRate = n / gudduSeconds;
    process.stdout.write(`Comment ingest: ${n} comments in reads of ${batch} (${db.label}); ${LINES.length} texts in English, Hindi, Hinglish and Tamil\n`);
    process.stdout.write(`${table([
      ['path', 'seconds', 'comments/s', 'stored'],
      ['raw INSERT (superuser, scored beforehand)', rawSeconds.toFixed(2), fmt.rps(rawRate), ''],
      ['Guddu (language + sentiment + insert)', gudduSeconds.toFixed(2), fmt.rps(gudduRate), fmt.int(stored)],
      ['Guddu re-read of the same comments', rereadSeconds.toFixed(2), fmt.rps(n / rereadSeconds), fmt.int(again)],
      ['ratio Guddu / raw', '', fmt.ratio(gudduRate / rawRate), ''],
    ])}\n\n`);
    return stored === n && again === 0 ? 0 : 1;
  } finally {
    await app.close();
    await runtime.close();
  }
}
