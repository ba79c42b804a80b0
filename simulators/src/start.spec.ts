import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NETWORKS, SERVICES } from './harness/network.js';
import { startSimulators, type RunningSimulators } from './start.js';

describe('startSimulators', () => {
  let running: RunningSimulators;

  beforeAll(async () => {
    running = await startSimulators({ seed: 1 });
  });
  afterAll(() => running.close());

  it('starts all seven networks and the SMS service on distinct loopback ports, each with a seeded sandbox account', async () => {
    expect(Object.keys(running.urls).sort()).toEqual([...NETWORKS, ...SERVICES].sort());
    expect(new Set(Object.values(running.urls)).size).toBe(8);
    for (const url of Object.values(running.urls)) {
      const info = (await (await fetch(`${url}/__sim`)).json()) as { sandbox: boolean; baseUrl: string };
      expect(info).toMatchObject({ sandbox: true, baseUrl: url });
    }
  });

  it('shares one clock: advancing it through one network moves them all', async () => {
    const before = running.harness.clock.now();
    await fetch(`${running.urls.x ?? ''}/__sim/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 3_600_000 }) });
    const mastodonClock = (await (await fetch(`${running.urls.mastodon ?? ''}/__sim/clock`)).json()) as { now: number };
    expect(mastodonClock.now - before).toBeGreaterThanOrEqual(3_600_000);
  });

  it('lets chaos faults target one network by probability, replayably', async () => {
    const mastodon = running.urls.mastodon ?? '';
    await fetch(`${mastodon}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: '^/api/v2/instance$', probability: 0.5, action: { kind: 'status', status: 503 } }) });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i += 1) statuses.push((await fetch(`${mastodon}/api/v2/instance`)).status);
    expect(statuses).toContain(503);
    expect(statuses).toContain(200);
    expect((await fetch(`${running.urls.x ?? ''}/2/users/me`)).status).toBe(401);
  });
});

describe('the CLI', () => {
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

  it.skipIf(!existsSync(cli))('prints the base URL of every network and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [cli, '--json', '--networks', 'x,bluesky'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString()));
      child.once('exit', (code) => reject(new Error(`cli exited with ${String(code)}`)));
    });
    const urls = JSON.parse(line) as Record<string, string>;
    expect(Object.keys(urls).sort()).toEqual(['bluesky', 'x']);
    expect((await fetch(`${urls.bluesky ?? ''}/__sim`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
