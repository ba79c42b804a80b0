// `npm run bench -- web`: the console in Chromium (Debian's, driven by playwright-core) on
// localhost against the built server and console (web/out): first contentful paint of Home, a
// calendar month of 5,000 messages (fetch, render, and expanding a busy day), the gzipped
// JavaScript the first route loads, and event → visible in an open page. Baselines measured in
// the same run: a static page from the same server (FCP floor), and the API call that causes the
// event (it cannot show before its transaction commits). See bench/README.md.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { freePort, startNode, waitForHttp } from './lib/children.mjs';
import { fmt, table } from './lib/format.mjs';
import { CLI, EMAIL, gudduEnv, PASSWORD, prepareDatabase, ROOT } from './lib/guddu.mjs';

const TARGETS = { fcpMs: 1_000, renderMs: 1_000, interactionMs: 100, jsKb: 250, eventP95Ms: 100 };

export const description = 'console in Chromium: FCP of Home, a month of 5,000 items, first-route JS gzipped, event → visible';

export const options = {
  items: { type: 'string', default: '5000', help: 'messages scheduled in the month shown (default 5000)' },
  events: { type: 'string', default: '30', help: 'events timed from API call to text on screen (default 30)' },
  runs: { type: 'string', default: '5', help: 'page loads per paint figure (default 5)' },
};

