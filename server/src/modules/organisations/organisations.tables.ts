import type { ColumnType, Generated } from 'kysely';

export type OrganisationKind = 'ministry' | 'division' | 'mission' | 'other';

export interface OrganisationsTable {
  id: Generated<string>;
  parent_id: string | null;
  /** Ids from the root down to the parent; maintained by a trigger. */
  ancestry: ColumnType<string[], never, never>;
  name: string;
  kind: ColumnType<OrganisationKind, OrganisationKind | undefined, OrganisationKind>;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

declare module '../../platform/database/database.types.js' {
  interface Database {
    organisations: OrganisationsTable;
  }
}
