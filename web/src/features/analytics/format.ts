import type { Locale } from '@/lib/i18n/i18n';
import type { BucketView, Metric, SeriesView } from './analytics.keys';
import type { ChartPoint } from './components/series-chart';

export function formatNumber(locale: Locale, v: number): string {
  return new Intl.NumberFormat(locale === 'hi' ? 'hi-IN' : 'en-GB', { maximumFractionDigits: 0 }).format(v);
}

/** A bucket's start as the reader says it, in the zone the buckets were cut in. */
export function formatBucket(locale: Locale, zone: string, at: string, bucket: 'hour' | 'day'): string {
  const opts: Intl.DateTimeFormatOptions = bucket === 'hour' ? { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: zone } : { day: 'numeric', month: 'short', year: 'numeric', timeZone: zone };
  return new Intl.DateTimeFormat(locale === 'hi' ? 'hi-IN' : 'en-GB', opts).format(new Date(at));
}

/**
 * The current period's buckets beside the previous period's, moved forward by the period's
 * length so "the same hour last week" lines up; a bucket only one side has is null on the other.
 */
export function alignPeriods(s: SeriesView, metric: Metric): ChartPoint[] {
  const shift = Date.parse(s.current.from) - Date.parse(s.previous?.from ?? s.current.from);
  const byAt = new Map<string, ChartPoint>();
  const at = (b: BucketView, by: number) => new Date(Date.parse(b.bucket) + by).toISOString();
  for (const b of s.current.series) byAt.set(at(b, 0), { at: at(b, 0), current: b[metric], previous: null });
  for (const b of s.previous?.series ?? []) {
    const key = at(b, shift);
    byAt.set(key, { at: key, current: byAt.get(key)?.current ?? null, previous: b[metric] });
  }
  return [...byAt.values()].sort((a, b) => a.at.localeCompare(b.at));
}
