import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Transactor } from '../database/transactor.js';
import type { EventEnvelope, EventName } from './events.types.js';
import './outbox.tables.js';

export interface OutboxRow extends EventEnvelope {
  position: number;
}

/** Between attempts an event waits `baseMs` doubling up to `maxMs`; after `maxAttempts` it is dead-lettered. */
export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

type Row = {
  position: number;
  id: string;
  name: string;
  org_id: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: unknown;
  correlation_id: string | null;
  occurred_at: Date;
};
const toEnvelope = (r: Row): OutboxRow => ({
  position: r.position,
  id: r.id,
  name: r.name as EventName,
  orgId: r.org_id,
  aggregateType: r.aggregate_type,
  aggregateId: r.aggregate_id,
  correlationId: r.correlation_id,
  occurredAt: r.occurred_at.toISOString(),
  payload: r.payload as never,
});

/** The outbox table and the consumers' dedup table. Every method runs in Transactor.current(). */
@Injectable()
export class OutboxRepository {
  constructor(private readonly tx: Transactor) {}

  async append(e: Omit<EventEnvelope, 'occurredAt'>): Promise<void> {
    await this.tx
      .current()
      .insertInto('outbox_events')
      .values({
        id: e.id,
        name: e.name,
        org_id: e.orgId,
        aggregate_type: e.aggregateType,
        aggregate_id: e.aggregateId,
        payload: JSON.stringify(e.payload),
        correlation_id: e.correlationId,
      })
      .execute();
  }

  /**
   * Locks the next batch to publish, in position order. Step 1 locks the first unpublished event
   * of up to `aggregates` aggregates (an event with an earlier unpublished one in its aggregate
   * is never a head; SKIP LOCKED leaves other relays' heads alone). Holding an aggregate's head
   * locks the aggregate: no other relay can claim its later events until this transaction
   * commits. Step 2, a new statement (so a fresh snapshot), takes those later events too.
   * A dead-lettered event is never a head, and being unpublished it still holds back the rest of
   * its aggregate: nothing of that aggregate goes until it is redriven.
   */
  async claimBatch(aggregates: number, limit: number): Promise<OutboxRow[]> {
    const trx = this.tx.current();
    const heads = await sql<{ aggregate_type: string; aggregate_id: string }>`
      SELECT o.aggregate_type, o.aggregate_id FROM outbox_events o
      WHERE o.published_at IS NULL AND o.next_attempt_at <= now() AND o.dead_lettered_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM outbox_events e
                        WHERE e.published_at IS NULL AND e.aggregate_type = o.aggregate_type
                          AND e.aggregate_id = o.aggregate_id AND e.position < o.position)
      ORDER BY o.position LIMIT ${aggregates}
      FOR UPDATE SKIP LOCKED`.execute(trx);
    if (heads.rows.length === 0) return [];
    const types = heads.rows.map((h) => h.aggregate_type);
    const ids = heads.rows.map((h) => h.aggregate_id);
    const { rows } = await sql<Row>`
      SELECT position, id, name, org_id, aggregate_type, aggregate_id, payload, correlation_id, occurred_at
      FROM outbox_events
      WHERE published_at IS NULL
        AND (aggregate_type, aggregate_id) IN (SELECT * FROM unnest(${types}::text[], ${ids}::text[]))
      ORDER BY position LIMIT ${limit}
      FOR UPDATE`.execute(trx);
    return rows.map(toEnvelope);
  }

  /**
   * The events of aggregates this transaction already holds (claimBatch locked their heads) that
   * committed since: unpublished, not among those it handed over, in position order.
   */
  async claimFollowing(aggregates: { aggregateType: string; aggregateId: string; positions: number[] }[], limit: number): Promise<OutboxRow[]> {
    if (aggregates.length === 0 || limit <= 0) return [];
    const types = aggregates.map((a) => a.aggregateType);
    const ids = aggregates.map((a) => a.aggregateId);
    const handed = aggregates.flatMap((a) => a.positions);
    const { rows } = await sql<Row>`
      SELECT position, id, name, org_id, aggregate_type, aggregate_id, payload, correlation_id, occurred_at
      FROM outbox_events
      WHERE published_at IS NULL AND dead_lettered_at IS NULL AND NOT (position = ANY(${handed}::bigint[]))
        AND (aggregate_type, aggregate_id) IN (SELECT * FROM unnest(${types}::text[], ${ids}::text[]))
      ORDER BY position LIMIT ${limit}
      FOR UPDATE`.execute(this.tx.current());
    return rows.map(toEnvelope);
  }

