import type { ColumnType } from 'kysely';

/** Set by trigger from the organisation tree at insert; never written by the application. */
type OrgPath = ColumnType<string[], never, never>;
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export type WebhookDeliveryState = 'pending' | 'succeeded' | 'failed' | 'skipped';
export type WebhookAttemptTrigger = 'event' | 'retry' | 'redelivery' | 'ping';

export interface WebhooksTable {
  id: ColumnType<string, string, never>;
  org_id: ColumnType<string, string, never>;
  org_path: OrgPath;
  url: string;
  description: Defaulted<string>;
  events: string[];
  enabled: Defaulted<boolean>;
  secret_sealed: string;
  disabled_reason: string | null;
  disabled_at: Date | null;
  consecutive_failures: Defaulted<number>;
  failing_since: Date | null;
  created_by: ColumnType<string | null, string | null, never>;
  revision: Defaulted<number>;
  created_at: CreatedAt;
  updated_at: Defaulted<Date>;
}

export interface WebhookDeliveriesTable {
  id: ColumnType<string, string | undefined, never>;
  org_id: ColumnType<string, string, never>;
  org_path: OrgPath;
  webhook_id: ColumnType<string, string, never>;
  event_id: ColumnType<string, string, never>;
  event_name: ColumnType<string, string, never>;
  body: ColumnType<string, string, never>;
  state: Defaulted<WebhookDeliveryState>;
  attempts: Defaulted<number>;
  next_attempt_at: Date | null;
  lease_until: Date | null;
  created_at: CreatedAt;
  updated_at: Defaulted<Date>;
}

export interface WebhookAttemptsTable {
  id: ColumnType<string, string | undefined, never>;
  org_id: ColumnType<string, string, never>;
  org_path: OrgPath;
  delivery_id: ColumnType<string, string, never>;
  number: ColumnType<number, number, never>;
  trigger: ColumnType<WebhookAttemptTrigger, WebhookAttemptTrigger, never>;
  started_at: ColumnType<Date, Date, never>;
  duration_ms: ColumnType<number, number, never>;
  succeeded: ColumnType<boolean, boolean, never>;
  status_code: ColumnType<number | null, number | null, never>;
  error: ColumnType<string | null, string | null, never>;
  response_body: ColumnType<string | null, string | null, never>;
}

declare module '../../platform/database/database.types.js' {
  interface Database {
    webhooks: WebhooksTable;
    webhook_deliveries: WebhookDeliveriesTable;
    webhook_attempts: WebhookAttemptsTable;
  }
}
