import { SetMetadata } from '@nestjs/common';
import type { RequestContext } from '../context/request-context.js';
import type { EventEnvelope, EventName } from './events.types.js';

export const ON_EVENT = Symbol('guddu.on-event');

export interface OnEventMeta {
  event: EventName;
  /** Stable name of this subscriber: its dedup key and its durable NATS consumer. */
  consumer: string;
}

export type EventHandler<N extends EventName = EventName> = (event: EventEnvelope<N>, ctx: RequestContext) => Promise<void>;

/**
 * Marks a provider method as a subscriber of one event. `consumer` names it for good: renaming
 * it makes a new subscriber that starts from the oldest retained event (deduplicated, so no
 * harm, but slow), hence an explicit, stable string.
 *
 * The method runs in its own transaction, scoped to the event's organisation (row-level
 * security applies), and only if this consumer has not processed this event before.
 */
export function OnEvent<N extends EventName>(event: N, consumer: string) {
  // Generic in the method's type, so that a handler may leave out the arguments it does not use.
  return <M extends EventHandler<N>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<M>) => {
    SetMetadata<typeof ON_EVENT, OnEventMeta>(ON_EVENT, { event, consumer })(target, key, descriptor);
  };
}
