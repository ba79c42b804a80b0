import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { fileTypeFromBuffer } from 'file-type';
import { CONFIG } from '../../platform/config/config.tokens.js';
import type { Config } from '../../platform/config/config.js';
import { orgOf, userOf, type RequestContext } from '../../platform/context/request-context.js';
import { Transactor } from '../../platform/database/transactor.js';
import { JobQueue } from '../../platform/jobs/job-queue.js';
import type { ObjectStorage } from '../../platform/storage/object-storage.js';
import { RECEIVED_HEAD_BYTES, type Received } from '../../platform/storage/running-hashes.js';
import { OBJECT_STORAGE } from '../../platform/storage/storage.factory.js';
import { AuditService } from '../audit/audit.service.js';
import { mediaError } from './media.errors.js';
import { MediaRepository } from './media.repository.js';
import { assetView } from './media.views.js';
import './media.jobs.js';

/** What the pipeline takes, by the type sniffed from the bytes. HEIC is left out: sharp's prebuilt libvips cannot decode it. */
const SUPPORTED: Record<string, 'image' | 'video'> = {
  'image/jpeg': 'image',
  'image/png': 'image',
  'image/webp': 'image',
  'image/gif': 'image',
  'image/tiff': 'image',
  'image/avif': 'image',
  'video/mp4': 'video',
  'video/quicktime': 'video',
  'video/webm': 'video',
  'video/x-matroska': 'video',
  'video/x-msvideo': 'video',
};
/** Enough of the head of a file for file-type to recognise every format above. */
const SNIFF_BYTES = RECEIVED_HEAD_BYTES;

export interface FinishedUpload {
  /** Where tus put the bytes: already in storage (local or S3), to become the asset's original. */
  storageKey: string;
  size: number;
  /** The SHA-256 and head taken while the bytes arrived, when they were (else the object is read here). */
  received?: Received | undefined;
  /** From the client's tus metadata: untrusted hints and its declared checksum. */
  filename: string;
  sha256: string | undefined;
  wantVertical: boolean;
  keepMetadata: boolean;
}

/**
 * A finished upload becomes an asset: (1) hash and sniff the bytes (as they arrived, or by
 * streaming the stored object when they arrived elsewhere or before a restart), (2) check the
 * client's checksum, (3) refuse what is not a supported image or video, (4) return the existing
 * asset for a duplicate, (5) otherwise record the asset, audit it, and queue its processing after
 * commit. A refused or duplicate upload's bytes are deleted.
 */
@Injectable()
export class MediaIngest {
  constructor(
    private readonly repo: MediaRepository,
    private readonly tx: Transactor,
    private readonly audit: AuditService,
    private readonly jobs: JobQueue,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** Refuses an upload before its bytes arrive: over the size limit (413) or the organisation's quota (507). */
  async admit(ctx: RequestContext, length: number): Promise<void> {
    const max = this.config.media.maxUploadBytes;
    if (length > max) throw mediaError('upload_too_large', `The file is ${length} bytes; the largest upload is ${max} bytes`, { limit: max });
    const used = await this.tx.inTenant({ orgId: orgOf(ctx), userId: userOf(ctx).id }, () => this.repo.usedBytes(orgOf(ctx)));
    const quota = this.config.media.quotaBytes;
    if (used + length > quota) throw mediaError('quota_exceeded', `The organisation's media storage is full: ${used} of ${quota} bytes used, and this file needs ${length}`, { used, quota });
  }

  /** Whether the upload stored at this key already became an asset of the caller's organisation. */
  async became(ctx: RequestContext, storageKey: string): Promise<boolean> {
    return this.tx.inTenant({ orgId: orgOf(ctx), userId: userOf(ctx).id }, () => this.repo.existsWithStorageKey(orgOf(ctx), storageKey));
  }

  async finish(ctx: RequestContext, u: FinishedUpload): Promise<{ asset: ReturnType<typeof assetView>; duplicate: boolean }> {
    try {
      return await this.ingest(ctx, u);
    } catch (err) {
      await this.storage.delete(u.storageKey); // refused: its bytes go
      throw err;
    }
  }

  private async ingest(ctx: RequestContext, u: FinishedUpload) {
    if (u.size === 0) throw mediaError('empty_file', 'The file is empty');
    const { sha256, head } = u.received ?? (await this.read(u.storageKey));
    if (u.sha256 && u.sha256.toLowerCase() !== sha256) {
      throw mediaError('checksum_mismatch', 'The file received does not match the SHA-256 the client declared; upload it again', { declared: u.sha256, received: sha256 });
    }
    const sniffed = await fileTypeFromBuffer(head);
    const kind = sniffed ? SUPPORTED[sniffed.mime] : undefined;
    if (!sniffed || !kind) {
      throw mediaError('unsupported_file_type', sniffed ? `A ${sniffed.mime} file cannot be used: upload a picture (JPEG, PNG, WebP, GIF, TIFF, AVIF) or a video (MP4, MOV, WebM, MKV, AVI)` : 'The file is not a picture or video we recognise, whatever its name says', { detected: sniffed?.mime ?? null });
    }
    const scope = { orgId: orgOf(ctx), userId: userOf(ctx).id };
    const existing = await this.tx.inTenant(scope, () => this.repo.findBySha256(orgOf(ctx), sha256));
    if (existing) {
      // A finish repeated on the asset's own upload must not delete its original.
      if (existing.storage_key !== u.storageKey) await this.storage.delete(u.storageKey);
      return { asset: assetView(existing), duplicate: true };
    }
    // The original is complete in storage before the row exists (tus completed it).
    const result = await this.tx.inTenant(scope, async () => {
      const existing = await this.repo.findBySha256(orgOf(ctx), sha256);
      if (existing) return { asset: existing, duplicate: true };
      const asset = await this.repo.insert({ orgId: orgOf(ctx), kind, mime: sniffed.mime, bytes: u.size, sha256, storageKey: u.storageKey, originalName: u.filename.slice(0, 500), createdBy: userOf(ctx).id, wantVertical: u.wantVertical, keepMetadata: u.keepMetadata });
      await this.audit.record(ctx, { action: 'media.asset_uploaded', targetType: 'media_asset', targetId: asset.id, after: { mime: asset.mime, bytes: u.size, sha256, originalName: asset.original_name } });
      this.tx.afterCommit(() => this.jobs.enqueue('media.process', { assetId: asset.id, orgId: asset.org_id, correlationId: ctx.correlationId, idempotencyKey: asset.id }));
      return { asset, duplicate: false };
    });
    if (result.duplicate) await this.storage.delete(u.storageKey); // lost a race with the same bytes
    return { asset: assetView(result.asset), duplicate: result.duplicate };
  }

  /** One pass over the stored bytes: the SHA-256 and the head for sniffing. */
  private async read(key: string): Promise<Received> {
    const hash = createHash('sha256');
    const headParts: Buffer[] = [];
    let headLength = 0;
    for await (const chunk of await this.storage.read(key)) {
      const b = chunk as Buffer;
      hash.update(b);
      if (headLength < SNIFF_BYTES) {
        headParts.push(b.subarray(0, SNIFF_BYTES - headLength));
        headLength += Math.min(b.length, SNIFF_BYTES - headLength);
      }
    }
    return { sha256: hash.digest('hex'), head: new Uint8Array(Buffer.concat(headParts)) };
  }
}
