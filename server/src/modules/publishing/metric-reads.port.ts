import type { DeliveryChannel } from './channel-access.port.js';

/**
 * Reads other modules make of a connected account's network (analytics' metric snapshots; the
 * comment readers use NETWORK_READS, which also lists the published posts: one port should serve
 * both),
 * inside the same rate limits the delivery engine keeps. Publishing implements it and exports it
 * under this token: readers get the channel, a token and an instrumented fetch, never the
 * limiter or the channel's secrets store.
 */
export const METRIC_READS = Symbol('METRIC_READS');

/** What a read is handed: the channel, a token valid for the next minute, and fetch with the engine's timeout. */
export interface NetworkReadCall {
  channel: DeliveryChannel;
  accessToken: string;
  extra: Readonly<Record<string, string>>;
  fetch: typeof fetch;
  /** Rate-limit state read from a response (`bucket` as the providers name them), shared with every worker. */
  observeRateLimit(o: { bucket: string; remaining: number; resetAt: Date }): void;
}

/**
 * How a read failed, by what the caller does next: `rate_limited` waits until `retryAt`;
 * `auth_expired` is refreshed once by the port; `gone` (the post was deleted) and `unavailable`
 * (the channel needs a person, or the API refuses for good) stop asking; `transient` retries later.
 */
export type NetworkReadFailure = 'rate_limited' | 'auth_expired' | 'gone' | 'unavailable' | 'transient';

export class NetworkReadError extends Error {
  override name = 'NetworkReadError';
  constructor(
    readonly kind: NetworkReadFailure,
    message: string,
    readonly retryAt?: Date,
  ) {
    super(message);
  }
}

export interface MetricReadsPort {
  /**
   * Runs `read` for the channel when its rate limits allow, else throws `rate_limited` with the
   * time they reset. A 429 the read reports is remembered for every worker until its reset, so
   * no other read or delivery walks into it. An expired token is refreshed once and the read retried.
   */
  read<T>(channelId: string, read: (call: NetworkReadCall) => Promise<T>): Promise<T>;
}
