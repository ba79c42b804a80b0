import { z } from 'zod';
import { LanguageTag } from '../messages/messages.dto.js';
// Publishing's providers check a rendition against the same per-network rules the library shows.
export { networkFit, type RenditionFacts } from './network-limits.js';


const tag = z.string().trim().min(1).max(64);
const text = (max: number) => z.string().max(max);
const unit = z.number().min(0).max(1);

export const IdParams = z.strictObject({ id: z.uuid() });
// A query parameter, not a path segment: signed tokens are longer than a path parameter may be.
export const TokenQuery = z.strictObject({ token: z.string().min(10).max(2000).regex(/^[A-Za-z0-9_.-]+$/) });

export const AssetQuery = z.strictObject({
  q: z.string().trim().min(1).max(200).optional().describe('Words in the title, caption, credit, tags, alt text or file name'),
  kind: z.enum(['image', 'video']).optional(),
  folderId: z.uuid().optional(),
  tag: tag.optional(),
  status: z.enum(['processing', 'ready', 'failed', 'cancelled']).optional(),
  own: z.enum(['true', 'false']).default('false').describe('Only this organisation\'s assets (not its subtree, not shared from above)'),
  before: z.string().max(200).optional().describe('Cursor: the `next` of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const MetadataBody = z
  .strictObject({
    title: text(300).optional(),
    altText: z.record(LanguageTag, text(2000)).optional().describe('Alt text per language (BCP 47); replaces the whole map'),
    caption: text(5000).optional(),
    credit: text(500).optional(),
    copyright: text(500).optional(),
    tags: z.array(tag).max(50).optional(),
    usageRights: text(5000).optional(),
    expiresAt: z.iso.datetime({ offset: true }).nullable().optional().describe('After this instant the asset cannot be attached to a message'),
    focalPoint: z.strictObject({ x: unit, y: unit }).optional().describe('Where crops centre, 0..1 from the top left; images are re-cropped'),
    folderId: z.uuid().nullable().optional(),
    sharedWithSubtree: z.boolean().optional().describe('Readable by every organisation below this one'),
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');

export const FolderBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  parentId: z.uuid().nullable().default(null),
  sharedWithSubtree: z.boolean().default(false),
});

const NetworkFitView = z.record(z.string(), z.object({ ok: z.boolean(), reasons: z.array(z.string()) }));

export const RenditionView = z.object({
  name: z.string(),
  mime: z.string(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  bytes: z.number(),
  durationMs: z.number().nullable(),
  networks: NetworkFitView.describe('Which networks can take this rendition, and why not'),
  url: z.string().describe('Signed, short-lived download URL (range requests supported)'),
});

export const AssetView = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  folderId: z.uuid().nullable(),
  kind: z.enum(['image', 'video']),
  mime: z.string(),
  bytes: z.number(),
  sha256: z.string(),
  originalName: z.string(),
  status: z.enum(['processing', 'ready', 'failed', 'cancelled']),
  stage: z.string(),
  progress: z.number(),
  failure: z.string().nullable(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  durationMs: z.number().nullable(),
  blurhash: z.string().nullable(),
  dominantColor: z.string().nullable(),
  title: z.string(),
  altText: z.record(z.string(), z.string()),
  caption: z.string(),
  credit: z.string(),
  copyright: z.string(),
  tags: z.array(z.string()),
  usageRights: z.string(),
  expiresAt: z.string().nullable(),
  focalPoint: z.object({ x: z.number(), y: z.number() }),
  sharedWithSubtree: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const AssetDetail = AssetView.extend({
  originalUrl: z.string(),
  renditions: z.array(RenditionView),
  networks: z.record(z.string(), z.array(z.string())).describe('Per network, the names of the renditions it can take: what a message variant may pick in `variants.<network>.renditions`'),
  usedBy: z.array(z.object({ id: z.uuid(), title: z.string(), status: z.string(), scheduledAt: z.string().nullable() })).describe('Messages whose current version attaches this asset'),
});

export const AssetList = z.object({
  items: z.array(
    AssetView.extend({
      // A library page is drawn as thumbnails: carrying the link here spares a read per card.
      thumbnailUrl: z.string().nullable().describe('Signed link to the small console rendition (a video: its poster frame); null until the asset is ready'),
    }),
  ),
  next: z.string().nullable(),
});

export const FolderView = z.object({ id: z.uuid(), orgId: z.uuid(), parentId: z.uuid().nullable(), name: z.string(), sharedWithSubtree: z.boolean(), createdAt: z.string() });
export const FolderList = z.object({ items: z.array(FolderView) });
