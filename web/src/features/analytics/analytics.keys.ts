import type { BodyOf, ResponseOf } from '@/lib/api/types';

export type SeriesView = ResponseOf<'AnalyticsReadController.organisation'>;
export type BucketView = SeriesView['current']['series'][number];
export type MetricValues = SeriesView['current']['totals'];
export type Metric = keyof MetricValues;
export type BreakdownView = ResponseOf<'AnalyticsBreakdownController.organisation'>;
export type DashboardView = ResponseOf<'AnalyticsDashboardsController.list'>['items'][number];
export type CreateDashboard = BodyOf<'AnalyticsDashboardsController.create'>;

/** What a read is asked for: an instant range, the zone its buckets are cut in, and the grain. */
export interface RangeQuery {
  from: string;
  to: string;
  zone: string;
  bucket: 'hour' | 'day';
}

export const analyticsKeys = {
  organisation: (q: RangeQuery) => ['get', '/api/v1/analytics/organisation', { ...q, compare: 'true' }] as const,
  breakdown: (q: RangeQuery) => ['get', '/api/v1/analytics/organisation/breakdown', q] as const,
  message: (id: string, q: RangeQuery) => ['get', '/api/v1/analytics/messages/{id}', { id, ...q, compare: 'false' }] as const,
  dashboards: () => ['get', '/api/v1/analytics/dashboards'] as const,
};

/** The figures the dashboard leads with, in this order; the rest are in the tables. */
export const HEADLINE: readonly Metric[] = ['impressions', 'reach', 'reactions', 'comments', 'shares', 'followers'];
export const ALL_METRICS: readonly Metric[] = ['impressions', 'reach', 'reactions', 'comments', 'shares', 'saves', 'clicks', 'video_views', 'watch_time_seconds', 'followers'];

export const RANGE_DAYS = [1, 7, 30, 90] as const;
export type RangeDays = (typeof RANGE_DAYS)[number];

/**
 * The last `days` days up to the next bucket boundary after `now`: whole hours for a day or
 * less (hourly buckets), otherwise whole UTC hours too, read in daily buckets in the zone.
 * Rounded so the query key (and the server's answer) stays put between renders.
 */
export function rangeOf(days: RangeDays, zone: string, now: number): RangeQuery {
  const hour = 3_600_000;
  const to = Math.ceil(now / hour) * hour;
  return { from: new Date(to - days * 24 * hour).toISOString(), to: new Date(to).toISOString(), zone, bucket: days <= 7 ? 'hour' : 'day' };
}

export type Change = { kind: 'na' } | { kind: 'same' } | { kind: 'up' | 'down'; delta: number; percent: number | null };

/** The change from the previous period: not available when either side is; no percent from 0. */
export function changeOf(current: number | null, previous: number | null | undefined): Change {
  if (current === null || previous === null || previous === undefined) return { kind: 'na' };
  const delta = current - previous;
  if (delta === 0) return { kind: 'same' };
  return { kind: delta > 0 ? 'up' : 'down', delta: Math.abs(delta), percent: previous === 0 ? null : Math.round((Math.abs(delta) / previous) * 100) };
}

/** The series endpoint's CSV twin, with the same query (a plain link: the session cookie rides). */
export function csvHref(q: RangeQuery): string {
  return `/api/v1/analytics/organisation/series.csv?${new URLSearchParams({ ...q, compare: 'true' }).toString()}`;
}

export type SentimentCounts = BreakdownView['sentiment']['totals'];
export const SENTIMENTS = ['positive', 'neutral', 'negative', 'unsupported'] as const;

/** Shares of the scored comments (unsupported is shown apart, never folded into neutral). */
export function sentimentShares(c: SentimentCounts): { positive: number; neutral: number; negative: number; scored: number } {
  const scored = c.positive + c.neutral + c.negative;
  if (scored === 0) return { positive: 0, neutral: 0, negative: 0, scored };
  return { positive: c.positive / scored, neutral: c.neutral / scored, negative: c.negative / scored, scored };
}
