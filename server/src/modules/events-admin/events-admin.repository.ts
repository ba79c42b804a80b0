import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import '../../platform/events/outbox.tables.js';
import type { DeadLetterView } from './events-admin.dto.js';

type Row = {
  id: string;
  name: string;
  aggregate_type: string;
  aggregate_id: string;
  attempts: number;
  last_error: string | null;
  correlation_id: string | null;
  occurred_at: Date;
  dead_lettered_at: Date;
  held_back: number;
  payload: Record<string, unknown>;
};

const view = (r: Row): DeadLetterView => ({
  id: r.id,
  name: r.name,
  aggregateType: r.aggregate_type,
  aggregateId: r.aggregate_id,
  attempts: r.attempts,
  lastError: r.last_error,
  correlationId: r.correlation_id,
  occurredAt: r.occurred_at.toISOString(),
  deadLetteredAt: r.dead_lettered_at.toISOString(),
  heldBack: r.held_back,
  payload: r.payload,
});

/**
 * An organisation's admin view of the outbox, in the request's transaction: row-level security
 * keeps it to the request's organisation whatever the WHERE says. Requests may not update the
 * outbox; a redrive goes through guddu_outbox_redrive (migration 0004), which checks the same.
 */
@Injectable()
export class EventsAdminRepository {
  constructor(private readonly tx: Transactor) {}

  async listDeadLettered(orgId: string, limit: number): Promise<DeadLetterView[]> {
    const { rows } = await sql<Row>`
      SELECT o.id, o.name, o.aggregate_type, o.aggregate_id, o.attempts, o.last_error, o.correlation_id,
             o.occurred_at, o.dead_lettered_at, o.payload,
             (SELECT count(*)::int FROM outbox_events l
              WHERE l.published_at IS NULL AND l.aggregate_type = o.aggregate_type
                AND l.aggregate_id = o.aggregate_id AND l.position > o.position) AS held_back
      FROM outbox_events o
      WHERE o.org_id = ${orgId} AND o.dead_lettered_at IS NOT NULL
      ORDER BY o.dead_lettered_at DESC, o.position DESC LIMIT ${limit}`.execute(this.tx.current());
    return rows.map(view);
  }

  /** The organisation's event `id`, in any state; undefined for another organisation's. */
  async findEvent(orgId: string, id: string): Promise<{ name: string; attempts: number; lastError: string | null; deadLettered: boolean } | undefined> {
    const row = await this.tx
      .current()
      .selectFrom('outbox_events')
      .select(['name', 'attempts', 'last_error', 'dead_lettered_at'])
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && { name: row.name, attempts: row.attempts, lastError: row.last_error, deadLettered: row.dead_lettered_at !== null };
  }

  /** Puts a dead-lettered event back in line; 'not_found' for another organisation's. */
  async redrive(id: string): Promise<'redriven' | 'not_dead_lettered' | 'not_found'> {
    const { rows } = await sql<{ result: 'redriven' | 'not_dead_lettered' | null }>`SELECT guddu_outbox_redrive(${id}::uuid) AS result`.execute(this.tx.current());
    return rows[0]?.result ?? 'not_found';
  }
}
