import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataStore } from '@tus/utils';
import type { Config } from '../config/config.js';
import { HashingFileStore } from './hashing-file-store.js';

/**
 * Where tus puts upload bytes while they arrive: files on this machine. With local storage the
 * staging directory is inside the storage root, so a finished upload already is the asset's
 * original (`uploads/<id>`) and nothing is copied; with S3 the finished file is sent to the
 * bucket as one multipart upload (`originals/<id>`) and the staged copy removed.
 *
 * Why not @tus/s3-store: it resumes by listing the multipart upload's parts (ListParts), which
 * s3rver, the only S3-compatible server our tests can run, does not implement; an untested
 * store is not one we ship (decision 0015). Behind a load balancer, S3 installations route one
 * upload's requests to one replica (or share GUDDU_DATA_DIR/uploads between replicas).
 */
export interface UploadStore {
  datastore: DataStore;
  stagedPath(uploadId: string): string;
  /** Storage key of the finished upload when it is already in place (local storage). */
  keyInPlace(uploadId: string): string | undefined;
  /** Storage key a finished upload is moved to. */
  keyFor(uploadId: string): string;
  /**
   * Drops tus's record of a finished or refused upload (FileStore's `<id>.json` beside the bytes):
   * the asset row now says what the upload became, and the bytes, if kept, are the original.
   */
  forget(uploadId: string): Promise<void>;
  /** The SHA-256 of a finished upload when it was computed while the bytes arrived. */
  receivedSha256(uploadId: string, size: number): string | undefined;
}

export function createUploadStore(config: Pick<Config, 'storage' | 'dataDir'>): UploadStore {
  const local = config.storage.kind === 'local';
  const directory = local ? join((config.storage as { directory: string }).directory, 'uploads') : join(config.dataDir, 'uploads');
  const datastore = new HashingFileStore({ directory });
  return {
    datastore,
    stagedPath: (id) => join(directory, id),
    keyInPlace: (id) => (local ? `uploads/${id}` : undefined),
    keyFor: (id) => (local ? `uploads/${id}` : `originals/${id}`),
    forget: async (id) => {
      datastore.forgetHash(id);
      await rm(join(directory, `${id}.json`), { force: true });
    },
    receivedSha256: (id, size) => datastore.takeSha256(id, size),
  };
}
