import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Transactor } from '../database/transactor.js';
import type { EventEnvelope } from './events.types.js';
import type { RetryPolicy } from './outbox.repository.js';
import './outbox.tables.js';

export interface ParkedEvent {
  id: string;
  consumer: string;
  orgId: string;
  event: EventEnvelope;
  attempts: number;
}

export type Claim = 'claimed' | 'duplicate' | 'parked';

/**
 * A subscriber's dead letters and the events parked behind them (`event_dead_letters`,
 * migration 0009). Every method runs in Transactor.current(), as the connecting role: the table
 * is written by event delivery only (requests read it, and redrive or discard one row through
 * their functions).
 */
@Injectable()
export class ParkedEventsRepository {
  constructor(private readonly tx: Transactor) {}

  /**
   * One statement per delivery: when something of the event's aggregate is parked for this
   * consumer, the event is parked behind it (order per aggregate); otherwise the consumer claims
   * it in its dedup table ('duplicate' when it already had).
   */
  async claimOrPark(consumer: string, e: EventEnvelope): Promise<Claim> {
    const { rows } = await sql<{ parked: boolean; claimed: boolean }>`
      WITH blocked AS (
        SELECT EXISTS (SELECT 1 FROM event_dead_letters
                       WHERE consumer = ${consumer} AND aggregate_type = ${e.aggregateType} AND aggregate_id = ${e.aggregateId}) AS parked
      ), claim AS (
        INSERT INTO event_consumptions (consumer, event_id)
        SELECT ${consumer}, ${e.id}::uuid FROM blocked WHERE NOT blocked.parked
        ON CONFLICT DO NOTHING RETURNING 1
      ), park AS (
        INSERT INTO event_dead_letters (consumer, event_id, org_id, name, aggregate_type, aggregate_id, envelope, state)
        SELECT ${consumer}, ${e.id}::uuid, ${e.orgId}::uuid, ${e.name}, ${e.aggregateType}, ${e.aggregateId}, ${JSON.stringify(e)}::jsonb, 'pending'
        FROM blocked WHERE blocked.parked
        ON CONFLICT (consumer, event_id) DO NOTHING RETURNING 1
      )
      SELECT blocked.parked, EXISTS (SELECT 1 FROM claim) AS claimed FROM blocked`.execute(this.tx.current());
    const r = rows[0];
    return r?.parked ? 'parked' : r?.claimed ? 'claimed' : 'duplicate';
  }

  /** The consumer gave up on the event: a dead letter, ahead of anything parked later. */
  async deadLetter(consumer: string, e: EventEnvelope, attempts: number, error: string): Promise<void> {
    await this.tx
      .current()
      .insertInto('event_dead_letters')
      .values({
        consumer,
        event_id: e.id,
        org_id: e.orgId,
        name: e.name,
        aggregate_type: e.aggregateType,
        aggregate_id: e.aggregateId,
        envelope: JSON.stringify(e),
        state: 'dead',
        attempts,
        last_error: error.slice(0, 1000),
        dead_lettered_at: new Date(),
      })
      .onConflict((oc) => oc.columns(['consumer', 'event_id']).doNothing())
      .execute();
  }

  /** Pending rows due now that are first of their (consumer, aggregate), oldest first. */
  async dueHeads(limit: number): Promise<{ id: string; consumer: string; orgId: string }[]> {
    const { rows } = await sql<{ id: string; consumer: string; org_id: string }>`
      SELECT d.id, d.consumer, d.org_id FROM event_dead_letters d
      WHERE d.state = 'pending' AND d.next_attempt_at <= now()
        AND NOT EXISTS (SELECT 1 FROM event_dead_letters e
                        WHERE e.consumer = d.consumer AND e.aggregate_type = d.aggregate_type
                          AND e.aggregate_id = d.aggregate_id AND e.position < d.position)
      ORDER BY d.position LIMIT ${limit}`.execute(this.tx.current());
    return rows.map((r) => ({ id: r.id, consumer: r.consumer, orgId: r.org_id }));
  }

  /**
   * Locks a due pending row for its delivery, in the delivery's transaction; undefined when
   * another process has it or it changed meanwhile. No earlier row of its aggregate can appear
   * once it is a head: positions only grow.
   */
  async lockDue(id: string): Promise<ParkedEvent | undefined> {
    const { rows } = await sql<{ id: string; consumer: string; org_id: string; envelope: EventEnvelope; attempts: number }>`
      SELECT id, consumer, org_id, envelope, attempts FROM event_dead_letters
      WHERE id = ${id} AND state = 'pending' AND next_attempt_at <= now()
      FOR UPDATE SKIP LOCKED`.execute(this.tx.current());
    const r = rows[0];
    return r && { id: r.id, consumer: r.consumer, orgId: r.org_id, event: r.envelope, attempts: r.attempts };
  }

  async remove(id: string): Promise<void> {
    await this.tx.current().deleteFrom('event_dead_letters').where('id', '=', id).execute();
  }

  /** A failed redelivery: another attempt later, or at `maxAttempts` a dead letter again. */
  async markFailed(id: string, error: string, retry: RetryPolicy): Promise<{ attempts: number; deadLettered: boolean }> {
    const { rows } = await sql<{ attempts: number; dead: boolean }>`
      UPDATE event_dead_letters SET
        attempts = attempts + 1,
        last_error = ${error.slice(0, 1000)},
        state = CASE WHEN attempts + 1 >= ${retry.maxAttempts}::int THEN 'dead' ELSE 'pending' END,
        dead_lettered_at = CASE WHEN attempts + 1 >= ${retry.maxAttempts}::int THEN now() END,
        next_attempt_at = now() + make_interval(secs => least(${retry.maxMs}::float8, ${retry.baseMs}::float8 * power(2, least(attempts, 40))) / 1000)
      WHERE id = ${id} AND state = 'pending'
      RETURNING attempts, state = 'dead' AS dead`.execute(this.tx.current());
    return { attempts: rows[0]?.attempts ?? 0, deadLettered: rows[0]?.dead ?? false };
  }

  /**
   * Deletes up to `limit` subscriber dead letters from before `before`, as a discard does:
   * recorded as consumed, and the events parked behind them go on. Returns what it deleted.
   */
  async pruneDead(before: Date, limit: number): Promise<{ id: string; consumer: string; name: string; orgId: string }[]> {
    const { rows } = await sql<{ id: string; consumer: string; name: string; org_id: string }>`
      WITH gone AS (
        DELETE FROM event_dead_letters WHERE id IN (
          SELECT id FROM event_dead_letters WHERE state = 'dead' AND dead_lettered_at < ${before} ORDER BY dead_lettered_at LIMIT ${limit})
        RETURNING id, consumer, event_id, name, org_id
      ), consumed AS (
        INSERT INTO event_consumptions (consumer, event_id) SELECT consumer, event_id FROM gone ON CONFLICT DO NOTHING
      )
      SELECT id, consumer, name, org_id FROM gone`.execute(this.tx.current());
    return rows.map((r) => ({ id: r.id, consumer: r.consumer, name: r.name, orgId: r.org_id }));
  }

  /** Dead letters of every tenant, and the events parked behind them. */
  async counts(): Promise<{ dead: number; parked: number }> {
    const { rows } = await sql<{ dead: number; parked: number }>`
      SELECT count(*) FILTER (WHERE state = 'dead')::int AS dead, count(*) FILTER (WHERE state = 'pending')::int AS parked
      FROM event_dead_letters`.execute(this.tx.current());
    return { dead: rows[0]?.dead ?? 0, parked: rows[0]?.parked ?? 0 };
  }
}
