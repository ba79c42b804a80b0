/**
 * Every event Guddu emits: name → payload. It starts empty; each module adds its own events by
 * augmenting this interface in its `<feature>.events.ts`, so the module that owns an event owns
 * its type and no central file changes when a module is added. The part of the name before the
 * first dot is the domain (one NATS stream per domain).
 *
 * Payloads carry ids, the organisation and what a subscriber needs to decide; never whole rows
 * (a subscriber that needs the row reads it, and so sees the current state).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface GudduEvents {}

export type EventName = Extract<keyof GudduEvents, string>;

/** What travels: the payload plus the facts every subscriber needs. */
export interface EventEnvelope<N extends EventName = EventName> {
  /** Unique per event; subscribers deduplicate on it, JetStream uses it as the message id. */
  id: string;
  name: N;
  orgId: string;
  aggregateType: string;
  aggregateId: string;
  correlationId: string | null;
  occurredAt: string;
  payload: GudduEvents[N];
}

export interface AggregateRef {
  aggregateType: string;
  aggregateId: string;
}

/** `identity.user_deactivated` → `identity`. */
export function domainOf(name: string): string {
  const dot = name.indexOf('.');
  if (dot <= 0) throw new Error(`event name ${name} has no domain (expected "<domain>.<event>")`);
  return name.slice(0, dot);
}
