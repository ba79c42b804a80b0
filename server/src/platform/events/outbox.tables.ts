import type { ColumnType, Generated } from 'kysely';

export interface OutboxEventsTable {
  position: Generated<number>;
  id: string;
  name: string;
  org_id: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: ColumnType<Record<string, unknown>, string, never>;
  correlation_id: string | null;
  occurred_at: ColumnType<Date, Date | undefined, never>;
  published_at: ColumnType<Date | null, never, Date | null>;
  attempts: ColumnType<number, never, number>;
  next_attempt_at: ColumnType<Date, never, Date>;
  last_error: ColumnType<string | null, never, string | null>;
  /** Set when the relay gave up on the event (decision 0006); cleared by a redrive. */
  dead_lettered_at: ColumnType<Date | null, never, Date | null>;
}

export interface EventConsumptionsTable {
  consumer: string;
  event_id: string;
  processed_at: ColumnType<Date, never, never>;
}

/** A subscriber's dead letter ('dead') or an event parked behind one ('pending'); migration 0009. */
export interface EventDeadLettersTable {
  id: Generated<string>;
  position: Generated<number>;
  consumer: string;
  event_id: string;
  org_id: string;
  name: string;
  aggregate_type: string;
  aggregate_id: string;
  envelope: ColumnType<Record<string, unknown>, string, never>;
  state: 'dead' | 'pending';
  attempts: Generated<number>;
  last_error: string | null;
  next_attempt_at: ColumnType<Date, Date | undefined, Date>;
  dead_lettered_at: Date | null;
  parked_at: ColumnType<Date, never, never>;
}

declare module '../database/database.types.js' {
  interface Database {
    outbox_events: OutboxEventsTable;
    event_consumptions: EventConsumptionsTable;
    event_dead_letters: EventDeadLettersTable;
  }
}
