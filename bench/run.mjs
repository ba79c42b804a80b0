#!/usr/bin/env node
// Benchmarks: `node bench/run.mjs <name> [options]` (or `npm run bench -- <name> [options]`,
// which builds the server first). Each benchmark is bench/<name>.mjs exporting `description`,
// `options` (node:util parseArgs options, each with a `help` line) and `run(values)`.
import { parseArgs } from 'node:util';
import { cleanup, installSignalHandlers } from './lib/cleanup.mjs';

const BENCHMARKS = {
  http: () => import('./http.mjs'),
  jobs: () => import('./jobs.mjs'),
  media: () => import('./media.mjs'),
  messages: () => import('./messages.mjs'),
  analytics: () => import('./analytics.mjs'),
  realtime: () => import('./realtime.mjs'),
  web: () => import('./web.mjs'),
};

async function usage(stream = process.stdout) {
  const lines = ['Usage: node bench/run.mjs <benchmark> [options]   (npm run bench -- <benchmark> [options])', '', 'Benchmarks:'];
  for (const [name, load] of Object.entries(BENCHMARKS)) {
    const mod = await load();
    lines.push(`  ${name.padEnd(10)} ${mod.description}`);
    for (const [opt, spec] of Object.entries(mod.options ?? {})) {
      const flag = spec.type === 'boolean' ? `--${opt}` : `--${opt} ${spec.arg ?? 'N'}`;
      lines.push(`      ${flag.padEnd(24)} ${spec.help ?? ''}`);
    }
  }
  stream.write(`${lines.join('\n')}\n`);
}

async function main(argv) {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    await usage(name ? process.stdout : process.stderr);
    return name ? 0 : 2;
  }
  const load = BENCHMARKS[name];
  if (!load) {
    process.stderr.write(`Unknown benchmark "${name}"\n\n`);
    await usage(process.stderr);
    return 2;
  }
  const mod = await load();
  const options = Object.fromEntries(Object.entries(mod.options ?? {}).map(([k, { help: _help, arg: _arg, ...spec }]) => [k, spec]));
  let values;
  try {
    ({ values } = parseArgs({ args: rest, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: false }));
  } catch (err) {
    process.stderr.write(`${err.message}\n\n`);
    await usage(process.stderr);
    return 2;
  }
  if (values.help) {
    await usage();
    return 0;
  }
  installSignalHandlers();
  try {
    return await mod.run(values);
  } finally {
    await cleanup();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  async (err) => {
    process.stderr.write(`\nbench: ${err?.stack ?? err}\n`);
    await cleanup();
    process.exitCode = 1;
  },
);