  async markPublished(positions: number[]): Promise<void> {
    if (positions.length === 0) return;
    await this.tx.current().updateTable('outbox_events').set({ published_at: new Date() }).where('position', 'in', positions).execute();
  }

  /**
   * A failed delivery of this event (and with it the rest of its aggregate): one more attempt,
   * then a wait of `baseMs · 2^(attempts-1)` up to `maxMs`, or, at `maxAttempts`, the dead letter.
   */
  async markFailed(position: number, error: string, retry: RetryPolicy): Promise<{ attempts: number; deadLettered: boolean }> {
    const { rows } = await sql<{ attempts: number; dead_lettered: boolean }>`
      UPDATE outbox_events SET
        attempts = attempts + 1,
        last_error = ${error.slice(0, 1000)},
        dead_lettered_at = CASE WHEN attempts + 1 >= ${retry.maxAttempts}::int THEN now() END,
        next_attempt_at = now() + make_interval(secs => least(${retry.maxMs}::float8, ${retry.baseMs}::float8 * power(2, least(attempts, 40))) / 1000)
      WHERE position = ${position}
      RETURNING attempts, dead_lettered_at IS NOT NULL AS dead_lettered`.execute(this.tx.current());
    return { attempts: rows[0]?.attempts ?? 0, deadLettered: rows[0]?.dead_lettered ?? false };
  }

  /**
   * Unpublished events still in line (how many, how long the oldest has waited: those held back
   * behind a dead letter included), and dead-lettered events, of every tenant.
   */
  async backlog(): Promise<{ count: number; oldestAgeSeconds: number; deadLettered: number }> {
    const { rows } = await sql<{ count: number; age: number | null; dead: number }>`
      SELECT count(*) FILTER (WHERE dead_lettered_at IS NULL)::int AS count,
             extract(epoch FROM now() - min(occurred_at) FILTER (WHERE dead_lettered_at IS NULL))::float8 AS age,
             count(*) FILTER (WHERE dead_lettered_at IS NOT NULL)::int AS dead
      FROM outbox_events WHERE published_at IS NULL`.execute(this.tx.current());
    return { count: rows[0]?.count ?? 0, oldestAgeSeconds: rows[0]?.age ?? 0, deadLettered: rows[0]?.dead ?? 0 };
  }

  /** Records that `consumer` processed `eventId`; false when it already had. */
  async claimConsumption(consumer: string, eventId: string): Promise<boolean> {
    const res = await this.tx
      .current()
      .insertInto('event_consumptions')
      .values({ consumer, event_id: eventId })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  /**
   * Deletes up to `limit` events published before `before`, and dedup rows older than
   * `consumedBefore` (which must be older than anything a transport can still redeliver).
   */
  async prune(before: Date, consumedBefore: Date, limit: number): Promise<{ events: number; consumptions: number }> {
    const trx = this.tx.current();
    const events = await sql`
      DELETE FROM outbox_events WHERE position IN (
        SELECT position FROM outbox_events WHERE published_at < ${before} ORDER BY published_at LIMIT ${limit})`.execute(trx);
    const consumptions = await sql`
      DELETE FROM event_consumptions WHERE (consumer, event_id) IN (
        SELECT consumer, event_id FROM event_consumptions WHERE processed_at < ${consumedBefore} LIMIT ${limit})`.execute(trx);
    return { events: Number(events.numAffectedRows ?? 0), consumptions: Number(consumptions.numAffectedRows ?? 0) };
  }

  /**
   * Deletes up to `limit` events dead-lettered before `before`, as a discard does: never
   * published, and the later events of their aggregates go on. Returns what it deleted.
   */
  async pruneDeadLetters(before: Date, limit: number): Promise<{ id: string; name: string; orgId: string }[]> {
    const { rows } = await sql<{ id: string; name: string; org_id: string }>`
      DELETE FROM outbox_events WHERE position IN (
        SELECT position FROM outbox_events WHERE dead_lettered_at < ${before} ORDER BY dead_lettered_at LIMIT ${limit})
      RETURNING id, name, org_id`.execute(this.tx.current());
    return rows.map((r) => ({ id: r.id, name: r.name, orgId: r.org_id }));
  }
}
