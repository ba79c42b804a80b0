import type { ColumnType } from 'kysely';
import type { ChannelStatus, Network } from '../publishing/channel-access.port.js';

/** Set by trigger from the organisation tree at insert; never written by the application. */
type OrgPath = ColumnType<string[], never, never>;
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;
type Json<T> = ColumnType<T, string | undefined, string>;

export interface ChannelsTable {
  id: ColumnType<string, string, never>;
  org_id: ColumnType<string, string, never>;
  org_path: OrgPath;
  network: ColumnType<Network, Network, never>;
  account_id: ColumnType<string, string, never>;
  handle: string | null;
  display_name: string;
  base_url: ColumnType<string, string, never>;
  language: string | null;
  sandbox: ColumnType<boolean, boolean, never>;
  status: Defaulted<ChannelStatus>;
  access_token_sealed: string | null;
  refresh_token_sealed: string | null;
  access_expires_at: Date | null;
  refresh_expires_at: Date | null;
  scopes: Defaulted<string[]>;
  extra: Json<Record<string, string>>;
  last_refreshed_at: Date | null;
  last_error: string | null;
  last_error_at: Date | null;
  allowed_user_ids: Defaulted<string[]>;
  allowed_roles: Defaulted<string[]>;
  shared_with_subtree: Defaulted<boolean>;
  connected_by: string | null;
  revision: Defaulted<number>;
  created_at: CreatedAt;
  updated_at: Defaulted<Date>;
}

/** An account found at the network during a connect, before it is added. Never a secret. */
export interface Candidate {
  accountId: string;
  handle: string | null;
  displayName: string;
}

export interface ChannelConnectAttemptsTable {
  id: ColumnType<string, string, never>;
  org_id: ColumnType<string, string, never>;
  org_path: OrgPath;
  user_id: ColumnType<string, string, never>;
  session_id: ColumnType<string, string, never>;
  network: ColumnType<Network, Network, never>;
  base_url: ColumnType<string, string, never>;
  sandbox: ColumnType<boolean, boolean, never>;
  state_hash: ColumnType<string, string, never>;
  pkce_verifier_sealed: ColumnType<string | null, string | null, never>;
  redirect_uri: ColumnType<string, string, never>;
  expires_at: ColumnType<Date, Date, never>;
  used_at: Date | null;
  candidates: ColumnType<Candidate[] | null, never, string | null>;
  candidates_sealed: string | null;
  completed_at: Date | null;
  created_at: CreatedAt;
}

export interface MastodonAppsTable {
  base_url: string;
  redirect_uri: string;
  client_id: string;
  client_secret_sealed: string;
  scopes: string;
  created_at: CreatedAt;
}

declare module '../../platform/database/database.types.js' {
  interface Database {
    channels: ChannelsTable;
    channel_connect_attempts: ChannelConnectAttemptsTable;
    mastodon_apps: MastodonAppsTable;
  }
}
