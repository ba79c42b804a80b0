import type { ColumnType, Generated } from 'kysely';
import type { MessageStatus } from './message-status.js';

/** Set by trigger from the organisation tree at insert; never written by the application. */
type OrgPath = ColumnType<string[], never, never>;
type CreatedAt = ColumnType<Date, Date | undefined, never>;

export interface CampaignsTable {
  id: Generated<string>;
  org_id: ColumnType<string, string, never>;
  org_path: OrgPath;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  starts_on: string | null;
  ends_on: string | null;
  archived_at: Date | null;
  created_by: ColumnType<string | null, string | null, never>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface MessagesTable {
  id: Generated<string>;
  org_id: ColumnType<string, string, never>;
  org_path: OrgPath;
  campaign_id: string | null;
  title: string;
  status: ColumnType<MessageStatus, MessageStatus | undefined, MessageStatus>;
  revision: ColumnType<number, number | undefined, number>;
  version: ColumnType<number, number | undefined, number>;
  content_hash: string;
  languages: string[];
  channels: string[];
  tags: ColumnType<string[], string[] | undefined, string[]>;
  notes: ColumnType<string, string | undefined, string>;
  scheduled_at: Date | null;
  /** `timestamp without time zone`: read back as text (see database.ts type parsers) or Date. */
  schedule_local: ColumnType<string | null, string | null, string | null>;
  schedule_zone: string | null;
  embargo_until: Date | null;
  review_policy: ColumnType<unknown, string | null, string | null>;
  review_round: ColumnType<number, number | undefined, number>;
  submitted_by: string | null;
  submitted_at: Date | null;
  approved_at: Date | null;
  approved_hash: string | null;
  schedule_entry_id: string | null;
  schedule_key: string | null;
  held_by_suspension: string | null;
  held_reason: 'suspended' | 'late_approval' | 'blackout' | null;
  publishing_started_at: Date | null;
  status_reason: string | null;
  created_by: ColumnType<string | null, string | null, never>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface MessageVersionsTable {
  message_id: string;
  number: number;
  org_id: string;
  org_path: OrgPath;
  content: ColumnType<object, string, never>;
  content_hash: string;
  restored_from: number | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface MessageTextsTable {
  message_id: string;
  language: string;
  channel: ColumnType<string, string | undefined, string>;
  org_id: string;
  org_path: OrgPath;
  body: string;
  tsv: ColumnType<string | null, never, never>;
}

export interface MessageWordsTable {
  org_id: string;
  org_path: OrgPath;
  word: string;
}

export interface MessageCommentsTable {
  id: Generated<string>;
  message_id: string;
  org_id: string;
  org_path: OrgPath;
  author_id: string | null;
  body: string;
  version: number;
  created_at: CreatedAt;
}

export interface ApprovalPoliciesTable {
  org_id: string;
  org_path: OrgPath;
  stages: ColumnType<object, string, string>;
  allow_self_approval: boolean;
  late_approval: 'publish_now' | 'hold' | 'expire';
  expire_after_days: number | null;
  revision: ColumnType<number, number | undefined, number>;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface MessageApprovalsTable {
  id: Generated<string>;
  message_id: string;
  org_id: string;
  org_path: OrgPath;
  review_round: number;
  stage: number;
  language: string | null;
  decision: 'approved' | 'changes_requested';
  approver_id: string;
  version: number;
  content_hash: string;
  comment: ColumnType<string, string | undefined, never>;
  invalidated_at: ColumnType<Date | null, never, Date>;
  created_at: CreatedAt;
}

declare module '../../platform/database/database.types.js' {
  interface Database {
    campaigns: CampaignsTable;
    messages: MessagesTable;
    message_versions: MessageVersionsTable;
    message_texts: MessageTextsTable;
    message_words: MessageWordsTable;
    message_comments: MessageCommentsTable;
    approval_policies: ApprovalPoliciesTable;
    message_approvals: MessageApprovalsTable;
  }
}
