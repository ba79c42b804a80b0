// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by package and by function.
import { readFileSync } from 'node:fs';

function bucketOf(url, functionName) {
  if (!url) {
    if (functionName === '(idle)' || functionName === '(program)' || functionName === '(garbage collector)') return functionName;
    return '(native)';
  }
  if (url.startsWith('node:')) return 'node core';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm !== -1) {
    const rest = path.slice(nm + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (path.includes('/server/dist/')) return 'guddu (server/dist)';
  return path;
}

const short = (url) => url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '').replace(/^.*\/server\/dist\//, 'dist/');

/**
 * `window`: [fromUs, toUs] on the monotonic clock (process.hrtime.bigint() / 1000n, which is the
 * clock V8 stamps samples with on Linux): only samples inside it count, e.g. the measured run
 * without start-up and warm-up.
 */
export function summariseProfile(file, { top = 25, window } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let t = profile.startTime;
  let kept = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (window && (t < window[0] || t > window[1])) continue;
    kept++;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
  }
  if (window && kept === 0) return `CPU profile ${file}: no samples inside the measured window (clocks differ?)`;
  let total = 0;
  const buckets = new Map();
  const functions = new Map();
  for (const [id, us] of self) {
    const { callFrame } = byId.get(id);
    total += us;
    const bucket = bucketOf(callFrame.url, callFrame.functionName);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + us);
    const key = `${callFrame.functionName || '(anonymous)'}  ${callFrame.url ? `${short(callFrame.url)}:${callFrame.lineNumber + 1}` : ''}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
  }
  const idle = buckets.get('(idle)') ?? 0;
  const busy = total - idle;
  const pct = (us, of) => `${((100 * us) / of).toFixed(1).padStart(5)}%`;
  const lines = [];
  lines.push(`CPU profile ${file}${window ? ' (measured run only)' : ''}`);
  lines.push(`  sampled ${(total / 1e6).toFixed(1)} s, of which idle ${(idle / 1e6).toFixed(1)} s; shares below are of busy time (${(busy / 1e6).toFixed(1)} s)`);
  lines.push('  self time by package:');
  for (const [name, us] of [...buckets].filter(([n]) => n !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    lines.push(`    ${pct(us, busy)}  ${name}`);
  }
  lines.push(`  top ${top} functions by self time:`);
  for (const [name, us] of [...functions].filter(([n]) => !n.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`    ${pct(us, busy)}  ${name}`);
  }
  // Where the heaviest native/core functions are called from: a few frames up, JS only.
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const frameName = (cf) => `${cf.functionName || '(anonymous)'}${cf.url ? ` ${short(cf.url)}:${cf.lineNumber + 1}` : ''}`;
  const heavy = [...functions].filter(([n]) => !n.startsWith('(')).sort((a, b) => b[1] - a[1]).slice(0, 4).map(([n]) => n);
  for (const fn of heavy) {
    const callers = new Map();
    for (const [id, us] of self) {
      const cf = byId.get(id).callFrame;
      const key = `${cf.functionName || '(anonymous)'}  ${cf.url ? `${short(cf.url)}:${cf.lineNumber + 1}` : ''}`;
      if (key !== fn) continue;
      const chain = [];
      for (let p = parent.get(id); p !== undefined && chain.length < 5; p = parent.get(p)) {
        const pcf = byId.get(p).callFrame;
        if (pcf.url && !pcf.url.startsWith('node:')) chain.push(frameName(pcf));
        else if (pcf.url && chain.length === 0) chain.push(frameName(pcf));
      }
      const k = chain.slice(0, 3).join(' < ');
      callers.set(k, (callers.get(k) ?? 0) + us);
    }
    lines.push(`  callers of ${fn.trim()}:`);
    for (const [k, us] of [...callers].sort((a, b) => b[1] - a[1]).slice(0, 4)) lines.push(`    ${pct(us, busy)}  ${k || '(no JS caller)'}`);
  }
  return lines.join('\n');
}

// `node bench/lib/cpu-profile.mjs FILE.cpuprofile` prints the summary of an existing profile.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(summariseProfile(process.argv[2], { top: Number(process.argv[3] ?? 25) }));
}
