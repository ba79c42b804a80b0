import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { addMultipartListing } from './fixtures/s3rver-multipart.mjs';

export interface S3Server {
  endpoint: string;
  bucket: string;
  /** The GUDDU_* variables that point Guddu at this server. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * An S3-compatible server on loopback, in a temporary directory, for one test file; with the
 * ListParts and AbortMultipartUpload that tus's S3 store needs (fixtures/s3rver-multipart.mjs).
 */
export async function startS3(bucket = 'guddu-media'): Promise<S3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'guddu-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  addMultipartListing(server);
  const { port } = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    env: { GUDDU_STORAGE: 's3', GUDDU_S3_ENDPOINT: endpoint, GUDDU_S3_BUCKET: bucket, GUDDU_S3_ACCESS_KEY_ID: 'S3RVER', GUDDU_S3_SECRET_ACCESS_KEY: 'S3RVER' },
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
