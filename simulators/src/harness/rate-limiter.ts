import { type SimClock } from './clock.js';

/**
 * Windows the networks use: a fixed window that starts with its first call (X's 15 min,
 * Mastodon's 5 min), a daily window that resets at a wall-clock midnight in a given zone
 * (LinkedIn at 00:00 UTC, YouTube at midnight Pacific), and a true rolling window (Instagram's
 * 50 posts per rolling 24 h).
 */
export type WindowRule =
  | { kind: 'fixed'; limit: number; windowMs: number }
  | { kind: 'daily'; limit: number; utcOffsetMinutes: number }
  | { kind: 'rolling'; limit: number; windowMs: number };

export interface WindowState {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Epoch ms when capacity comes back (the window resets, or the oldest call leaves it). */
  resetAt: number;
  windowMs: number;
}

const DAY_MS = 86_400_000;

export class RateLimiter {
  private readonly fixed = new Map<string, { start: number; used: number }>();
  private readonly rolling = new Map<string, number[]>();

  constructor(private readonly clock: SimClock) {}

  /** Spends `cost` from the window if it fits; never spends on a refused call. */
  take(key: string, rule: WindowRule, cost = 1): WindowState {
    const state = this.peek(key, rule);
    if (state.remaining < cost) return { ...state, allowed: false };
    const now = this.clock.now();
    if (rule.kind === 'rolling') {
      const log = this.rolling.get(key) ?? [];
      for (let i = 0; i < cost; i += 1) log.push(now);
      this.rolling.set(key, log);
    } else {
      const window = this.fixed.get(key);
      if (window) window.used += cost;
    }
    return { ...state, remaining: state.remaining - cost, allowed: true };
  }

  peek(key: string, rule: WindowRule): WindowState {
    const now = this.clock.now();
    switch (rule.kind) {
      case 'rolling': {
        const log = (this.rolling.get(key) ?? []).filter((at) => at > now - rule.windowMs);
        this.rolling.set(key, log);
        const resetAt = log.length > 0 ? (log[0] ?? now) + rule.windowMs : now + rule.windowMs;
        return { allowed: true, limit: rule.limit, remaining: Math.max(0, rule.limit - log.length), resetAt, windowMs: rule.windowMs };
      }
      case 'fixed':
      case 'daily': {
        const start = rule.kind === 'fixed' ? this.fixedStart(key, rule.windowMs, now) : dayStart(now, rule.utcOffsetMinutes);
        const windowMs = rule.kind === 'fixed' ? rule.windowMs : DAY_MS;
        let window = this.fixed.get(key);
        if (!window || window.start !== start) {
          window = { start, used: 0 };
          this.fixed.set(key, window);
        }
        return { allowed: true, limit: rule.limit, remaining: Math.max(0, rule.limit - window.used), resetAt: start + windowMs, windowMs };
      }
    }
  }

  reset(): void {
    this.fixed.clear();
    this.rolling.clear();
  }

  private fixedStart(key: string, windowMs: number, now: number): number {
    const current = this.fixed.get(key);
    if (current && now < current.start + windowMs) return current.start;
    return now;
  }
}

function dayStart(now: number, utcOffsetMinutes: number): number {
  const offset = utcOffsetMinutes * 60_000;
  return Math.floor((now + offset) / DAY_MS) * DAY_MS - offset;
}
