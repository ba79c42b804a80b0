import { describe, expect, it } from 'vitest';
import { changeOf, csvHref, rangeOf, sentimentShares } from './analytics.keys';

describe('analytics keys', () => {
  it('cuts the last N days up to the next whole hour, hourly for a week or less', () => {
    const now = Date.UTC(2026, 11, 7, 21, 13, 5);
    expect(rangeOf(1, 'Asia/Kolkata', now)).toEqual({ from: '2026-12-06T22:00:00.000Z', to: '2026-12-07T22:00:00.000Z', zone: 'Asia/Kolkata', bucket: 'hour' });
    expect(rangeOf(30, 'UTC', now).bucket).toBe('day');
    expect(rangeOf(30, 'UTC', now + 60_000)).toEqual(rangeOf(30, 'UTC', now));
  });

  it('compares with the previous period: not available stays not available, no percent from zero', () => {
    expect(changeOf(null, 5)).toEqual({ kind: 'na' });
    expect(changeOf(5, null)).toEqual({ kind: 'na' });
    expect(changeOf(5, 5)).toEqual({ kind: 'same' });
    expect(changeOf(150, 100)).toEqual({ kind: 'up', delta: 50, percent: 50 });
    expect(changeOf(75, 100)).toEqual({ kind: 'down', delta: 25, percent: 25 });
    expect(changeOf(3, 0)).toEqual({ kind: 'up', delta: 3, percent: null });
  });

  it('shares sentiment among scored comments only', () => {
    expect(sentimentShares({ positive: 1, neutral: 1, negative: 2, unsupported: 6 })).toEqual({ positive: 0.25, neutral: 0.25, negative: 0.5, scored: 4 });
    expect(sentimentShares({ positive: 0, neutral: 0, negative: 0, unsupported: 3 }).scored).toBe(0);
  });

  it('links the CSV with the same range and the comparison', () => {
    expect(csvHref({ from: 'a', to: 'b', zone: 'Asia/Kolkata', bucket: 'day' })).toBe('/api/v1/analytics/organisation/series.csv?from=a&to=b&zone=Asia%2FKolkata&bucket=day&compare=true');
  });
});
