import { Injectable } from '@nestjs/common';
import { sql, type Selectable } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import type { AssetKind, AssetStatus, MediaAssetsTable, MediaRenditionsTable, NetworkFit } from './media.tables.js';

export type AssetRow = Omit<Selectable<MediaAssetsTable>, 'search' | 'org_path'>;
export type RenditionRow = Omit<Selectable<MediaRenditionsTable>, 'org_path'>;

const ASSET_COLUMNS = [
  'id', 'org_id', 'folder_id', 'kind', 'mime', 'bytes', 'sha256', 'storage_key', 'original_name', 'status', 'stage', 'progress', 'failure',
  'width', 'height', 'duration_ms', 'probe', 'blurhash', 'dominant_color', 'title', 'alt_text', 'caption', 'credit', 'copyright', 'tags',
  'usage_rights', 'expires_at', 'focal_x', 'focal_y', 'keep_metadata', 'want_vertical', 'shared_with_subtree', 'created_by', 'created_at', 'updated_at',
] as const;
const RENDITION_COLUMNS = ['asset_id', 'name', 'org_id', 'mime', 'width', 'height', 'bytes', 'duration_ms', 'storage_key', 'networks', 'created_at'] as const;

export interface AssetFilter {
  q?: string | undefined;
  kind?: AssetKind | undefined;
  folderId?: string | undefined;
  tag?: string | undefined;
  status?: AssetStatus | undefined;
  /** Only assets of this organisation (not its subtree, not shared from above). */
  orgId?: string | undefined;
  before?: { createdAt: Date; id: string } | undefined;
}

export interface MetadataPatch {
  title?: string | undefined;
  altText?: Record<string, string> | undefined;
  caption?: string | undefined;
  credit?: string | undefined;
  copyright?: string | undefined;
  tags?: string[] | undefined;
  usageRights?: string | undefined;
  expiresAt?: Date | null | undefined;
  focalX?: number | undefined;
  focalY?: number | undefined;
  folderId?: string | null | undefined;
  sharedWithSubtree?: boolean | undefined;
}

/** Assets and their renditions. Visibility is row-level security's: subtree, or shared from above. */
@Injectable()
export class MediaRepository {
  constructor(private readonly tx: Transactor) {}

  private get db() {
    return this.tx.current();
  }

  async insert(a: { orgId: string; kind: AssetKind; mime: string; bytes: number; sha256: string; storageKey: string; originalName: string; createdBy: string | null; wantVertical: boolean; keepMetadata: boolean }): Promise<AssetRow> {
    return this.db
      .insertInto('media_assets')
      .values({ org_id: a.orgId, kind: a.kind, mime: a.mime, bytes: a.bytes, sha256: a.sha256, storage_key: a.storageKey, original_name: a.originalName, created_by: a.createdBy, want_vertical: a.wantVertical, keep_metadata: a.keepMetadata })
      .returning(ASSET_COLUMNS)
      .executeTakeFirstOrThrow();
  }

