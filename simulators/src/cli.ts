#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { NETWORKS, SERVICES, type NetworkName, type ServiceName } from './harness/network.js';
import { startSimulators } from './start.js';

// `node simulators/dist/cli.js [--host 127.0.0.1] [--port-base 4100] [--networks x,mastodon] [--json]`
// prints each network's (and the SMS service's) base URL and serves until interrupted.
const usage = 'usage: guddu-simulators [--host 127.0.0.1] [--port-base N] [--networks facebook,instagram,x,linkedin,youtube,mastodon,bluesky,sms] [--seed N] [--json]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      'port-base': { type: 'string' },
      networks: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  // `--networks` names exactly what starts, networks and services (sms) alike; without it, all.
  const names = values.networks === undefined ? [...NETWORKS, ...SERVICES] : values.networks.split(',').map((n) => n.trim());
  const unknown = names.filter((n) => !(NETWORKS as readonly string[]).includes(n) && !(SERVICES as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`unknown network(s): ${unknown.join(', ')}`);
  const networks = names.filter((n): n is NetworkName => (NETWORKS as readonly string[]).includes(n));
  const services = names.filter((n): n is ServiceName => (SERVICES as readonly string[]).includes(n));
  const base = values['port-base'] === undefined ? undefined : Number(values['port-base']);
  if (base !== undefined && !(Number.isInteger(base) && base > 0 && base < 65_530)) throw new Error('--port-base must be a port number');
  const ports = base === undefined ? undefined : Object.fromEntries([...NETWORKS, ...SERVICES].map((name, i) => [name, base + i]));
  const running = await startSimulators({ networks, services, host: values.host, ports, seed: values.seed === undefined ? undefined : Number(values.seed) });
  if (values.json) process.stdout.write(`${JSON.stringify(running.urls)}\n`);
  else for (const [name, url] of Object.entries(running.urls)) process.stdout.write(`${name.padEnd(10)} ${url}\n`);
  const stop = () => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
  process.exit(2);
});
