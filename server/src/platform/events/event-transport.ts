import type { EventEnvelope } from './events.types.js';

/**
 * Where the relay hands events over. In-process (embedded mode) delivers straight to this
 * process's subscribers; NATS (distributed mode) publishes to JetStream and runs a durable
 * consumer per subscriber.
 */
export interface EventTransport {
  readonly kind: 'in-process' | 'nats';
  /** Connects and starts consuming; must not fail when the broker is down (it retries). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** False while the broker is unreachable: the relay waits instead of failing every event. */
  available(): boolean;
  /** Resolves once the event is safely handed over; throws otherwise (the relay retries). */
  publish(event: EventEnvelope): Promise<void>;
  describe(): string;
}

export const EVENT_TRANSPORT = Symbol('guddu.event-transport');
