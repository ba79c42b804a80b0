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

declare module '../database/database.types.js' {
  interface Database {
    outbox_events: OutboxEventsTable;
    event_consumptions: EventConsumptionsTable;
  }
}
