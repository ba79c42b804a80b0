// Builds the server only when its sources changed, so that `npm start` on an unchanged tree
// starts at once instead of compiling for many seconds. Even `tsc -b` loads the compiler to
// find a tree up to date (about a second), and it trusts its build info, so an output deleted
// from dist/ would never come back; this check costs a directory walk and catches both.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const buildInfo = join(root, 'dist', '.tsbuildinfo'); // tsBuildInfoFile in tsconfig.build.json

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const mtime = (path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs;

/** Why the build is needed, or undefined when dist/ holds the output of these very sources. */
function staleness() {
  const built = mtime(buildInfo);
  if (built === undefined) return { why: 'no earlier build' };
  const inputs = [...sources(join(root, 'src')), join(root, 'tsconfig.json'), join(root, 'tsconfig.build.json')];
  const missing = inputs.find((src) => src.endsWith('.ts') && mtime(join(root, 'dist', relative(join(root, 'src'), src)).replace(/\.ts$/, '.js')) === undefined);
  if (missing) return { why: `no output for ${relative(root, missing)}`, force: true };
  const changed = inputs.find((src) => mtime(src) > built);
  return changed ? { why: `${relative(root, changed)} changed` } : undefined;
}

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

// The server imports the simulators workspace (the sandbox networks, decision 0017): its
// dist/ must exist, and be current, before the server compiles against it or starts.
const simulators = join(root, '..', 'simulators');
function simulatorsStale() {
  if (mtime(join(simulators, 'tsconfig.build.json')) === undefined) return undefined; // a tree without them (build.spec.ts)
  const built = mtime(join(simulators, 'dist', 'index.js'));
  if (built === undefined) return 'no earlier build';
  const changed = sources(join(simulators, 'src')).find((src) => mtime(src) > built);
  return changed ? `${relative(simulators, changed)} changed` : undefined;
}
const simulatorsWhy = simulatorsStale();
if (simulatorsWhy) {
  process.stderr.write(`building the network simulators (${simulatorsWhy})\n`);
  const sims = spawnSync(process.execPath, [tsc, '-p', join(simulators, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (sims.status !== 0) process.exit(sims.status ?? 1);
}

const stale = process.argv.includes('--force') ? { why: 'asked to', force: true } : staleness();
if (!stale) process.exit(0);
process.stderr.write(`building the server (${stale.why})\n`);
const args = [tsc, '-b', join(root, 'tsconfig.build.json'), ...(stale.force ? ['--force'] : [])];
const run = spawnSync(process.execPath, args, { stdio: 'inherit' });
// tsc leaves its build info untouched when it finds nothing to emit (a touched, unchanged
// file): mark the build done, or every later start would ask tsc again.
if (run.status === 0) utimesSync(buildInfo, new Date(), new Date());
process.exit(run.status ?? 1);
