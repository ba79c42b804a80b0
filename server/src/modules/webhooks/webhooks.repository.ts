import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Selectable } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import type { WebhookAttemptsTable, WebhookDeliveriesTable, WebhookDeliveryState, WebhooksTable } from './webhooks.tables.js';

export type WebhookRow = Omit<Selectable<WebhooksTable>, 'org_path'>;
export type DeliveryRow = Omit<Selectable<WebhookDeliveriesTable>, 'org_path'>;
export type AttemptRow = Omit<Selectable<WebhookAttemptsTable>, 'org_path'>;

const HOOK = ['id', 'org_id', 'url', 'description', 'events', 'enabled', 'secret_sealed', 'disabled_reason', 'disabled_at', 'consecutive_failures', 'failing_since', 'created_by', 'revision', 'created_at', 'updated_at'] as const;
const DELIVERY = ['id', 'org_id', 'webhook_id', 'event_id', 'event_name', 'body', 'state', 'attempts', 'next_attempt_at', 'lease_until', 'created_at', 'updated_at'] as const;
const ATTEMPT = ['id', 'org_id', 'delivery_id', 'number', 'trigger', 'started_at', 'duration_ms', 'succeeded', 'status_code', 'error', 'response_body'] as const;

/**
 * Webhooks, their deliveries and attempts. Under a tenant, row-level security limits every
 * statement to the organisation's subtree; the sender runs under the bypass and passes ids.
 */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly tx: Transactor) {}

  private get db() {
    return this.tx.current();
  }

  insert(row: Insertable<WebhooksTable>): Promise<WebhookRow> {
    return this.db.insertInto('webhooks').values(row).returning(HOOK).executeTakeFirstOrThrow();
  }

  find(id: string): Promise<WebhookRow | undefined> {
    return this.db.selectFrom('webhooks').select(HOOK).where('id', '=', id).executeTakeFirst();
  }

  lock(id: string): Promise<WebhookRow | undefined> {
    return this.db.selectFrom('webhooks').select(HOOK).where('id', '=', id).forUpdate().executeTakeFirst();
  }

  listOf(orgId: string): Promise<WebhookRow[]> {
    return this.db.selectFrom('webhooks').select(HOOK).where('org_id', '=', orgId).orderBy('created_at').orderBy('id').execute();
  }

  /** Enabled webhooks of the organisation that existed when the event happened (a replayed stream never reaches a newer one). */
  enabledAt(orgId: string, occurredAt: Date): Promise<WebhookRow[]> {
    return this.db.selectFrom('webhooks').select(HOOK).where('org_id', '=', orgId).where('enabled', '=', true).where('created_at', '<=', occurredAt).execute();
  }

  update(id: string, set: Partial<Pick<WebhookRow, 'url' | 'description' | 'events' | 'enabled' | 'secret_sealed' | 'disabled_reason' | 'disabled_at' | 'consecutive_failures' | 'failing_since'>>): Promise<WebhookRow | undefined> {
    return this.db
      .updateTable('webhooks')
      .set({ ...set, revision: sql<number>`revision + 1`, updated_at: new Date() })
      .where('id', '=', id)
      .returning(HOOK)
      .executeTakeFirst();
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }

  allSealed(): Promise<{ id: string; secret_sealed: string }[]> {
    return this.db.selectFrom('webhooks').select(['id', 'secret_sealed']).forUpdate().execute();
  }

  async reseal(id: string, sealed: string): Promise<void> {
    await this.db.updateTable('webhooks').set({ secret_sealed: sealed }).where('id', '=', id).execute();
  }

  /** One per (webhook, event): undefined when this event already reached this webhook. */
  insertDelivery(row: Insertable<WebhookDeliveriesTable>): Promise<DeliveryRow | undefined> {
    return this.db
      .insertInto('webhook_deliveries')
      .values(row)
      .onConflict((oc) => oc.columns(['webhook_id', 'event_id']).doNothing())
      .returning(DELIVERY)
      .executeTakeFirst();
  }

  findDelivery(id: string): Promise<DeliveryRow | undefined> {
    return this.db.selectFrom('webhook_deliveries').select(DELIVERY).where('id', '=', id).executeTakeFirst();
  }

  /**
   * Takes the lease for attempt `number` of a pending delivery whose lease is free: one caller
   * wins, a stale job (another attempt recorded meanwhile) or a second worker finds nothing.
   */
  claim(id: string, number: number, leaseMs: number): Promise<DeliveryRow | undefined> {
    return this.db
      .updateTable('webhook_deliveries')
      .set({ lease_until: sql<Date>`now() + ${`${leaseMs} milliseconds`}::interval`, updated_at: new Date() })
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .where('attempts', '=', number - 1)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', sql<Date>`now()`)]))
      .returning(DELIVERY)
      .executeTakeFirst();
  }

  /** Settles a delivery; with `expectedAttempts`, only if no other attempt was recorded meanwhile. */
  settle(id: string, set: { state: WebhookDeliveryState; attempts: number; nextAttemptAt: Date | null }, expectedAttempts?: number): Promise<DeliveryRow | undefined> {
    let q = this.db
      .updateTable('webhook_deliveries')
      .set({ state: set.state, attempts: set.attempts, next_attempt_at: set.nextAttemptAt, lease_until: null, updated_at: new Date() })
      .where('id', '=', id);
    if (expectedAttempts !== undefined) q = q.where('attempts', '=', expectedAttempts).where('state', '=', 'pending');
    return q.returning(DELIVERY).executeTakeFirst();
  }

  /** A redelivery: pending again, due now, with the attempt count it has. */
  reopen(id: string): Promise<DeliveryRow | undefined> {
    return this.db
      .updateTable('webhook_deliveries')
      .set({ state: 'pending', next_attempt_at: new Date(), lease_until: null, updated_at: new Date() })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('state', '!=', 'pending'), eb('lease_until', 'is', null), eb('lease_until', '<', sql<Date>`now()`)]))
      .returning(DELIVERY)
      .executeTakeFirst();
  }

  /** Pending deliveries due this long ago and not leased: their job was lost. */
  overdue(before: Date, limit: number): Promise<DeliveryRow[]> {
    return this.db
      .selectFrom('webhook_deliveries')
      .select(DELIVERY)
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<', before)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', sql<Date>`now()`)]))
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
  }

  async insertAttempt(row: Insertable<WebhookAttemptsTable>): Promise<AttemptRow> {
    return this.db.insertInto('webhook_attempts').values(row).returning(ATTEMPT).executeTakeFirstOrThrow();
  }

  listDeliveries(webhookId: string, limit: number, before?: Date): Promise<DeliveryRow[]> {
    let q = this.db.selectFrom('webhook_deliveries').select(DELIVERY).where('webhook_id', '=', webhookId);
    if (before) q = q.where('created_at', '<', before);
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  attemptsOf(deliveryIds: readonly string[]): Promise<AttemptRow[]> {
    if (deliveryIds.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('webhook_attempts').select(ATTEMPT).where('delivery_id', 'in', [...deliveryIds]).orderBy('delivery_id').orderBy('number').execute();
  }
}
