import { describe, expect, it } from 'vitest';
import { detectSpikes, topTerms, type HourBucket } from './spikes.js';

// Generated series with a fixed seed: the detector must fire once on a real spike and never
// on noise around a steady level.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}
/** A Poisson draw (Knuth), enough for the small rates here. */
function poisson(rate: number, r: () => number): number {
  const l = Math.exp(-rate);
  let k = 0;
  let p = 1;
  do {
    k += 1;
    p *= r();
  } while (p > l);
  return k - 1;
}
const hour = (total: number, negative = Math.round(total * 0.1)): HourBucket => ({ total, negative, scored: total });

/** Slides a 13-hour window over a series (oldest first) and collects what fires at each hour. */
function run(series: HourBucket[]): Array<{ at: number; kinds: string[] }> {
  const fired: Array<{ at: number; kinds: string[] }> = [];
  for (let at = 12; at < series.length; at += 1) {
    const window = series.slice(at - 12, at + 1).reverse();
    const found = detectSpikes(window);
    if (found.length > 0) fired.push({ at, kinds: found.map((f) => f.kind) });
  }
  return fired;
}

describe('spike detection', () => {
  it('does not fire on Poisson noise around a steady level (200 hours, several levels)', () => {
    for (const [seed, rate] of [[1, 20], [2, 40], [3, 80], [4, 15]] as const) {
      const r = rng(seed);
      const series = Array.from({ length: 200 }, () => hour(poisson(rate, r)));
      expect(run(series), `rate ${rate}`).toEqual([]);
    }
  });

  it('fires on a volume spike and names it; the hour after still over the line is the same episode (deduped by the store)', () => {
    const r = rng(9);
    const series = Array.from({ length: 30 }, () => hour(poisson(20, r)));
    series[20] = hour(90, 9);
    const fired = run(series);
    expect(fired).toEqual([{ at: 20, kinds: ['volume'] }]);
    const [d] = detectSpikes(series.slice(8, 21).reverse());
    expect(d).toMatchObject({ kind: 'volume', severity: 'critical', observed: 90 });
    expect(d!.threshold).toBeGreaterThan(d!.baseline);
  });

  it('fires on a jump in the negative share at an ordinary volume', () => {
    const base = Array.from({ length: 12 }, () => hour(30, 3));
    const [d, ...rest] = detectSpikes([hour(30, 18), ...base]);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ kind: 'negative_share', observed: 0.6, baseline: 0.1, threshold: 0.35, severity: 'critical' });
  });

  it('honours k and the minimum: a lower k fires earlier, a quiet hour never fires', () => {
    const base = Array.from({ length: 12 }, (_, i) => hour(20 + (i % 3)));
    expect(detectSpikes([hour(45), ...base]).map((d) => d.kind)).toEqual(['volume']);
    expect(detectSpikes([hour(45), ...base], { k: 6, negativeJump: 0.25, minComments: 10 })).toEqual([]);
    // Over k·σ but not double the baseline: not a spike.
    expect(detectSpikes([hour(36), ...base])).toEqual([]);
    // From an empty baseline, a handful of comments is not a spike.
    expect(detectSpikes([hour(6, 6)])).toEqual([]);
  });

  it('picks the top terms without function words or handles', () => {
    expect(topTerms(['@pib_india water supply cut again', 'No water supply since Monday', 'पानी नहीं आया, पानी की सप्लाई बंद'], 3)).toEqual([
      { term: 'supply', count: 2 },
      { term: 'water', count: 2 },
      { term: 'again', count: 1 },
    ]);
  });
});
