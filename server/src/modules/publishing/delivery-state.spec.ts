import { describe, expect, it } from 'vitest';
import { canMove, DELIVERY_STATES, messageOutcome, type DeliveryState } from './delivery-state.js';

describe('delivery state machine', () => {
  it('never leaves a final state except a succeeded post being taken down', () => {
    for (const to of DELIVERY_STATES) {
      expect(canMove('cancelled', to)).toBe(false);
      expect(canMove('retracted', to)).toBe(false);
      expect(canMove('succeeded', to)).toBe(to === 'retracting' || to === 'retract_failed');
    }
  });

  it('never publishes again from an unknown outcome without going through in_flight (reconcile first)', () => {
    expect(canMove('unknown', 'succeeded')).toBe(false);
    expect(canMove('unknown', 'pending')).toBe(false);
    expect(canMove('unknown', 'in_flight')).toBe(true);
  });

  it('lets a person retry only a failed delivery', () => {
    const retryable = DELIVERY_STATES.filter((s) => s !== 'pending' && canMove(s, 'pending') && s !== 'in_flight' && s !== 'held');
    expect(retryable).toEqual(['failed']);
  });

  it('settles a message only when every delivery is settled', () => {
    const s = (...x: DeliveryState[]) => x;
    expect(messageOutcome(s('succeeded', 'in_flight'))).toBeNull();
    expect(messageOutcome(s('succeeded', 'succeeded'))).toBe('published');
    expect(messageOutcome(s('succeeded', 'failed'))).toBe('partially_published');
    expect(messageOutcome(s('failed', 'cancelled'))).toBe('failed');
    expect(messageOutcome(s())).toBeNull();
  });
});
