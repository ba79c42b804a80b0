import { Injectable } from '@nestjs/common';
import { sql, type Selectable, type Updateable } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import type { DeliveryState } from './delivery-state.js';
import './deliveries.tables.js';
import type { DeliveriesTable, DeliveryAttemptsTable } from './deliveries.tables.js';

export type DeliveryRow = Selectable<DeliveriesTable>;
export type AttemptRow = Selectable<DeliveryAttemptsTable>;
export type DeliveryPatch = Omit<Updateable<DeliveriesTable>, 'id' | 'org_id' | 'message_id' | 'version' | 'channel_id' | 'idempotency_key' | 'created_at'>;

/** Advisory lock namespace of a delivery's lease: the one run allowed to call the network for it. */
const LEASE_SPACE = 710_013;

export interface NewDelivery {
  orgId: string;
  messageId: string;
  version: number;
  contentHash: string;
  channelId: string;
  network: string | null;
  idempotencyKey: string;
}

/** Deliveries and their attempts. RLS scopes request queries; the engine runs under the bypass. */
@Injectable()
export class DeliveriesRepository {
  constructor(private readonly tx: Transactor) {}

  private get db() {
    return this.tx.current();
  }

  /** Creates the missing ones; an event delivered twice creates nothing more. Returns all of them. */
  async insertMany(rows: NewDelivery[]): Promise<DeliveryRow[]> {
    if (rows.length === 0) return [];
    await this.db
      .insertInto('deliveries')
      .values(rows.map((r) => ({ org_id: r.orgId, message_id: r.messageId, version: r.version, content_hash: r.contentHash, channel_id: r.channelId, network: r.network, idempotency_key: r.idempotencyKey })))
      .onConflict((oc) => oc.columns(['message_id', 'version', 'channel_id']).doNothing())
      .execute();
    return this.db.selectFrom('deliveries').selectAll().where('idempotency_key', 'in', rows.map((r) => r.idempotencyKey)).orderBy('created_at').orderBy('id').execute();
  }

  async find(id: string, opts: { lock?: boolean } = {}): Promise<DeliveryRow | undefined> {
    let q = this.db.selectFrom('deliveries').selectAll().where('id', '=', id);
    if (opts.lock) q = q.forUpdate();
    return q.executeTakeFirst();
  }

  /**
   * The lease: held by the one run calling the network for this delivery, to the end of its
   * transaction. A second job for the same delivery (a duplicate, a stalled-job retry while the
   * first still runs) gets false and leaves; a killed worker's lease goes with its connection.
   */
  async tryLease(id: string): Promise<boolean> {
    const r = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${LEASE_SPACE}, hashtext(${id}::text)) AS ok`.execute(this.db);
    return r.rows[0]?.ok ?? false;
  }

  async update(id: string, patch: DeliveryPatch): Promise<DeliveryRow> {
    return this.db.updateTable('deliveries').set({ ...patch, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  }

  /** Moves it only if it is still in `from` (a concurrent change wins); undefined otherwise. */
  async move(id: string, from: readonly DeliveryState[], patch: DeliveryPatch): Promise<DeliveryRow | undefined> {
    return this.db.updateTable('deliveries').set({ ...patch, updated_at: new Date() }).where('id', '=', id).where('state', 'in', from).returningAll().executeTakeFirst();
  }

  /** Numbered after the last of its kind, in one statement (the run holds the lease: no other run numbers them). */
  async startAttempt(d: { id: string; orgId: string }, kind: AttemptRow['kind']): Promise<AttemptRow> {
    const next = this.db.selectFrom('delivery_attempts').select(sql<number>`coalesce(max(number), 0) + 1`.as('n')).where('delivery_id', '=', d.id).where('kind', '=', kind);
    return this.db.insertInto('delivery_attempts').values({ org_id: d.orgId, delivery_id: d.id, number: next, kind }).returningAll().executeTakeFirstOrThrow();
  }

  async endAttempt(id: string, end: { outcome: string; errorClass?: string | null; httpStatus?: number | null; vendorCode?: string | null; detail?: string | null }): Promise<AttemptRow> {
    return this.db
      .updateTable('delivery_attempts')
      .set({ ended_at: sql<Date>`clock_timestamp()` as never, outcome: end.outcome, error_class: end.errorClass ?? null, http_status: end.httpStatus ?? null, vendor_code: end.vendorCode ?? null, detail: end.detail?.slice(0, 2000) ?? null })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Attempts a killed run never ended: their outcome is lost (what reconcile then found is the next attempt). */
  async markLostAttempts(deliveryId: string): Promise<number> {
    const r = await this.db.updateTable('delivery_attempts').set({ ended_at: sql<Date>`clock_timestamp()` as never, outcome: 'lost' }).where('delivery_id', '=', deliveryId).where('outcome', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async forMessage(messageId: string): Promise<DeliveryRow[]> {
    return this.db.selectFrom('deliveries').selectAll().where('message_id', '=', messageId).orderBy('version', 'desc').orderBy('network').orderBy('created_at').execute();
  }

  async attemptsOf(deliveryIds: readonly string[]): Promise<AttemptRow[]> {
    if (deliveryIds.length === 0) return [];
    return this.db.selectFrom('delivery_attempts').selectAll().where('delivery_id', 'in', deliveryIds).orderBy('started_at').orderBy('number').execute();
  }

  async statesOf(messageId: string, version: number): Promise<DeliveryState[]> {
    const rows = await this.db.selectFrom('deliveries').select('state').where('message_id', '=', messageId).where('version', '=', version).execute();
    return rows.map((r) => r.state);
  }

  /** Withdrawn: what has not started is cancelled; a call already out, or one that may have landed (reconcile first), is left to the runner. */
  async cancelOpen(messageId: string, reason: string): Promise<DeliveryRow[]> {
    return this.db
      .updateTable('deliveries')
      .set({ state: 'cancelled', failure_class: 'cancelled', failure_reason: reason, next_attempt_at: null, updated_at: new Date() })
      .where('message_id', '=', messageId)
      .where('state', 'in', ['pending', 'held'])
      .where((eb) => eb.or([eb('failure_class', 'is', null), eb('failure_class', '!=', 'unknown_outcome')]))
      .returningAll()
      .execute();
  }

  /** Held by a suspension of this organisation or above, for its resume. */
  async heldBelow(orgId: string): Promise<DeliveryRow[]> {
    return this.db.selectFrom('deliveries').selectAll().where('state', '=', 'held').where(sql<boolean>`org_path @> ARRAY[${orgId}::uuid]`).orderBy('id').forUpdate().execute();
  }

  /** Open deliveries whose job may be missing (restore, lost Redis, a crash between commit and enqueue). */
  async openDue(before: Date, limit: number): Promise<DeliveryRow[]> {
    return this.db
      .selectFrom('deliveries')
      .selectAll()
      .where('state', 'in', ['pending', 'in_flight', 'unknown'])
      .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', before)]))
      .where('updated_at', '<', before)
      .orderBy('updated_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
  }
}
