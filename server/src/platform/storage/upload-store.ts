import { join } from 'node:path';
import { FileStore } from '@tus/file-store';
import { S3Store } from '@tus/s3-store';
import type { DataStore } from '@tus/utils';
import type { StorageConfig } from '../config/config.js';
import { s3ClientConfig } from './s3-storage.js';

/**
 * The tus data store that matches the object storage, and where a finished upload's bytes are
 * as a storage key. The finished upload is the asset's original: nothing is copied after it.
 */
export interface UploadStore {
  datastore: DataStore;
  keyOf(uploadId: string): string;
}

export function createUploadStore(c: StorageConfig): UploadStore {
  if (c.kind === 'local') {
    return { datastore: new FileStore({ directory: join(c.directory, 'uploads') }), keyOf: (id) => `uploads/${id}` };
  }
  // Parts of 8 MiB: S3's minimum is 5 MiB, and a dropped connection loses at most one part.
  return {
    datastore: new S3Store({ partSize: 8 * 1024 * 1024, s3ClientConfig: { ...s3ClientConfig(c), bucket: c.bucket } }),
    keyOf: (id) => id,
  };
}
