import type { ColumnType, Generated } from 'kysely';

export type CommentKind = 'comment' | 'mention';
export type CommentSentiment = 'positive' | 'negative' | 'neutral' | 'unsupported';
export type SpikeKind = 'volume' | 'negative_share';
export type SpikeSeverity = 'warning' | 'critical';

/** Comments, replies and mentions (migration 0023); written by the system, unique per network id. */
export interface ListeningCommentsTable {
  id: Generated<string>;
  org_id: string;
  org_path: Generated<string[]>;
  channel_id: string;
  network: string;
  external_id: string;
  parent_external_id: string | null;
  delivery_id: string | null;
  message_id: string | null;
  kind: CommentKind;
  body: string;
  author_handle: string | null;
  author_cleared_at: Date | null;
  published_at: Date;
  ingested_at: Generated<Date>;
  lang: string;
  sentiment: CommentSentiment;
  sentiment_score: number | null;
  sentiment_method: string;
  tsv: ColumnType<string | null, never, never>;
}

export interface ListeningCursorsTable {
  scope: string;
  org_id: string;
  org_path: Generated<string[]>;
  cursor: string | null;
  polled_at: Date | null;
  next_poll_at: Generated<Date>;
  last_error: string | null;
}

export interface ListeningSettingsTable {
  org_id: string;
  org_path: Generated<string[]>;
  spike_k: number;
  negative_jump: number;
  min_comments: number;
  updated_at: Generated<Date>;
}

export interface ListeningSpikeAlertsTable {
  id: Generated<string>;
  org_id: string;
  org_path: Generated<string[]>;
  message_id: string | null;
  kind: SpikeKind;
  severity: SpikeSeverity;
  window_start: Date;
  observed: number;
  baseline: number;
  threshold: number;
  evidence: ColumnType<SpikeEvidence, string, string>;
  created_at: Generated<Date>;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
}

export interface SpikeEvidence {
  samples: Array<{ id: string; network: string; body: string; sentiment: CommentSentiment; publishedAt: string }>;
  terms: Array<{ term: string; count: number }>;
  networks: Array<{ network: string; count: number }>;
  hourly: number[];
  negativeShare: { lastHour: number; baseline: number };
}

declare module '../../platform/database/database.types.js' {
  interface Database {
    listening_comments: ListeningCommentsTable;
    listening_cursors: ListeningCursorsTable;
    listening_settings: ListeningSettingsTable;
    listening_spike_alerts: ListeningSpikeAlertsTable;
  }
}
