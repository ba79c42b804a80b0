/**
 * The whole life of a delivery (one message version to one channel), in one place. The engine
 * and the routes move a delivery only through `assertDeliveryTransition`, which refuses anything
 * not listed here.
 *
 *   pending → in_flight → succeeded → retracting → retracted | retract_failed
 *           ↘ held (suspended) → pending          ↘ unknown (answer lost) → in_flight (reconcile first)
 *   in_flight → pending (retry later: 5xx, rate limit) | failed → pending (a person retries)
 *   pending | held | unknown → cancelled (the message was withdrawn)
 */
export const DELIVERY_STATES = ['pending', 'held', 'in_flight', 'unknown', 'succeeded', 'failed', 'cancelled', 'retracting', 'retracted', 'retract_failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

const ALLOWED: Record<DeliveryState, readonly DeliveryState[]> = {
  pending: ['in_flight', 'held', 'cancelled', 'failed'],
  held: ['pending', 'cancelled'],
  // A run killed before it recorded its outcome leaves in_flight: the next run goes back in
  // (reconcile first), or the outcome lands.
  in_flight: ['in_flight', 'succeeded', 'failed', 'pending', 'unknown', 'held', 'cancelled'],
  unknown: ['in_flight', 'cancelled', 'held', 'failed'],
  // retract_failed at once when the network's API cannot delete a post.
  succeeded: ['retracting', 'retract_failed'],
  failed: ['pending'],
  cancelled: [],
  retracting: ['retracted', 'retract_failed'],
  retracted: [],
  retract_failed: ['retracting'],
};

/** Nothing more will happen to it by itself: the message's outcome can be settled. */
export const SETTLED: ReadonlySet<DeliveryState> = new Set(['succeeded', 'failed', 'cancelled', 'retracting', 'retracted', 'retract_failed']);

/** The engine may pick it up (a job for it may run). */
export const OPEN: ReadonlySet<DeliveryState> = new Set(['pending', 'in_flight', 'unknown']);

export function canMove(from: DeliveryState, to: DeliveryState): boolean {
  return ALLOWED[from].includes(to);
}

export class DeliveryTransitionError extends Error {
  override name = 'DeliveryTransitionError';
}

export function assertDeliveryTransition(from: DeliveryState, to: DeliveryState): void {
  if (!canMove(from, to)) throw new DeliveryTransitionError(`a ${from} delivery cannot become ${to}`);
}

/** The message's end once every delivery is settled: all out, some out, none out. */
export function messageOutcome(states: readonly DeliveryState[]): 'published' | 'partially_published' | 'failed' | null {
  if (states.length === 0 || states.some((s) => !SETTLED.has(s))) return null;
  const out = states.filter((s) => s !== 'failed' && s !== 'cancelled').length;
  if (out === states.length) return 'published';
  return out === 0 ? 'failed' : 'partially_published';
}
