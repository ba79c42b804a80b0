import type { ColumnType, Generated } from 'kysely';
import type { DeliveryState } from './delivery-state.js';

/** Set by trigger from the organisation tree at insert; never written by the application. */
type OrgPath = ColumnType<string[], never, never>;
type CreatedAt = ColumnType<Date, Date | undefined, never>;

export interface DeliveriesTable {
  id: Generated<string>;
  org_id: string;
  org_path: OrgPath;
  message_id: string;
  version: number;
  content_hash: string;
  channel_id: string;
  network: string | null;
  idempotency_key: string;
  state: ColumnType<DeliveryState, DeliveryState | undefined, DeliveryState>;
  attempts: ColumnType<number, number | undefined, number>;
  dispatch: ColumnType<number, number | undefined, number>;
  next_attempt_at: Date | null;
  first_call_at: Date | null;
  external_id: string | null;
  external_url: string | null;
  failure_class: string | null;
  failure_reason: string | null;
  held_by_suspension: string | null;
  retract_reason: string | null;
  published_at: Date | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface DeliveryAttemptsTable {
  id: Generated<string>;
  org_id: string;
  org_path: OrgPath;
  delivery_id: string;
  number: number;
  kind: 'publish' | 'reconcile' | 'retract';
  started_at: ColumnType<Date, Date | undefined, never>;
  ended_at: Date | null;
  outcome: string | null;
  error_class: string | null;
  http_status: number | null;
  vendor_code: string | null;
  detail: string | null;
}

export interface DeliveryRateLimitsTable {
  scope: string;
  bucket: string;
  remaining: number;
  reset_at: Date;
}

declare module '../../platform/database/database.types.js' {
  interface Database {
    deliveries: DeliveriesTable;
    delivery_attempts: DeliveryAttemptsTable;
    delivery_rate_limits: DeliveryRateLimitsTable;
  }
}
