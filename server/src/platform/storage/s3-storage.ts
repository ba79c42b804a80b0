import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { StorageConfig } from '../config/config.js';
import { assertKey, type ByteRange, type ObjectStorage } from './object-storage.js';

type S3Config = Extract<StorageConfig, { kind: 's3' }>;

/**
 * The S3 client settings Guddu uses everywhere (storage and the tus upload store). Checksums
 * only when required: with the SDK's default, streaming PUTs are sent aws-chunked, which some
 * S3-compatible servers (s3rver among them) store with the chunk framing in the object.
 */
export function s3ClientConfig(c: S3Config): S3ClientConfig {
  return {
    region: c.region,
    forcePathStyle: c.forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(c.endpoint ? { endpoint: c.endpoint } : {}),
    ...(c.accessKeyId && c.secretAccessKey ? { credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey } } : {}),
  };
}

/** Objects in an S3-compatible bucket. */
export class S3Storage implements ObjectStorage {
  readonly kind = 's3';
  readonly client: S3Client;
  readonly bucket: string;

  constructor(c: S3Config) {
    this.client = new S3Client(s3ClientConfig(c));
    this.bucket = c.bucket;
  }

  async put(key: string, body: Readable | Buffer, contentType?: string): Promise<void> {
    assertKey(key);
    // A multipart upload becomes visible only when completed: no partial object, ever.
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: body, ...(contentType ? { ContentType: contentType } : {}) },
      queueSize: 4,
      partSize: 8 * 1024 * 1024,
    });
    await upload.done();
  }

  async putFile(key: string, path: string, contentType?: string): Promise<void> {
    await this.put(key, createReadStream(path), contentType);
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    assertKey(key);
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }));
    if (!(out.Body instanceof Readable)) throw new Error('S3 answered without a body stream');
    return out.Body;
  }

  async size(key: string): Promise<number | undefined> {
    assertKey(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return head.ContentLength;
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (err as Error).name === 'NotFound' || (err as Error).name === 'NoSuchKey') return undefined;
      throw err;
    }
  }

  async download(key: string, path: string): Promise<void> {
    await pipeline(await this.read(key), createWriteStream(path));
  }

  async localFile(key: string, scratch: string): Promise<string> {
    await this.download(key, scratch);
    return scratch;
  }

  async delete(key: string): Promise<void> {
    assertKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