const positiveInt = (name, v) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer (got "${v}")`);
  return n;
};
const pct = (values, p) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const verdict = (ok) => (ok ? 'met' : 'NOT met');

export async function run(values) {
  const items = positiveInt('items', values.items);
  const events = positiveInt('events', values.events);
  const runs = positiveInt('runs', values.runs);
  if (!existsSync(CLI)) throw new Error(`${CLI} not found: build first (npm run build), or use npm run bench`);
  if (!existsSync(join(ROOT, 'web', 'out', 'index.html'))) throw new Error('web/out not found: build the console first (npm run build -w web)');
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  console.log(`Guddu web benchmark — ${cpus().length} × ${cpus()[0]?.model?.trim() ?? 'cpu'}, Node ${process.version}, ${executablePath}`);
  console.log(`  load average before start: ${loadavg()[0].toFixed(2)}`);
  const db = await prepareDatabase();
  const port = await freePort();
  const handle = startNode('guddu', [CLI, 'start'], { env: gudduEnv(db, port, 16, { GUDDU_SANDBOX: 'off' }), cwd: ROOT });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/readyz`, handle);
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const context = await browser.newContext({ baseURL: base, locale: 'en-GB', timezoneId: 'Asia/Kolkata' });
    const signIn = await context.request.post('/api/v1/auth/session', { data: { email: EMAIL, password: PASSWORD } });
    if (!signIn.ok()) throw new Error(`console sign-in: HTTP ${signIn.status()}`);

    // 1. First contentful paint of Home, and the JavaScript it loads (gzipped as served over the wire would be).
    const fcp = [];
    const floor = [];
    let jsBytes = 0;
    let jsGzip = 0;
    for (let i = 0; i < runs; i++) {
      const page = await context.newPage();
      const scripts = [];
      if (i === 0) page.on('response', (r) => r.request().resourceType() === 'script' && scripts.push(r));
      await page.goto('/');
      await page.getByRole('heading', { level: 1 }).first().waitFor({ timeout: 60_000 });
      fcp.push(await paintOf(page));
      if (i === 0) {
        for (const r of scripts) {
          const body = await r.body().catch(() => Buffer.alloc(0));
          jsBytes += body.length;
          jsGzip += gzipSync(body, { level: 9 }).length;
        }
      }
      await page.close();
      // Baseline: a static page of the same server with no script (the API's JSON 404 page is not
      // painted text; the console's own favicon-free 404 is): the floor of any paint here.
      const bare = await context.newPage();
      await bare.goto('/404.html').catch(() => undefined);
      floor.push(await paintOf(bare));
      await bare.close();
    }

    // 2. A month of N messages: seeded by cloning one scheduled draft in SQL (the API would take
    // minutes for 5,000), spread over the month after this one so every day is busy.
    const monthStart = nextMonthStart();
    const seedPage = await context.newPage();
    await seedPage.goto('/');
    const seeded = await seed(seedPage, db, monthStart, items);
    await seedPage.close();
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('heading', { level: 1 }).first().waitFor({ timeout: 60_000 });
    const render = [];
    const fetchSpan = [];
    for (let i = 0; i < Math.min(runs, 3); i++) {
      await page.goto('/calendar/');
      await page.getByRole('heading', { level: 1, name: 'Calendar' }).waitFor({ timeout: 60_000 });
      const t0 = await page.evaluate(() => performance.now());
      await page.getByRole('button', { name: 'Next month' }).click();
      const shownAt = await page.waitForFunction((n) => document.querySelectorAll('td[data-date] li').length >= n && performance.now(), Math.min(seeded.days * 3, 90), { timeout: 120_000, polling: 'raf' });
      const t1 = await shownAt.jsonValue();
      const api = await page.evaluate((from) => performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/v1/calendar') && e.name.includes(from)).map((e) => [e.startTime, e.responseEnd]), monthStart.slice(0, 10));
      const lastByte = Math.max(...api.map(([, end]) => end));
      fetchSpan.push(lastByte - t0);
      render.push(t1 - lastByte);
    }
    // Interaction: expand and collapse a busy day (about N/30 entries) and time to the next frame.
    const interaction = [];
    for (let i = 0; i < 10; i++) {
      interaction.push(
        await page.evaluate(async () => {
          const button = [...document.querySelectorAll('td[data-date] button[aria-expanded]')][3];
          const t0 = performance.now();
          button.click();
          await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
          return performance.now() - t0;
        }),
      );
    }

    // 3. Event → visible: the Messages screen open; a message created (from the page, as a user
    // would) appears through the live feed's invalidation and refetch.
    await page.goto('/messages/');
    await page.getByRole('heading', { level: 1, name: 'Messages' }).waitFor({ timeout: 60_000 });
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
    const call = [];
    const visible = [];
    for (let i = 0; i < events + 3; i++) {
      const [c, v] = await page.evaluate(async (title) => {
        const csrf = document.cookie.split('; ').find((x) => x.startsWith('guddu_csrf='))?.split('=')[1] ?? '';
        const seen = new Promise((resolve) => {
          const check = () => document.body.innerText.includes(title);
          const obs = new MutationObserver(() => check() && (obs.disconnect(), resolve(performance.now())));
          obs.observe(document.body, { childList: true, subtree: true, characterData: true });
        });
        const t0 = performance.now();
        const res = await fetch('/api/v1/messages', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ title, content: { bodies: { en: 'Live' }, channels: ['x'] } }) });
        const t1 = performance.now();
        if (res.status !== 201) throw new Error(`create: HTTP ${res.status}`);
        const t2 = await Promise.race([seen, new Promise((r) => setTimeout(() => r(Number.NaN), 15_000))]);
        return [t1 - t0, t2 - t0];
      }, `Live bench ${i} ${Date.now()}`);
      if (Number.isNaN(v)) throw new Error(`event ${i} never became visible`);
      if (i >= 3) (call.push(c), visible.push(v));
    }

    const stats = (label, v) => [label, fmt.int(v.length), fmt.ms(pct(v, 50)), fmt.ms(pct(v, 95)), fmt.ms(Math.max(...v))];
    console.log(`\n  seeded ${seeded.count} messages over ${seeded.days} days of ${monthStart.slice(0, 7)} (Asia/Kolkata)\n`);
    console.log(
      table([
        ['figure (ms)', 'n', 'p50', 'p95', 'max'],
        stats('baseline: FCP of a static page, same server', floor),
        stats('FCP of Home (signed in)', fcp),
        stats(`calendar: ${items} items, API pages fetched`, fetchSpan),
        stats(`calendar: ${items} items, rendered after the last byte`, render),
        stats('calendar: expand/collapse a busy day', interaction),
        stats('baseline: POST /api/v1/messages from the page', call),
        stats('event → visible in the open Messages screen', visible),
      ]),
    );
    console.log(`\n  first route JavaScript: ${(jsBytes / 1024).toFixed(0)} KB, ${(jsGzip / 1024).toFixed(0)} KB gzipped`);
    const fcpP50 = pct(fcp, 50);
    console.log(`  FCP of Home p50 ${fmt.ms(fcpP50)} ms (target < ${TARGETS.fcpMs}): ${verdict(fcpP50 < TARGETS.fcpMs)}`);
    console.log(`  month of ${items}: render p50 ${fmt.ms(pct(render, 50))} ms (target < ${TARGETS.renderMs}): ${verdict(pct(render, 50) < TARGETS.renderMs)}; interaction p95 ${fmt.ms(pct(interaction, 95))} ms (target < ${TARGETS.interactionMs}): ${verdict(pct(interaction, 95) < TARGETS.interactionMs)}`);
    console.log(`  first route JS ${(jsGzip / 1024).toFixed(0)} KB gzipped (target < ${TARGETS.jsKb}): ${verdict(jsGzip / 1024 < TARGETS.jsKb)}`);
    console.log(`  event → visible p95 ${fmt.ms(pct(visible, 95))} ms (target < ${TARGETS.eventP95Ms}): ${verdict(pct(visible, 95) < TARGETS.eventP95Ms)}`);
  } finally {
    await browser.close();
    await handle.stop();
  }
  return 0;
}

