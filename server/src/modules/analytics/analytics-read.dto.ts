import { z } from 'zod';
import { METRICS } from './analytics.metrics.js';

export const IdParams = z.strictObject({ id: z.uuid() });

const DAY_MS = 86_400_000;
/** Hourly buckets over at most this many days, daily over at most 400: answers stay small. */
export const MAX_HOURLY_DAYS = 31;
export const MAX_DAILY_DAYS = 400;

function isZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const SeriesQuery = z
  .strictObject({
    from: z.iso.datetime({ offset: true }).describe('Start of the range (inclusive), an instant'),
    to: z.iso.datetime({ offset: true }).describe('End of the range (exclusive), an instant'),
    zone: z.string().min(1).max(64).default('UTC').refine(isZone, 'not an IANA time zone').describe('IANA time zone the buckets are cut in, e.g. Asia/Kolkata'),
    bucket: z.enum(['hour', 'day']).default('day'),
    compare: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true')
      .describe('true: add the previous period of the same length, and the change'),
  })
  .refine((q) => Date.parse(q.to) > Date.parse(q.from), { message: '`to` must be after `from`', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= (q.bucket === 'hour' ? MAX_HOURLY_DAYS : MAX_DAILY_DAYS) * DAY_MS, { message: `at most ${MAX_HOURLY_DAYS} days of hourly or ${MAX_DAILY_DAYS} days of daily buckets`, path: ['to'] });

const metricShape = Object.fromEntries(METRICS.map((m) => [m, z.number().nullable()])) as Record<(typeof METRICS)[number], z.ZodNullable<z.ZodNumber>>;
/** Each metric summed over the posts (and accounts) in scope; null: no network in scope exposes it. */
export const MetricsView = z.object(metricShape);

export const BucketView = z.object({
  bucket: z.string().describe('Start of the bucket, an instant (midnight or the hour in `zone`)'),
  posts: z.number().int().describe('Posts with a snapshot in the bucket'),
  ...metricShape,
});

export const PeriodView = z.object({
  from: z.string(),
  to: z.string(),
  totals: MetricsView.describe('Running totals at the end of the period: per post its latest snapshot in the period, summed'),
  posts: z.number().int(),
  series: z.array(BucketView),
});

export const SeriesView = z.object({
  scope: z.object({ kind: z.enum(['message', 'channel', 'organisation', 'campaign']), id: z.uuid() }),
  zone: z.string(),
  bucket: z.enum(['hour', 'day']),
  current: PeriodView,
  previous: PeriodView.nullable().describe('The period of the same length just before, when compare=true'),
  change: MetricsView.nullable().describe('current totals minus previous totals; null per metric when either is not available'),
});
