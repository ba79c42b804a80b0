/**
 * The normalised metric set (issue 15). Each network's reader maps its own current metric names
 * onto these; a metric the network does not expose stays null ("not available"), never 0.
 */
export const METRICS = [
  'impressions',
  'reach',
  'reactions',
  'comments',
  'shares',
  'saves',
  'clicks',
  'video_views',
  'watch_time_seconds',
  'followers',
] as const;
export type Metric = (typeof METRICS)[number];
export type MetricValues = { [M in Metric]: number | null };

/** One snapshot of a post (deliveryId set) or of an account (deliveryId null). */
export interface MetricSnapshot {
  orgId: string;
  channelId: string;
  deliveryId: string | null;
  network: string;
  capturedAt: Date;
  values: MetricValues;
}

export type RollupGrain = 'hour' | 'day';
