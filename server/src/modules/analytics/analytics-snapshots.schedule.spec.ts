import { describe, expect, it } from 'vitest';
import { failureBackoffMs, nextRead, offsetOf } from './analytics-snapshots.schedule.js';

const H = 3_600_000;
const D = 24 * H;
const base = { network: 'facebook', story: false, cadenceDays: 30, horizonDays: 120 };

describe('snapshot schedule', () => {
  it('reads at +1 h, +24 h, +7 d, +30 d, then every cadence until the horizon', () => {
    const offsets = [];
    for (let s = 0; offsetOf(s, base) !== undefined; s += 1) offsets.push(offsetOf(s, base));
    expect(offsets).toEqual([H, D, 7 * D, 30 * D, 60 * D, 90 * D, 120 * D]);
  });

  it("reads X's non-public metrics before day 30, and a story before 24 h", () => {
    expect(offsetOf(3, { ...base, network: 'x' })).toBeLessThan(30 * D);
    const story = { ...base, network: 'instagram', story: true };
    expect([0, 1, 2, 3].map((s) => offsetOf(s, story))).toEqual([H, 12 * H, 23 * H, undefined]);
  });

  it('skips steps a backlog has passed and ends at the horizon', () => {
    const published = new Date('2026-01-01T00:00:00Z');
    expect(nextRead(published, new Date(published.getTime() + 30 * 60_000), base, 0)).toEqual({ step: 0, at: new Date(published.getTime() + H) });
    expect(nextRead(published, new Date(published.getTime() + 3 * D), base, 1)).toEqual({ step: 2, at: new Date(published.getTime() + 7 * D) });
    expect(nextRead(published, new Date(published.getTime() + 121 * D), base, 4)).toBeUndefined();
  });

  it('backs off failures exponentially up to six hours', () => {
    expect(failureBackoffMs(0)).toBe(60_000);
    expect(failureBackoffMs(3)).toBe(8 * 60_000);
    expect(failureBackoffMs(40)).toBe(6 * H);
  });
});
