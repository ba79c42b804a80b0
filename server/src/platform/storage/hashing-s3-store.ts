import type { Readable } from 'node:stream';
import { S3Store } from '@tus/s3-store';
import type { Upload } from '@tus/utils';
import { RunningHashes } from './running-hashes.js';

const isMissing = (err: unknown) => ['NoSuchUpload', 'NoSuchKey', 'NotFound'].includes((err as { name?: string } | null)?.name ?? '');

/**
 * tus's S3Store, hashing the bytes as they arrive (see RunningHashes). Each PATCH goes straight
 * to the bucket as parts of one S3 multipart upload (a piece under S3's 5 MiB minimum waits in
 * `<id>.part` until the next PATCH); the upload's state lives in the bucket (`<id>.info`, the
 * multipart upload's parts), so any replica, or this one after a restart, resumes it.
 */
export class HashingS3Store extends S3Store {
  readonly hashes = new RunningHashes();

  override async create(upload: Upload): Promise<Upload> {
    // S3Store copies these two client metadata keys onto the stored object: the type is sniffed
    // from the bytes and the cache headers are ours, never the client's.
    if (upload.metadata) {
      delete upload.metadata.contentType;
      delete upload.metadata.cacheControl;
    }
    const created = await super.create(upload);
    this.hashes.start(upload.id);
    return created;
  }

  override write(readable: Readable, id: string, offset: number): Promise<number> {
    return this.hashes.through(id, offset, readable, (source) => super.write(source, id, offset));
  }

  /** tus termination: S3Store aborts the multipart upload and deletes `<id>.info`, but leaves `<id>.part`. */
  override async remove(id: string): Promise<void> {
    this.hashes.forget(id);
    await super.remove(id);
    await this.client.deleteObject({ Bucket: this.bucket, Key: this.partKey(id, true) });
  }

  /**
   * Drops tus's state for an upload, keeping the object itself (the asset's original, or for
   * the caller to delete): the multipart upload if still open (an empty upload never completes
   * one), `<id>.info` and `<id>.part`.
   */
  async forgetUpload(id: string): Promise<void> {
    this.hashes.forget(id);
    try {
      const { 'upload-id': uploadId } = await this.getMetadata(id);
      await this.client.abortMultipartUpload({ Bucket: this.bucket, Key: id, UploadId: uploadId }).catch((err: unknown) => {
        if (!isMissing(err)) throw err; // completed: nothing to abort
      });
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
    await this.client.deleteObjects({ Bucket: this.bucket, Delete: { Objects: [{ Key: this.infoKey(id) }, { Key: this.partKey(id, true) }] } });
    await this.clearCache(id);
  }
}
