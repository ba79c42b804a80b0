import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import '../../platform/events/outbox.tables.js';
import type { DeadLetterView } from './events-admin.dto.js';

type Row = {
  id: string;
  event_id: string;
  consumer: string | null;
  name: string;
  aggregate_type: string;
  aggregate_id: string;
  attempts: number;
  last_error: string | null;
  correlation_id: string | null;
  /** ISO 8601 text: the outbox's column, or the envelope's field. */
  occurred_at: string;
  dead_lettered_at: Date;
  held_back: number;
  payload: Record<string, unknown>;
};

const view = (r: Row): DeadLetterView => ({
  id: r.id,
  eventId: r.event_id,
  consumer: r.consumer,
  name: r.name,
  aggregateType: r.aggregate_type,
  aggregateId: r.aggregate_id,
  attempts: r.attempts,
  lastError: r.last_error,
  correlationId: r.correlation_id,
  occurredAt: new Date(r.occurred_at).toISOString(),
  deadLetteredAt: r.dead_lettered_at.toISOString(),
  heldBack: r.held_back,
  payload: r.payload,
});

/** Where a dead letter lives: the outbox (the relay gave up) or a subscriber's dead letters. */
export type DeadLetterKind = 'relay' | 'subscriber';
export interface DeadLetterSummary {
  kind: DeadLetterKind;
  name: string;
  consumer: string | null;
  eventId: string;
  attempts: number;
  lastError: string | null;
  deadLettered: boolean;
}
export type Outcome = 'done' | 'not_dead_lettered' | 'not_found';

/**
 * An organisation's admin view of dead letters, in the request's transaction: row-level security
 * keeps it to the request's organisation whatever the WHERE says. Requests may not change either
 * table; redrive and discard go through the functions of migrations 0004 and 0009, which check
 * the same and change only the row asked for.
 */
@Injectable()
export class EventsAdminRepository {
  constructor(private readonly tx: Transactor) {}

  async listDeadLettered(orgId: string, limit: number): Promise<DeadLetterView[]> {
    const { rows } = await sql<Row>`
      SELECT * FROM (
        SELECT o.id, o.id AS event_id, NULL::text AS consumer, o.name, o.aggregate_type, o.aggregate_id, o.attempts,
               o.last_error, o.correlation_id, to_json(o.occurred_at) #>> '{}' AS occurred_at, o.dead_lettered_at, o.payload,
               (SELECT count(*)::int FROM outbox_events l
                WHERE l.published_at IS NULL AND l.aggregate_type = o.aggregate_type
                  AND l.aggregate_id = o.aggregate_id AND l.position > o.position) AS held_back
        FROM outbox_events o
        WHERE o.org_id = ${orgId} AND o.dead_lettered_at IS NOT NULL
        UNION ALL
        SELECT d.id, d.event_id, d.consumer, d.name, d.aggregate_type, d.aggregate_id, d.attempts,
               d.last_error, d.envelope->>'correlationId', d.envelope->>'occurredAt', d.dead_lettered_at, d.envelope->'payload',
               (SELECT count(*)::int FROM event_dead_letters l
                WHERE l.consumer = d.consumer AND l.aggregate_type = d.aggregate_type
                  AND l.aggregate_id = d.aggregate_id AND l.position > d.position) AS held_back
        FROM event_dead_letters d
        WHERE d.org_id = ${orgId} AND d.state = 'dead'
      ) letters
      ORDER BY dead_lettered_at DESC, id LIMIT ${limit}`.execute(this.tx.current());
    return rows.map(view);
  }

  /** The organisation's dead letter `id` (either kind, in any state); undefined for another organisation's. */
  async find(orgId: string, id: string): Promise<DeadLetterSummary | undefined> {
    const db = this.tx.current();
    const event = await db
      .selectFrom('outbox_events')
      .select(['name', 'attempts', 'last_error', 'dead_lettered_at'])
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (event) return { kind: 'relay', name: event.name, consumer: null, eventId: id, attempts: event.attempts, lastError: event.last_error, deadLettered: event.dead_lettered_at !== null };
    const letter = await db
      .selectFrom('event_dead_letters')
      .select(['name', 'consumer', 'event_id', 'attempts', 'last_error', 'state'])
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return letter && { kind: 'subscriber', name: letter.name, consumer: letter.consumer, eventId: letter.event_id, attempts: letter.attempts, lastError: letter.last_error, deadLettered: letter.state === 'dead' };
  }

  /** Puts a dead letter back in line; 'not_found' for another organisation's. */
  redrive(kind: DeadLetterKind, id: string): Promise<Outcome> {
    return kind === 'relay' ? this.call(sql`guddu_outbox_redrive(${id}::uuid)`) : this.call(sql`guddu_event_dead_letter_redrive(${id}::uuid)`);
  }

  /** Gives a dead letter up; 'not_found' for another organisation's. */
  discard(kind: DeadLetterKind, id: string): Promise<Outcome> {
    return kind === 'relay' ? this.call(sql`guddu_outbox_discard(${id}::uuid)`) : this.call(sql`guddu_event_dead_letter_discard(${id}::uuid)`);
  }

  private async call(fn: ReturnType<typeof sql>): Promise<Outcome> {
    const { rows } = await sql<{ result: string | null }>`SELECT ${fn} AS result`.execute(this.tx.current());
    const result = rows[0]?.result;
    return result === null || result === undefined ? 'not_found' : result === 'not_dead_lettered' ? 'not_dead_lettered' : 'done';
  }
}
