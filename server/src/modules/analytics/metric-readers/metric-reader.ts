import type { Network } from '../../publishing/channel-access.port.js';
import type { NetworkReadCall } from '../../publishing/metric-reads.port.js';
import { METRICS, type Metric, type MetricValues } from '../analytics.metrics.js';

/**
 * One network's metric reads (issue 15), beside its publishing Provider: each maps the network's
 * current metric names (../shared/contracts/social-apis.md) onto the normalised set. A metric the
 * network does not expose stays null, "not available", never 0.
 */
export interface PostRef {
  externalId: string;
  publishedAt: Date;
}

export interface PostMetrics {
  values: MetricValues;
  /** Instagram tells a story apart; its figures vanish after 24 h (the schedule compresses). */
  story?: boolean;
}

export interface MetricReader {
  readonly network: Network;
  readPost(call: NetworkReadCall, post: PostRef, now: Date): Promise<PostMetrics>;
  /** Account-level figures (followers); every other metric null. */
  readAccount(call: NetworkReadCall): Promise<MetricValues>;
}

/** All metrics "not available", with the given ones filled. Non-numbers stay null. */
export function metricValues(known: Partial<Record<Metric, unknown>>): MetricValues {
  const out = {} as MetricValues;
  for (const m of METRICS) out[m] = count(known[m]);
  return out;
}

/** A count from a number or a numeric string (YouTube sends uint64 as strings); anything else is null. */
export function count(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.floor(value);
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  return null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** obj.a.b.c, or undefined. */
export function at(value: unknown, ...path: string[]): unknown {
  let cur = value;
  for (const key of path) {
    if (!isRecord(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}
