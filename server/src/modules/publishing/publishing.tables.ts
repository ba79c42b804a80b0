import type { ColumnType, Generated } from 'kysely';

/** Set by trigger from the organisation tree at insert; never written by the application. */
type OrgPath = ColumnType<string[], never, never>;
type CreatedAt = ColumnType<Date, Date | undefined, never>;

export interface PublishingSuspensionsTable {
  id: Generated<string>;
  org_id: string;
  org_path: OrgPath;
  reason: string;
  suspended_by: string | null;
  suspended_at: CreatedAt;
  resumed_by: ColumnType<string | null, never, string>;
  resumed_at: ColumnType<Date | null, never, Date>;
}

export interface BlackoutDaysTable {
  id: Generated<string>;
  org_id: string;
  org_path: OrgPath;
  starts_on: string;
  ends_on: string;
  zone: string;
  starts_at: Date;
  ends_at: Date;
  reason: string;
  created_by: string | null;
  created_at: CreatedAt;
}

declare module '../../platform/database/database.types.js' {
  interface Database {
    publishing_suspensions: PublishingSuspensionsTable;
    blackout_days: BlackoutDaysTable;
  }
}
