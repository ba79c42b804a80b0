// Builds the console's static export only when its inputs changed since the last build, so
// `npm start` stays quick after the first run. The inputs are hashed by content, not by time:
// a fresh clone, a checkout or a copied tree all rebuild exactly when they must.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(web, 'out', '.build-stamp');
const inputs = ['src', 'next.config.mjs', 'postcss.config.mjs', 'package.json', 'tsconfig.json', '../package-lock.json'];

function files(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => files(join(path, name)));
}

const hash = createHash('sha256');
for (const file of inputs.flatMap((i) => files(join(web, i))).sort()) {
  hash.update(relative(web, file)).update('\0').update(readFileSync(file)).update('\0');
}
const digest = hash.digest('hex');

if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest && !process.argv.includes('--force')) {
  console.log('console: up to date (web/out)');
  process.exit(0);
}
console.log('console: building web/out (about a minute the first time)…');
const next = createRequire(import.meta.url).resolve('next/dist/bin/next');
const result = spawnSync(process.execPath, [next, 'build'], {
  cwd: web,
  stdio: 'inherit',
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
});
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stamp, digest);
