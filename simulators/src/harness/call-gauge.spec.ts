import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mastodon } from '../networks/mastodon.js';
import { startNetwork, type StartedNetwork } from '../testing/start-network.js';
import { CallGauge } from './call-gauge.js';

describe('calls in flight', () => {
  it('counts per network and in all, with peaks that reset to what is in flight', () => {
    const g = new CallGauge();
    g.enter('x');
    g.enter('x');
    g.enter('mastodon');
    g.leave('x');
    expect(g.snapshot()).toEqual({ all: { inFlight: 2, peak: 3 }, networks: { x: { inFlight: 1, peak: 2 }, mastodon: { inFlight: 1, peak: 1 } } });
    g.resetPeaks();
    expect(g.snapshot().all).toEqual({ inFlight: 2, peak: 2 });
  });

  describe('over HTTP', () => {
    let net: StartedNetwork;
    beforeAll(async () => {
      net = await startNetwork(mastodon);
    });
    afterAll(() => net.close());

    it('sees concurrent network calls (delayed by a fault), not admin calls', async () => {
      await net.admin('/calls', undefined, 'DELETE');
      await net.admin('/faults', { path: '^/api/v1/instance$', times: 3, action: { kind: 'delay', ms: 300 } });
      await Promise.all([1, 2, 3].map(() => fetch(`${net.base}/api/v1/instance`)));
      const calls = await net.admin<{ network: { inFlight: number; peak: number } }>('/calls');
      expect(calls.network).toEqual({ inFlight: 0, peak: 3 });
    });
  });
});
