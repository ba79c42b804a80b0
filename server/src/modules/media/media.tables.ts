import type { ColumnType, Generated } from 'kysely';

/** Set by trigger from the organisation tree at insert; never written by the application. */
type OrgPath = ColumnType<string[], never, never>;
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export type AssetKind = 'image' | 'video';
export type AssetStatus = 'processing' | 'ready' | 'failed' | 'cancelled';

/** Whether a network can take a rendition, and if not, why (in words a person understands). */
export type NetworkFit = Record<string, { ok: boolean; reasons: string[] }>;

export interface MediaFoldersTable {
  id: Generated<string>;
  org_id: ColumnType<string, string, never>;
  org_path: OrgPath;
  parent_id: string | null;
  name: string;
  shared_with_subtree: Defaulted<boolean>;
  created_by: ColumnType<string | null, string | null, never>;
  created_at: CreatedAt;
}

export interface MediaAssetsTable {
  id: Generated<string>;
  org_id: ColumnType<string, string, never>;
  org_path: OrgPath;
  folder_id: string | null;
  kind: ColumnType<AssetKind, AssetKind, never>;
  mime: ColumnType<string, string, never>;
  bytes: ColumnType<string, number, never>;
  sha256: ColumnType<string, string, never>;
  storage_key: ColumnType<string, string, never>;
  original_name: ColumnType<string, string | undefined, never>;
  status: Defaulted<AssetStatus>;
  stage: Defaulted<string>;
  progress: Defaulted<number>;
  failure: string | null;
  width: number | null;
  height: number | null;
  duration_ms: number | null;
  probe: ColumnType<unknown, string | null, string | null> | null;
  blurhash: string | null;
  dominant_color: string | null;
  title: Defaulted<string>;
  alt_text: ColumnType<Record<string, string>, string | undefined, string>;
  caption: Defaulted<string>;
  credit: Defaulted<string>;
  copyright: Defaulted<string>;
  tags: Defaulted<string[]>;
  usage_rights: Defaulted<string>;
  expires_at: Date | null;
  focal_x: Defaulted<number>;
  focal_y: Defaulted<number>;
  keep_metadata: Defaulted<boolean>;
  want_vertical: Defaulted<boolean>;
  shared_with_subtree: Defaulted<boolean>;
  created_by: ColumnType<string | null, string | null, never>;
  created_at: CreatedAt;
  updated_at: Defaulted<Date>;
  search: ColumnType<string | null, never, never>;
}

export interface MediaRenditionsTable {
  asset_id: string;
  name: string;
  org_id: ColumnType<string, string, never>;
  org_path: OrgPath;
  mime: string;
  width: number | null;
  height: number | null;
  bytes: ColumnType<string, number, number>;
  duration_ms: number | null;
  storage_key: string;
  networks: ColumnType<NetworkFit, string, string>;
  created_at: CreatedAt;
}

declare module '../../platform/database/database.types.js' {
  interface Database {
    media_folders: MediaFoldersTable;
    media_assets: MediaAssetsTable;
    media_renditions: MediaRenditionsTable;
  }
}
