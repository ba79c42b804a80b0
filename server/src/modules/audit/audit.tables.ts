import type { ColumnType } from 'kysely';

export interface AuditEventsTable {
  id: string;
  org_id: string;
  seq: ColumnType<number | null, never, number>;
  occurred_at: Date;
  actor_type: 'user' | 'system';
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: ColumnType<unknown, string | null, never>;
  after: ColumnType<unknown, string | null, never>;
  ip: string | null;
  user_agent: string | null;
  correlation_id: string | null;
  prev_hash: ColumnType<string | null, never, string>;
  hash: ColumnType<string | null, never, string>;
  /** xid8, read as text. */
  txid: ColumnType<string | null, never, never>;
  no: ColumnType<number, never, never>;
  content_hash: ColumnType<string | null, never, never>;
  chained_at: ColumnType<Date | null, never, never>;
}

export interface AuditChainHeadsTable {
  org_id: string;
  seq: ColumnType<number>;
  hash: string;
}

declare module '../../platform/database/database.types.js' {
  interface Database {
    audit_events: AuditEventsTable;
    audit_chain_heads: AuditChainHeadsTable;
  }
}