async function paintOf(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const found = performance.getEntriesByName('first-contentful-paint')[0];
        if (found) return resolve(found.startTime);
        new PerformanceObserver((list) => resolve(list.getEntries()[0].startTime)).observe({ type: 'paint', buffered: true });
        setTimeout(() => resolve(Number.NaN), 10_000);
      }),
  );
}

function nextMonthStart() {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
}

/** One draft scheduled through the API, then cloned in SQL across the month: same row, new ids and times. */
async function seed(page, db, monthStart, count) {
  const created = await page.evaluate(async (at) => {
    const csrf = document.cookie.split('; ').find((x) => x.startsWith('guddu_csrf='))?.split('=')[1] ?? '';
    const headers = { 'content-type': 'application/json', 'x-csrf-token': csrf };
    const m = await (await fetch('/api/v1/messages', { method: 'POST', headers, body: JSON.stringify({ title: 'Seed', content: { bodies: { en: 'Seeded for the calendar benchmark' }, channels: ['x'] } }) })).json();
    const s = await fetch(`/api/v1/messages/${m.id}/schedule`, { method: 'PUT', headers: { ...headers, 'if-match': `"${m.revision}"` }, body: JSON.stringify({ local: at, zone: 'Asia/Kolkata' }) });
    if (!s.ok) throw new Error(`schedule: HTTP ${s.status} ${await s.text()}`);
    return m.id;
  }, `${monthStart.slice(0, 10)}T09:00`);
  const days = new Date(Date.UTC(Number(monthStart.slice(0, 4)), Number(monthStart.slice(5, 7)), 0)).getUTCDate();
  const client = new pg.Client({ connectionString: db.superuserUrl() });
  await client.connect();
  try {
    // Every column of the original, with a new id, title and time (spread evenly; times of day vary).
    await client.query(
      `INSERT INTO messages
       SELECT (jsonb_populate_record(NULL::messages, to_jsonb(m) || jsonb_build_object(
         'id', gen_random_uuid(),
         'title', 'Bench ' || g,
         'scheduled_at', m.scheduled_at + ((g % $2) * interval '1 day') + ((g * 7) % 600) * interval '1 minute',
         'schedule_local', m.schedule_local + ((g % $2) * interval '1 day') + ((g * 7) % 600) * interval '1 minute'))).*
       FROM messages m, generate_series(1, $3::int - 1) g WHERE m.id = $1`,
      [created, days, count],
    );
  } finally {
    await client.end();
  }
  return { count, days };
}
