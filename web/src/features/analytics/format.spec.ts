import { describe, expect, it } from 'vitest';
import type { SeriesView } from './analytics.keys';
import { alignPeriods, formatBucket } from './format';

const metrics = { impressions: null, reach: null, reactions: null, comments: null, shares: null, saves: null, clicks: null, video_views: null, watch_time_seconds: null, followers: null };

describe('analytics format', () => {
  it('lines the previous period up with the current one, bucket for bucket', () => {
    const s = {
      current: { from: '2026-12-02T00:00:00.000Z', to: '2026-12-04T00:00:00.000Z', totals: metrics, posts: 0, series: [{ bucket: '2026-12-03T00:00:00.000Z', posts: 1, ...metrics, reach: 9 }] },
      previous: { from: '2026-11-30T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z', totals: metrics, posts: 0, series: [{ bucket: '2026-11-30T00:00:00.000Z', posts: 1, ...metrics, reach: 4 }, { bucket: '2026-12-01T00:00:00.000Z', posts: 1, ...metrics, reach: 5 }] },
    } as unknown as SeriesView;
    expect(alignPeriods(s, 'reach')).toEqual([
      { at: '2026-12-02T00:00:00.000Z', current: null, previous: 4 },
      { at: '2026-12-03T00:00:00.000Z', current: 9, previous: 5 },
    ]);
  });

  it('says a bucket in the zone it was cut in', () => {
    expect(formatBucket('en', 'Asia/Kolkata', '2026-12-06T18:30:00.000Z', 'day')).toBe('7 Dec 2026');
  });
});
