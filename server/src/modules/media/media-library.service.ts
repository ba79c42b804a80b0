import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { orgOf, userOf, type RequestContext } from '../../platform/context/request-context.js';
import { Transactor } from '../../platform/database/transactor.js';
import { JobQueue } from '../../platform/jobs/job-queue.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import type { ObjectStorage } from '../../platform/storage/object-storage.js';
import { OBJECT_STORAGE } from '../../platform/storage/storage.factory.js';
import { AuditService } from '../audit/audit.service.js';
import { AssetUsageService } from '../messages/asset-usage.service.js';
import { MediaFoldersRepository } from './media-folders.repository.js';
import { MediaLinks } from './media-links.js';
import type { AssetQuery, FolderBody, MetadataBody } from './media.dto.js';
import { mediaError } from './media.errors.js';
import { MediaRepository, type AssetRow } from './media.repository.js';
import { assetView, cursorOf, folderView, networksView, parseCursor, renditionView } from './media.views.js';
import './media.jobs.js';

/** The rendition the console draws a library card with (a video's is its poster frame). */
const THUMBNAIL = 'console_webp';

/** The library: list and search, one asset with its renditions and users, metadata, delete, folders. */
@Injectable()
export class MediaLibrary {
  constructor(
    private readonly repo: MediaRepository,
    private readonly folders: MediaFoldersRepository,
    private readonly usage: AssetUsageService,
    private readonly links: MediaLinks,
    private readonly audit: AuditService,
    private readonly jobs: JobQueue,
    private readonly tx: Transactor,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async list(ctx: RequestContext, q: z.infer<typeof AssetQuery>) {
    const rows = await this.repo.list(
      { q: q.q, kind: q.kind, folderId: q.folderId, tag: q.tag, status: q.status, orgId: q.own === 'true' ? orgOf(ctx) : undefined, before: parseCursor(q.before) },
      q.limit + 1,
    );
    const page = rows.slice(0, q.limit);
    const thumbs = await this.repo.renditionNamed(page.filter((a) => a.status === 'ready').map((a) => a.id), THUMBNAIL);
    const url = new Map(thumbs.map((r) => [r.asset_id, this.links.linkTo(r.storage_key, r.mime)]));
    return {
      items: page.map((a) => ({ ...assetView(a), thumbnailUrl: url.get(a.id) ?? null })),
      next: rows.length > q.limit && page.length > 0 ? cursorOf(page[page.length - 1]!) : null,
    };
  }

  async get(id: string) {
    const asset = await this.found(id);
    const [renditions, usedBy] = await Promise.all([this.repo.renditions(id), this.usage.usedBy(id)]);
    return {
      ...assetView(asset),
      originalUrl: this.links.linkTo(asset.storage_key, asset.mime),
      renditions: renditions.map((r) => renditionView(r, this.links.linkTo(r.storage_key, r.mime))),
      networks: networksView(renditions),
      usedBy: usedBy.map((m) => ({ id: m.id, title: m.title, status: m.status, scheduledAt: m.scheduled_at?.toISOString() ?? null })),
    };
  }

  /** Metadata edits; a new focal point re-crops an image's renditions. */
  async update(ctx: RequestContext, id: string, b: z.infer<typeof MetadataBody>) {
    const before = await this.found(id);
    if (b.folderId) await this.folderHere(b.folderId);
    const after = await this.repo.updateMetadata(id, {
      title: b.title,
      altText: b.altText,
      caption: b.caption,
      credit: b.credit,
      copyright: b.copyright,
      tags: b.tags,
      usageRights: b.usageRights,
      expiresAt: b.expiresAt === undefined ? undefined : b.expiresAt === null ? null : new Date(b.expiresAt),
      focalX: b.focalPoint?.x,
      focalY: b.focalPoint?.y,
      folderId: b.folderId,
      sharedWithSubtree: b.sharedWithSubtree,
    });
    // Visible but not writable: shared from an organisation above.
    if (!after) throw mediaError('asset_read_only', 'This asset is shared from above: only its organisation can change it');
    await this.audit.record(ctx, { action: 'media.asset_updated', targetType: 'media_asset', targetId: id, before: assetView(before), after: assetView(after) });
    const refocused = b.focalPoint && (b.focalPoint.x !== before.focal_x || b.focalPoint.y !== before.focal_y);
    if (refocused && after.kind === 'image' && after.status !== 'processing') await this.reprocess(ctx, after);
    return assetView(after);
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    const asset = await this.found(id);
    if (await this.usage.usedByCommitted(id)) {
      throw mediaError('asset_in_use', 'A scheduled message uses this asset; take it out of the message or unschedule it first');
    }
    const keys = [asset.storage_key, ...(await this.repo.renditions(id)).map((r) => r.storage_key)];
    if (!(await this.repo.delete(id))) throw mediaError('asset_read_only', 'This asset is shared from above: only its organisation can delete it');
    await this.audit.record(ctx, { action: 'media.asset_deleted', targetType: 'media_asset', targetId: id, before: assetView(asset) });
    // Bytes go once the row is gone for good; an orphan left by a crash here costs space, never data.
    this.tx.afterCommit(async () => {
      for (const key of keys) await this.storage.delete(key).catch((err: unknown) => this.log.warn({ err, key }, 'media object not deleted'));
    });
  }

  async createFolder(ctx: RequestContext, b: z.infer<typeof FolderBody>) {
    if (b.parentId) await this.folderHere(b.parentId);
    const f = await this.folders.insert({ orgId: orgOf(ctx), parentId: b.parentId, name: b.name, sharedWithSubtree: b.sharedWithSubtree, createdBy: userOf(ctx).id });
    await this.audit.record(ctx, { action: 'media.folder_created', targetType: 'media_folder', targetId: f.id, after: folderView(f) });
    return folderView(f);
  }

  async listFolders() {
    return { items: (await this.folders.list()).map(folderView) };
  }

  async reprocess(ctx: RequestContext, asset: AssetRow): Promise<void> {
    await this.repo.setStatus(asset.id, 'processing', { stage: 'queued', progress: 0, failure: null });
    const key = `${asset.id}:${Date.now()}`;
    this.tx.afterCommit(() => this.jobs.enqueue('media.process', { assetId: asset.id, orgId: asset.org_id, correlationId: ctx.correlationId, idempotencyKey: key }));
  }

  private async found(id: string): Promise<AssetRow> {
    const asset = await this.repo.find(id);
    if (!asset) throw mediaError('asset_not_found', 'No such asset');
    return asset;
  }

  private async folderHere(id: string): Promise<void> {
    if (!(await this.folders.find(id))) throw mediaError('folder_not_found', 'No such folder');
  }
}
