import type { FolderRow } from './media-folders.repository.js';
import type { AssetRow, RenditionRow } from './media.repository.js';
import { NETWORKS } from './network-limits.js';

export const assetView = (a: AssetRow) => ({
  id: a.id,
  orgId: a.org_id,
  folderId: a.folder_id,
  kind: a.kind,
  mime: a.mime,
  bytes: Number(a.bytes),
  sha256: a.sha256,
  originalName: a.original_name,
  status: a.status,
  stage: a.stage,
  progress: a.progress,
  failure: a.failure,
  width: a.width,
  height: a.height,
  durationMs: a.duration_ms,
  blurhash: a.blurhash,
  dominantColor: a.dominant_color,
  title: a.title,
  altText: a.alt_text,
  caption: a.caption,
  credit: a.credit,
  copyright: a.copyright,
  tags: a.tags,
  usageRights: a.usage_rights,
  expiresAt: a.expires_at?.toISOString() ?? null,
  focalPoint: { x: a.focal_x, y: a.focal_y },
  sharedWithSubtree: a.shared_with_subtree,
  createdAt: a.created_at.toISOString(),
  updatedAt: a.updated_at.toISOString(),
});

export const renditionView = (r: RenditionRow, url: string) => ({
  name: r.name,
  mime: r.mime,
  width: r.width,
  height: r.height,
  bytes: Number(r.bytes),
  durationMs: r.duration_ms,
  networks: r.networks,
  url,
});

/** Per network, the renditions it can take (every network is listed, possibly with none). */
export function networksView(renditions: RenditionRow[]): Record<string, string[]> {
  const out: Record<string, string[]> = Object.fromEntries(NETWORKS.map((n) => [n, []]));
  for (const r of renditions) for (const [n, fit] of Object.entries(r.networks)) if (fit.ok) (out[n] ??= []).push(r.name);
  return out;
}

export const folderView = (f: FolderRow) => ({ id: f.id, orgId: f.org_id, parentId: f.parent_id, name: f.name, sharedWithSubtree: f.shared_with_subtree, createdAt: f.created_at.toISOString() });

/** A page cursor: the last item's creation time and id. */
export const cursorOf = (a: AssetRow) => Buffer.from(`${a.created_at.toISOString()}|${a.id}`).toString('base64url');

export function parseCursor(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(createdAt.getTime())) return undefined;
  return { createdAt, id };
}