  async find(id: string): Promise<AssetRow | undefined> {
    return this.db.selectFrom('media_assets').select(ASSET_COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  async findMany(ids: string[]): Promise<AssetRow[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('media_assets').select(ASSET_COLUMNS).where('id', 'in', ids).execute();
  }

  /** Whether an asset of the organisation was made from the object at this key (a finished upload's). */
  async existsWithStorageKey(orgId: string, storageKey: string): Promise<boolean> {
    const row = await this.db.selectFrom('media_assets').select('id').where('org_id', '=', orgId).where('storage_key', '=', storageKey).executeTakeFirst();
    return row !== undefined;
  }

  async findBySha256(orgId: string, sha256: string): Promise<AssetRow | undefined> {
    return this.db.selectFrom('media_assets').select(ASSET_COLUMNS).where('org_id', '=', orgId).where('sha256', '=', sha256).executeTakeFirst();
  }

  async list(f: AssetFilter, limit: number): Promise<AssetRow[]> {
    let q = this.db.selectFrom('media_assets').select(ASSET_COLUMNS);
    if (f.q) q = q.where(sql<boolean>`search @@ websearch_to_tsquery('simple', ${f.q})`);
    if (f.kind) q = q.where('kind', '=', f.kind);
    if (f.folderId) q = q.where('folder_id', '=', f.folderId);
    if (f.tag) q = q.where(sql<boolean>`tags @> ARRAY[${f.tag}]::text[]`);
    if (f.status) q = q.where('status', '=', f.status);
    if (f.orgId) q = q.where('org_id', '=', f.orgId);
    if (f.before) q = q.where(sql<boolean>`(created_at, id) < (${f.before.createdAt}, ${f.before.id}::uuid)`);
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  async updateMetadata(id: string, p: MetadataPatch): Promise<AssetRow | undefined> {
    return this.db
      .updateTable('media_assets')
      .set({
        ...(p.title !== undefined ? { title: p.title } : {}),
        ...(p.altText !== undefined ? { alt_text: JSON.stringify(p.altText) } : {}),
        ...(p.caption !== undefined ? { caption: p.caption } : {}),
        ...(p.credit !== undefined ? { credit: p.credit } : {}),
        ...(p.copyright !== undefined ? { copyright: p.copyright } : {}),
        ...(p.tags !== undefined ? { tags: p.tags } : {}),
        ...(p.usageRights !== undefined ? { usage_rights: p.usageRights } : {}),
        ...(p.expiresAt !== undefined ? { expires_at: p.expiresAt } : {}),
        ...(p.focalX !== undefined ? { focal_x: p.focalX } : {}),
        ...(p.focalY !== undefined ? { focal_y: p.focalY } : {}),
        ...(p.folderId !== undefined ? { folder_id: p.folderId } : {}),
        ...(p.sharedWithSubtree !== undefined ? { shared_with_subtree: p.sharedWithSubtree } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returning(ASSET_COLUMNS)
      .executeTakeFirst();
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('media_assets').where('id', '=', id).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }

  /** Stored bytes of one organisation: originals and renditions. */
  async usedBytes(orgId: string): Promise<number> {
    const row = await sql<{ total: string }>`
      SELECT (SELECT coalesce(sum(bytes), 0) FROM media_assets WHERE org_id = ${orgId})
           + (SELECT coalesce(sum(bytes), 0) FROM media_renditions WHERE org_id = ${orgId}) AS total`.execute(this.db);
    return Number(row.rows[0]?.total ?? 0);
  }

  async setProgress(id: string, stage: string, progress: number): Promise<void> {
    await this.db.updateTable('media_assets').set({ stage, progress: Math.max(0, Math.min(100, progress)), updated_at: new Date() }).where('id', '=', id).where('status', '=', 'processing').execute();
  }

  async setStatus(id: string, status: AssetStatus, fields: { stage?: string; failure?: string | null; progress?: number } = {}): Promise<void> {
    await this.db
      .updateTable('media_assets')
      .set({ status, ...(fields.stage !== undefined ? { stage: fields.stage } : {}), ...(fields.failure !== undefined ? { failure: fields.failure } : {}), ...(fields.progress !== undefined ? { progress: fields.progress } : {}), updated_at: new Date() })
      .where('id', '=', id)
      .execute();
  }

  async setFacts(id: string, f: { width?: number | null; height?: number | null; durationMs?: number | null; probe?: unknown; blurhash?: string | null; dominantColor?: string | null }): Promise<void> {
    await this.db
      .updateTable('media_assets')
      .set({
        ...(f.width !== undefined ? { width: f.width } : {}),
        ...(f.height !== undefined ? { height: f.height } : {}),
        ...(f.durationMs !== undefined ? { duration_ms: f.durationMs } : {}),
        ...(f.probe !== undefined ? { probe: JSON.stringify(f.probe) } : {}),
        ...(f.blurhash !== undefined ? { blurhash: f.blurhash } : {}),
        ...(f.dominantColor !== undefined ? { dominant_color: f.dominantColor } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
  }

  async upsertRendition(r: { assetId: string; orgId: string; name: string; mime: string; width: number | null; height: number | null; bytes: number; durationMs: number | null; storageKey: string; networks: NetworkFit }): Promise<void> {
    const values = { mime: r.mime, width: r.width, height: r.height, bytes: r.bytes, duration_ms: r.durationMs, storage_key: r.storageKey, networks: JSON.stringify(r.networks) };
    await this.db
      .insertInto('media_renditions')
      .values({ asset_id: r.assetId, org_id: r.orgId, name: r.name, ...values })
      .onConflict((c) => c.columns(['asset_id', 'name']).doUpdateSet(values))
      .execute();
  }

  async renditions(assetId: string): Promise<RenditionRow[]> {
    return this.db.selectFrom('media_renditions').select(RENDITION_COLUMNS).where('asset_id', '=', assetId).orderBy('name').execute();
  }

  /** One named rendition of each of these assets (those that have it). */
  async renditionNamed(assetIds: string[], name: string): Promise<RenditionRow[]> {
    if (assetIds.length === 0) return [];
    return this.db.selectFrom('media_renditions').select(RENDITION_COLUMNS).where('asset_id', 'in', assetIds).where('name', '=', name).execute();
  }

  async renditionsOf(assetIds: string[]): Promise<RenditionRow[]> {
    if (assetIds.length === 0) return [];
    return this.db.selectFrom('media_renditions').select(RENDITION_COLUMNS).where('asset_id', 'in', assetIds).orderBy('name').execute();
  }
}
