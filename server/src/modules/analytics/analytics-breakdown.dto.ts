import { z } from 'zod';
import { MAX_DAILY_DAYS, MAX_HOURLY_DAYS, MetricsView } from './analytics-read.dto.js';

const DAY_MS = 86_400_000;
const SENTIMENTS = ['positive', 'negative', 'neutral', 'unsupported'] as const;

function isZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const BreakdownQuery = z
  .strictObject({
    from: z.iso.datetime({ offset: true }).describe('Start of the range (inclusive), an instant'),
    to: z.iso.datetime({ offset: true }).describe('End of the range (exclusive), an instant'),
    zone: z.string().min(1).max(64).default('UTC').refine(isZone, 'not an IANA time zone').describe('IANA time zone the sentiment buckets are cut in'),
    bucket: z.enum(['hour', 'day']).default('day'),
    limit: z.coerce.number().int().min(1).max(100).default(20).describe('How many messages, the most seen first'),
  })
  .refine((q) => Date.parse(q.to) > Date.parse(q.from), { message: '`to` must be after `from`', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= (q.bucket === 'hour' ? MAX_HOURLY_DAYS : MAX_DAILY_DAYS) * DAY_MS, { message: `at most ${MAX_HOURLY_DAYS} days of hourly or ${MAX_DAILY_DAYS} days of daily buckets`, path: ['to'] });

const SentimentCounts = z.object(Object.fromEntries(SENTIMENTS.map((s) => [s, z.number().int()])) as Record<(typeof SENTIMENTS)[number], z.ZodNumber>);

export const BreakdownView = z.object({
  from: z.string(),
  to: z.string(),
  zone: z.string(),
  bucket: z.enum(['hour', 'day']),
  networks: z.array(MetricsView.extend({ network: z.string(), posts: z.number().int() })).describe('Per network: each post by its latest snapshot in the range, summed; accounts add followers'),
  messages: z.array(MetricsView.extend({ messageId: z.uuid(), title: z.string().nullable(), posts: z.number().int() })).describe('The most seen messages, all their deliveries summed'),
  sentiment: z
    .object({
      totals: SentimentCounts,
      series: z.array(SentimentCounts.extend({ bucket: z.string().describe('Start of the bucket, an instant') })),
    })
    .describe('Comments, replies and mentions per sentiment (listening), here and below, by the time they were written'),
});
