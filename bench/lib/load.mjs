// autocannon, driven programmatically: a warm-up run (discarded), then the measured run.
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

function fire(opts) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
    // A Ctrl-C during a run: stop it so the clean-up is not held up by open sockets.
    const stop = () => instance.stop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    instance.once('done', () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    });
  });
}

/**
 * @param {object} o
 * @param {string} o.title
 * @param {string} o.url
 * @param {number} o.connections
 * @param {number} o.duration seconds measured
 * @param {number} o.warmup seconds discarded first
 * @param {string} [o.method]
 * @param {Record<string,string>} [o.headers]
 * @param {string} [o.body]
 * @param {() => Record<string, number>} [o.probe] CPU-seconds counters, read around the measured run
 * @param {{ start?: () => Promise<void>, end?: () => Promise<void> }} [o.around] called just before/after the measured run
 */
export async function measure({ title, url, connections, duration, warmup, method = 'GET', headers = {}, body, probe, around }) {
  const base = { url, connections, method, headers, body, pipelining: 1, timeout: 10 };
  if (warmup > 0) await fire({ ...base, title: `${title} (warm-up)`, duration: warmup });
  await around?.start?.();
  const before = probe?.();
  const started = performance.now();
  const fromUs = Number(process.hrtime.bigint() / 1000n);
  const r = await fire({ ...base, title, duration });
  const toUs = Number(process.hrtime.bigint() / 1000n);
  const elapsed = (performance.now() - started) / 1000;
  const after = probe?.();
  await around?.end?.();
  // Cores busy on average during the measured run, per counter.
  const cpu = before && after ? Object.fromEntries(Object.keys(after).map((k) => [k, (after[k] - before[k]) / elapsed])) : undefined;
  return {
    cpu,
    window: [fromUs, toUs],
    title,
    connections,
    duration,
    rps: r.requests.average,
    total: r.requests.total,
    ok: r['2xx'],
    non2xx: r.non2xx,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])),
    errors: r.errors,
    timeouts: r.timeouts,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    mean: r.latency.average,
  };
}
