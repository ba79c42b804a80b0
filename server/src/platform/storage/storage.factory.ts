import type { StorageConfig } from '../config/config.js';
import { LocalStorage } from './local-storage.js';
import type { ObjectStorage } from './object-storage.js';
import { S3Storage } from './s3-storage.js';

export const OBJECT_STORAGE = Symbol('guddu.object-storage');

export function createObjectStorage(c: StorageConfig): ObjectStorage {
  return c.kind === 's3' ? new S3Storage(c) : new LocalStorage(c.directory);
}
