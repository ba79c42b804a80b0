import type { DeliveryErrorClass } from './providers/provider.js';

/** After this many counted attempts a delivery that keeps failing transiently fails for good. */
export const MAX_COUNTED_ATTEMPTS = 6;
const BACKOFF_BASE_MS = 2_000;
const BACKOFF_MAX_MS = 5 * 60_000;

export type NextStep =
  /** Try again at `at`, not counting against the attempts (rate limits, quotas). */
  | { kind: 'wait'; at: Date }
  /** Try again at `at` (transient failures: backoff). */
  | { kind: 'retry'; at: Date }
  /** The call may have landed: reconcile before anything else. */
  | { kind: 'reconcile'; at: Date }
  /** Refresh the token once, then call again. */
  | { kind: 'refresh' }
  /** A person must act on the channel, and this delivery fails. */
  | { kind: 'fail_channel' }
  /** Look for the post the network says exists; fail if it is not found. */
  | { kind: 'find_duplicate' }
  | { kind: 'fail' };

/**
 * What the engine does after a provider error: decided by the error class alone (provider.ts),
 * never by the vendor. `attempts` counts the publish calls already made, this one included.
 */
export function nextStep(kind: DeliveryErrorClass, ctx: { attempts: number; retryAt: Date | undefined; refreshed: boolean; now: Date }): NextStep {
  switch (kind) {
    case 'rate_limited':
    case 'quota_exhausted':
      return { kind: 'wait', at: ctx.retryAt && ctx.retryAt > ctx.now ? ctx.retryAt : new Date(ctx.now.getTime() + 60_000) };
    case 'transient':
      return ctx.attempts >= MAX_COUNTED_ATTEMPTS ? { kind: 'fail' } : { kind: 'retry', at: new Date(ctx.now.getTime() + backoffMs(ctx.attempts)) };
    case 'unknown_outcome':
      return { kind: 'reconcile', at: new Date(ctx.now.getTime() + 1_000) };
    case 'auth_expired':
      return ctx.refreshed ? { kind: 'fail_channel' } : { kind: 'refresh' };
    case 'revoked':
    case 'permission':
      return { kind: 'fail_channel' };
    case 'duplicate':
      return { kind: 'find_duplicate' };
    case 'validation':
    case 'media_failed':
      return { kind: 'fail' };
  }
}

/** Exponential from 2 s, capped at 5 minutes, with a little jitter so a burst spreads out. */
export function backoffMs(attempts: number): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
