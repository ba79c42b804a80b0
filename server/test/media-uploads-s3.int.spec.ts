import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG } from '../src/platform/config/config.tokens.js';
import type { Config } from '../src/platform/config/config.js';
import type { ObjectStorage } from '../src/platform/storage/object-storage.js';
import { OBJECT_STORAGE } from '../src/platform/storage/storage.factory.js';
import { seedRootOrg, startTestApp, type TestApp } from './harness.js';
import { createUpload, dropMidway, makeJpeg, mediaEnv, offsetOf, patch, sha256, uploadUrl, type TusClient } from './media-fixtures.js';
import { startS3, type S3Server } from './s3rver.js';

const MiB = 1024 * 1024;

// tus on S3 storage (decision 0039): bytes go straight into an S3 multipart upload, and the
// upload's state lives in the bucket, so a second process (another replica, or this one after a
// restart) resumes it. Two apps on one database and one bucket stand for the two processes.
describe('tus uploads straight to S3', () => {
  let s3: S3Server;
  let a: TestApp;
  let b: TestApp;
  let ca: TusClient;
  let cb: TusClient;

  beforeAll(async () => {
    s3 = await startS3();
    const env = { ...mediaEnv(), ...s3.env, GUDDU_MEDIA_QUOTA_BYTES: String(64 * MiB), GUDDU_MEDIA_MAX_UPLOAD_BYTES: String(32 * MiB) };
    a = await startTestApp(env);
    b = await startTestApp({ ...env, GUDDU_SECRET_KEY: a.runtime.secretKey.toString('base64') }, { databaseUrl: a.url });
    await a.app.listen({ port: 0, host: '127.0.0.1' });
    await b.app.listen({ port: 0, host: '127.0.0.1' });
    const { owner } = await seedRootOrg(a);
    ca = { base: await a.app.getUrl(), token: owner.accessToken };
    cb = { base: await b.app.getUrl(), token: owner.accessToken };
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await s3?.stop();
  });

  const storage = () => a.app.get<ObjectStorage>(OBJECT_STORAGE);
  const nameOf = (url: string) => url.split('/').pop()!;
  /** Anything of this upload in the data directory's staging folder (the old path staged there). */
  const stagedOnDisk = async (name: string) => {
    const dir = join(a.app.get<Config>(CONFIG).dataDir, 'uploads');
    return (await readdir(dir).catch(() => [] as string[])).filter((f) => f.startsWith(name));
  };

  /** The upload's offset once it stops moving (what a client does before resuming). */
  const settledOffset = async (c: TusClient, url: string) => {
    let last = -1;
    for (let i = 0; i < 50; i++) {
      const now = await offsetOf(c, url);
      if (now > 0 && now === last) return now;
      last = now;
      await new Promise((r) => setTimeout(r, 200));
    }
    return last;
  };

  /** A JPEG (so the type check passes) with a random tail: 9 MiB, more than one 8 MiB part. */
  const bigJpeg = async (bytes: number) => {
    const head = await makeJpeg(64, 64);
    return Buffer.concat([head, randomBytes(bytes - head.length)]);
  };

  it('resumes on another process after a dropped connection, the bytes in S3 parts all along, and hashes by reading the object back', async () => {
    const file = await bigJpeg(9 * MiB);
    const url = uploadUrl(ca, await createUpload(ca, file.length, { filename: 'briefing.jpg', sha256: sha256(file) }));
    const name = nameOf(url);
    // 3 MiB then the connection drops: under S3's 5 MiB minimum part, kept as `<name>.part`.
    await dropMidway(ca, url, 0, file, 3 * MiB);
    const urlOnB = url.replace(ca.base, cb.base);
    // The first process still sends what it received to S3 after the drop: wait for it there.
    const offset = await settledOffset(cb, urlOnB);
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(3 * MiB);
    expect(await storage().size(`uploads/${name}.part`)).toBe(offset);
    expect(await storage().size(`uploads/${name}.info`)).toBeGreaterThan(0);
    expect(await storage().size(`uploads/${name}`)).toBeUndefined(); // not an object until completed
    expect(await stagedOnDisk(name)).toEqual([]);

    // The rest through the other process: the held piece and the new bytes become an 8 MiB part
    // and a final one; the completed multipart upload is the asset's original, in place.
    const res = await patch(cb, urlOnB, offset, file.subarray(offset));
    expect(res.status).toBe(200);
    const { asset, duplicate } = (await res.json()) as { asset: { id: string; sha256: string; mime: string; bytes: number }; duplicate: boolean };
    expect(duplicate).toBe(false);
    expect(asset).toMatchObject({ sha256: sha256(file), mime: 'image/jpeg', bytes: file.length });
    const stored: Buffer[] = [];
    for await (const chunk of await storage().read(`uploads/${name}`)) stored.push(chunk as Buffer);
    expect(Buffer.concat(stored).equals(file)).toBe(true);
    // tus's state is gone from the bucket, and nothing was staged on either machine's disk.
    expect(await storage().size(`uploads/${name}.info`)).toBeUndefined();
    expect(await storage().size(`uploads/${name}.part`)).toBeUndefined();
    expect(await stagedOnDisk(name)).toEqual([]);

    // The same bytes again, in one PATCH (hashed as they arrive): the existing asset, and the
    // second copy is deleted from the bucket.
    const again = uploadUrl(ca, await createUpload(ca, file.length, { filename: 'again.jpg' }));
    const second = await patch(ca, again, 0, file);
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ duplicate: true, asset: { id: asset.id } });
    expect(await storage().size(`uploads/${nameOf(again)}`)).toBeUndefined();
    expect(await storage().size(`uploads/${nameOf(again)}.info`)).toBeUndefined();
  });

  it('refuses a large file that is not a picture or video, and leaves nothing of it in the bucket', async () => {
    const zip = Buffer.concat([Buffer.from('PK\x03\x04'), randomBytes(6 * MiB)]);
    const url = uploadUrl(ca, await createUpload(ca, zip.length, { filename: 'holiday.jpg' }));
    const res = await patch(ca, url, 0, zip);
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ code: 'unsupported_file_type' });
    for (const suffix of ['', '.info', '.part']) expect(await storage().size(`uploads/${nameOf(url)}${suffix}`)).toBeUndefined();
  });

  it('terminates an unfinished upload: the multipart upload is aborted and its state removed', async () => {
    const file = await bigJpeg(6 * MiB);
    const url = uploadUrl(ca, await createUpload(ca, file.length));
    const name = nameOf(url);
    await dropMidway(ca, url, 0, file, 1 * MiB);
    const held = await settledOffset(ca, url);
    expect(held).toBe(1 * MiB);
    expect(await storage().size(`uploads/${name}.part`)).toBe(held);
    const removed = await fetch(url, { method: 'DELETE', headers: { authorization: `Bearer ${ca.token}`, 'tus-resumable': '1.0.0' } });
    expect(removed.status).toBe(204);
    const head = await fetch(url, { method: 'HEAD', headers: { authorization: `Bearer ${ca.token}`, 'tus-resumable': '1.0.0' } });
    expect(head.status).toBe(404);
    for (const suffix of ['', '.info', '.part']) expect(await storage().size(`uploads/${name}${suffix}`)).toBeUndefined();
  });
});
