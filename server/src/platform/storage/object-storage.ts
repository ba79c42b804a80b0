import type { Readable } from 'node:stream';

/** An inclusive byte range, as in HTTP `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where media bytes live: one interface over a local directory and an S3-compatible bucket, so
 * nothing above `platform/storage` knows which (decision 0015). Keys are relative paths of
 * lower-case letters, digits, '.', '-', '_' and '/'.
 *
 * Every write is all-or-nothing: a reader never sees a partial object (local: write a temporary
 * file, then rename; S3: the multipart upload is completed only at the end). So a transcode that
 * dies half way leaves no rendition behind.
 */
export interface ObjectStorage {
  readonly kind: 'local' | 's3';
  put(key: string, body: Readable | Buffer, contentType?: string): Promise<void>;
  /** Moves or copies a finished local file (a rendition written by ffmpeg or sharp) into storage. */
  putFile(key: string, path: string, contentType?: string): Promise<void>;
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** Size in bytes, or undefined when there is no such object. */
  size(key: string): Promise<number | undefined>;
  /** Copies an object to a local file (ffmpeg and sharp read files). */
  download(key: string, path: string): Promise<void>;
  /**
   * A local file with the object's bytes, for reading only: on local storage the stored file
   * itself (a 4 GB original is not copied before its transcode), otherwise a download to `scratch`.
   */
  localFile(key: string, scratch: string): Promise<string>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}

const KEY = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

/** Refuses keys that could escape the storage root ('..', absolute paths, odd characters). */
export function assertKey(key: string): void {
  if (!KEY.test(key) || key.length > 512) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
}
