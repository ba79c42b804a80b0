import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/platform/config/config.js';
import type { ObjectStorage } from '../src/platform/storage/object-storage.js';
import { SignedUrls } from '../src/platform/storage/signed-urls.js';
import { createObjectStorage } from '../src/platform/storage/storage.factory.js';
import { startS3, type S3Server } from './s3rver.js';

let s3: S3Server;
let dir: string;
const backends: Record<string, () => ObjectStorage> = {};

beforeAll(async () => {
  s3 = await startS3();
  dir = await mkdtemp(join(tmpdir(), 'guddu-storage-'));
  backends.local = () => createObjectStorage(loadConfig({ GUDDU_DATA_DIR: dir }).storage);
  backends.s3 = () => createObjectStorage(loadConfig(s3.env).storage);
});

afterAll(async () => {
  await s3?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.each(['local', 's3'])('object storage on %s', (kind) => {
  it('stores, measures, reads a range, downloads and deletes an object byte for byte', async () => {
    const storage = backends[kind]!();
    const bytes = randomBytes(300_000);
    await storage.put('assets/a/original', Readable.from([bytes.subarray(0, 100_000), bytes.subarray(100_000)]), 'application/octet-stream');
    expect(await storage.size('assets/a/original')).toBe(300_000);
    const chunks: Buffer[] = [];
    for await (const c of await storage.read('assets/a/original', { start: 1000, end: 1999 })) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(bytes.subarray(1000, 2000))).toBe(true);
    const local = join(dir, `copy-${kind}`);
    await storage.download('assets/a/original', local);
    expect((await readFile(local)).equals(bytes)).toBe(true);
    await storage.delete('assets/a/original');
    expect(await storage.size('assets/a/original')).toBeUndefined();
    await storage.close();
  });

  it('moves a finished local file in with putFile', async () => {
    const storage = backends[kind]!();
    const file = join(dir, `rendition-${kind}.txt`);
    await writeFile(file, 'a rendition');
    await storage.putFile('renditions/x/720p.mp4', file, 'video/mp4');
    expect(await text(await storage.read('renditions/x/720p.mp4'))).toBe('a rendition');
    await storage.close();
  });

  it('refuses keys that would leave the storage root', async () => {
    const storage = backends[kind]!();
    await expect(storage.put('../etc/passwd', Buffer.from('x'))).rejects.toThrow(/invalid storage key/);
    await expect(storage.read('/abs')).rejects.toThrow(/invalid storage key/);
    await storage.close();
  });
});

describe('signed download URLs', () => {
  const urls = new SignedUrls(randomBytes(32));

  it('accept their own token until it expires, and nothing forged', () => {
    const now = Date.now();
    const { token } = urls.sign('asset-1/original', 60, now);
    expect(urls.verify(token, now)).toBe('asset-1/original');
    expect(urls.verify(token, now + 61_000)).toBeUndefined();
    const [body, mac] = token.split('.');
    const forged = Buffer.from(`asset-2/original|${Math.floor(now / 1000) + 60}`).toString('base64url');
    expect(urls.verify(`${forged}.${mac}`, now)).toBeUndefined();
    expect(urls.verify(`${body}.${mac}x`, now)).toBeUndefined();
    expect(new SignedUrls(randomBytes(32)).verify(token, now)).toBeUndefined();
  });
});
