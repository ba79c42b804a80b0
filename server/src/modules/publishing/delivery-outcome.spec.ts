import { describe, expect, it } from 'vitest';
import { DELIVERY_ERROR_CLASSES } from './providers/provider.js';
import { MAX_COUNTED_ATTEMPTS, nextStep } from './delivery-outcome.js';

const now = new Date('2026-12-07T12:00:00Z');
const base = { attempts: 1, retryAt: undefined, refreshed: false, now };

describe('what the engine does after a provider error', () => {
  it('waits for a rate limit or quota until the time the network gave, never fails for it', () => {
    const retryAt = new Date(now.getTime() + 90_000);
    for (let attempts = 1; attempts < 50; attempts += 7) {
      expect(nextStep('rate_limited', { ...base, attempts, retryAt })).toEqual({ kind: 'wait', at: retryAt });
      expect(nextStep('quota_exhausted', { ...base, attempts, retryAt })).toEqual({ kind: 'wait', at: retryAt });
    }
  });

  it('retries a transient failure with growing delays, then fails', () => {
    const first = nextStep('transient', base);
    const later = nextStep('transient', { ...base, attempts: 4 });
    expect(first.kind).toBe('retry');
    expect(later.kind).toBe('retry');
    if (first.kind === 'retry' && later.kind === 'retry') expect(later.at.getTime()).toBeGreaterThan(first.at.getTime());
    expect(nextStep('transient', { ...base, attempts: MAX_COUNTED_ATTEMPTS }).kind).toBe('fail');
  });

  it('reconciles a lost answer however many attempts were made, never resends blindly', () => {
    expect(nextStep('unknown_outcome', { ...base, attempts: 99 }).kind).toBe('reconcile');
  });

  it('refreshes an expired token once, then asks a person', () => {
    expect(nextStep('auth_expired', base).kind).toBe('refresh');
    expect(nextStep('auth_expired', { ...base, refreshed: true }).kind).toBe('fail_channel');
    expect(nextStep('revoked', base).kind).toBe('fail_channel');
    expect(nextStep('permission', base).kind).toBe('fail_channel');
  });

  it('has an answer for every class', () => {
    for (const k of DELIVERY_ERROR_CLASSES) expect(nextStep(k, base).kind).toMatch(/^(wait|retry|reconcile|refresh|fail_channel|find_duplicate|fail)$/);
  });
});
