import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataStore } from '@tus/utils';
import type { Config } from '../config/config.js';
import { HashingFileStore } from './hashing-file-store.js';
import { HashingS3Store } from './hashing-s3-store.js';
import type { Received } from './running-hashes.js';
import { s3ClientConfig } from './s3-storage.js';

/** S3's part size for uploads: lib-storage's for renditions too; 10,000 parts of it hold 80 GB. */
const PART_BYTES = 8 * 1024 * 1024;

/**
 * Where tus puts upload bytes while they arrive: straight into the storage backend, so a
 * finished upload already is the asset's original at `uploads/<name>` and nothing is copied.
 * Local storage: FileStore files under `<storage root>/uploads` (tus's record beside them as
 * `<name>.json`). S3: S3Store, one multipart upload per tus upload at `uploads/<name>` (tus's
 * record as `uploads/<name>.info`), nothing staged on this machine but the part being sent
 * (decision 0039).
 *
 * `name` is the last segment of the upload URL (a UUID); `id` is what tus and its store call
 * the upload (the name, or on S3 its key, so that uploads live under `uploads/` in the bucket).
 */
export interface UploadStore {
  datastore: DataStore;
  /** The store's id of the upload named in the URL. */
  idOf(name: string): string;
  /** The URL's name of a store id. */
  nameOf(id: string): string;
  /** Storage key of the finished upload (its bytes, in place). */
  keyOf(id: string): string;
  /**
   * Drops tus's record of a finished or refused upload: the asset row now says what the upload
   * became, and the bytes, if kept, are the original.
   */
  forget(id: string): Promise<void>;
  /** The SHA-256 and head of a finished upload when they were taken while the bytes arrived. */
  received(id: string, size: number): Received | undefined;
}

export function createUploadStore(config: Pick<Config, 'storage'>): UploadStore {
  const storage = config.storage;
  if (storage.kind === 's3') {
    const datastore = new HashingS3Store({ partSize: PART_BYTES, s3ClientConfig: { ...s3ClientConfig(storage), bucket: storage.bucket } });
    return {
      datastore,
      idOf: (name) => `uploads/${name}`,
      nameOf: (id) => id.slice('uploads/'.length),
      keyOf: (id) => id,
      forget: (id) => datastore.forgetUpload(id),
      received: (id, size) => datastore.hashes.take(id, size),
    };
  }
  const directory = join(storage.directory, 'uploads');
  const datastore = new HashingFileStore({ directory });
  return {
    datastore,
    idOf: (name) => name,
    nameOf: (id) => id,
    keyOf: (id) => `uploads/${id}`,
    forget: async (id) => {
      datastore.hashes.forget(id);
      await rm(join(directory, `${id}.json`), { force: true });
    },
    received: (id, size) => datastore.hashes.take(id, size),
  };
}
