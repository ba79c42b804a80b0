import type { ColumnType, Generated } from 'kysely';
import type { NotificationChannel, NotificationKind, Urgency } from './notification-kinds.js';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;
type OrgPath = ColumnType<string[], never, never>;

export interface NotificationsTable {
  id: Generated<string>;
  org_id: string;
  org_path: OrgPath;
  user_id: string;
  event_id: string;
  kind: NotificationKind;
  urgency: Urgency;
  subject_type: string;
  subject_id: string;
  params: ColumnType<Record<string, string | number>, string, string>;
  read_at: Date | null;
  dispatched_at: Date | null;
  created_at: CreatedAt;
}

export type DeliveryState = 'pending' | 'deferred' | 'sent' | 'failed' | 'skipped';

export interface NotificationDeliveriesTable {
  id: Generated<string>;
  notification_id: string;
  org_id: string;
  org_path: OrgPath;
  user_id: string;
  event_id: string;
  kind: NotificationKind;
  channel: NotificationChannel;
  state: ColumnType<DeliveryState, DeliveryState | undefined, DeliveryState>;
  not_before: Date | null;
  attempts: ColumnType<number, number | undefined, number>;
  reason: string | null;
  provider_ref: string | null;
  bounced_at: Date | null;
  sent_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface NotificationPreferencesTable {
  user_id: string;
  kind: NotificationKind;
  channel: NotificationChannel;
  enabled: boolean;
  updated_at: UpdatedAt;
}

export type DigestCadence = 'off' | 'daily' | 'weekly';

export interface NotificationSettingsTable {
  user_id: string;
  time_zone: ColumnType<string, string | undefined, string>;
  quiet_start: number | null;
  quiet_end: number | null;
  digest: ColumnType<DigestCadence, DigestCadence | undefined, DigestCadence>;
  phone_sealed: string | null;
  updated_at: UpdatedAt;
}

export interface NotificationMandatoryTable {
  org_id: string;
  org_path: OrgPath;
  kind: NotificationKind;
  channel: NotificationChannel;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface NotificationPushSubscriptionsTable {
  id: Generated<string>;
  user_id: string;
  endpoint_hash: string;
  subscription_sealed: string;
  created_at: CreatedAt;
}

export interface NotificationVapidKeysTable {
  id: number;
  public_key: string;
  private_key_sealed: string;
  created_at: CreatedAt;
}

export interface NotificationEmailBouncesTable {
  address: string;
  type: 'hard' | 'soft';
  reason: string;
  source: 'smtp' | 'webhook';
  bounces: ColumnType<number, number | undefined, number>;
  first_at: CreatedAt;
  last_at: UpdatedAt;
}

export interface NotificationAlertMarksTable {
  source: string;
  seen_until: Date;
}

declare module '../../platform/database/database.types.js' {
  interface Database {
    notifications: NotificationsTable;
    notification_deliveries: NotificationDeliveriesTable;
    notification_preferences: NotificationPreferencesTable;
    notification_settings: NotificationSettingsTable;
    notification_mandatory: NotificationMandatoryTable;
    notification_push_subscriptions: NotificationPushSubscriptionsTable;
    notification_vapid_keys: NotificationVapidKeysTable;
    notification_email_bounces: NotificationEmailBouncesTable;
    notification_alert_marks: NotificationAlertMarksTable;
  }
}
