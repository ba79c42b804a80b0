import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { ObjectStorage } from '../src/platform/storage/object-storage.js';
import { OBJECT_STORAGE } from '../src/platform/storage/storage.factory.js';
import { addUser, call, createChildOrg, PASSWORD, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';
import { createUpload, dropMidway, makeJpeg, makePngBomb, mediaEnv, offsetOf, patch, sha256, upload, uploadUrl, waitForAsset, type TusClient } from './media-fixtures.js';
import { startS3, type S3Server } from './s3rver.js';

// The same behaviour on both storage backends: local files and an S3-compatible server.
describe.each(['local', 's3'] as const)('media uploads and images on %s storage', (backend) => {
  let t: TestApp;
  let s3: S3Server | undefined;
  let owner: Session;
  let orgId: string;
  let ownerEmail: string;
  let c: TusClient;

  beforeAll(async () => {
    s3 = backend === 's3' ? await startS3() : undefined;
    t = await startTestApp({ ...mediaEnv(), ...(s3?.env ?? {}), GUDDU_MEDIA_QUOTA_BYTES: String(10 * 1024 * 1024), GUDDU_MEDIA_MAX_UPLOAD_BYTES: String(12 * 1024 * 1024) }, { role: 'all' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const seeded = await seedRootOrg(t);
    owner = seeded.owner;
    orgId = seeded.orgId;
    ownerEmail = seeded.ownerEmail;
    c = { base: await t.app.getUrl(), token: owner.accessToken };
  });
  /**
   * What is stored under an upload's name: its bytes (`uploads/<name>`) and tus's record of it
   * (FileStore: `<name>.json` beside the bytes; S3Store: `<name>.info`, and `<name>.part` for a
   * piece under S3's minimum part size).
   */
  const storedFor = async (url: string) => {
    const name = url.split('/').pop()!;
    const keys = [`uploads/${name}`, ...(backend === 'local' ? [`uploads/${name}.json`] : [`uploads/${name}.info`, `uploads/${name}.part`])];
    const storage = t.app.get<ObjectStorage>(OBJECT_STORAGE);
    const found = await Promise.all(keys.map(async (k) => ((await storage.size(k)) === undefined ? [] : [k])));
    return found.flat();
  };
  afterAll(async () => {
    await t?.close();
    await s3?.stop();
  });

  it('resumes an upload after a dropped connection, then makes upright renditions with a placeholder', async () => {
    // A phone photo: stored sideways with EXIF orientation 6 (turn 90° clockwise to view).
    const jpeg = await makeJpeg(640, 480, { orientation: 6 });
    const url = uploadUrl(c, await createUpload(c, jpeg.length, { filename: 'visit.jpg', sha256: sha256(jpeg) }));
    await dropMidway(c, url, 0, jpeg, Math.floor(jpeg.length / 2));
    const offset = await offsetOf(c, url);
    expect(offset).toBeGreaterThanOrEqual(0);
    expect(offset).toBeLessThan(jpeg.length);
    const res = await patch(c, url, offset, jpeg.subarray(offset));
    expect(res.status).toBe(200);
    const { asset, duplicate } = (await res.json()) as { asset: { id: string; kind: string; mime: string; sha256: string }; duplicate: boolean };
    expect(duplicate).toBe(false);
    expect(asset).toMatchObject({ kind: 'image', mime: 'image/jpeg', sha256: sha256(jpeg) });

    const done = await waitForAsset(t, owner.accessToken, asset.id, (a) => a.status !== 'processing');
    expect(done.status).toBe('ready');
    // Upright: 480 wide, 640 high.
    expect(done).toMatchObject({ width: 480, height: 640 });
    expect(done.blurhash).toMatch(/^[0-9A-Za-z#$%*+,.:;=?@[\]^_{|}~-]{6,}$/);
    expect(done.dominantColor).toMatch(/^#[0-9a-f]{6}$/);
    const names = done.renditions.map((r) => r.name).sort();
    expect(names).toEqual(['console_avif', 'console_webp', 'link_1_91', 'portrait_4_5', 'square', 'story_9_16']);
    const portrait = done.renditions.find((r) => r.name === 'portrait_4_5')!;
    expect(portrait.width / portrait.height).toBeCloseTo(0.8, 2);
    expect(portrait.networks.instagram).toEqual({ ok: true, reasons: [] });
    expect(done.renditions.find((r) => r.name === 'story_9_16')!.networks.instagram!.ok).toBe(false);

    // The rendition itself: a JPEG without EXIF (no location, no orientation left to apply).
    const file = await fetch(`${c.base}${portrait.url}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/jpeg');
    expect(file.headers.get('cache-control')).toMatch(/private, max-age=\d+/);
    const meta = await sharp(Buffer.from(await file.arrayBuffer())).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
  });

  it('takes an upload from the console: its session cookie with the CSRF header, never the cookie alone', async () => {
    const signIn = await fetch(`${c.base}/api/v1/auth/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ownerEmail, password: PASSWORD }) });
    expect(signIn.status).toBe(200);
    const jar = new Map(signIn.headers.getSetCookie().map((line) => line.split(';')[0]!.split('=') as [string, string]));
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const jpeg = await makeJpeg(120, 90);
    const create = (headers: Record<string, string>) =>
      fetch(`${c.base}/api/v1/media/uploads`, { method: 'POST', headers: { 'tus-resumable': '1.0.0', 'upload-length': String(jpeg.length), cookie, ...headers } });

    const forged = await create({});
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { code: string }).code).toBe('csrf_failed');

    const csrf = { 'x-csrf-token': jar.get('guddu_csrf')! };
    const created = await create(csrf);
    expect(created.status).toBe(201);
    const url = new URL(created.headers.get('location')!, `${c.base}/api/v1/media/uploads/`).toString();
    const sent = await fetch(url, { method: 'PATCH', headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream', cookie, ...csrf }, body: jpeg });
    expect(sent.status).toBe(200);
    expect(((await sent.json()) as { asset: { sha256: string } }).asset.sha256).toBe(sha256(jpeg));
  });

  it('returns the existing asset for the same bytes uploaded again', async () => {
    const jpeg = await makeJpeg(200, 200);
    const first = await upload(c, jpeg);
    expect((first.body.asset as { sha256?: string }).sha256).toBe(sha256(jpeg));
    const second = await upload(c, jpeg, { filename: 'again.jpg' });
    expect(second.status).toBe(200);
    expect(second.body.duplicate).toBe(true);
    expect(second.body.asset.id).toBe(first.body.asset.id);
  });

  it('hashes an upload sent in several PATCHes as the bytes arrive, and checks the declared SHA-256 against it', async () => {
    const jpeg = await makeJpeg(400, 300);
    const thirds = [0, Math.floor(jpeg.length / 3), Math.floor((2 * jpeg.length) / 3), jpeg.length];
    const send = async (declared: string) => {
      const url = uploadUrl(c, await createUpload(c, jpeg.length, { filename: 'parts.jpg', sha256: declared }));
      let last: Response | undefined;
      for (let i = 0; i < 3; i++) last = await patch(c, url, thirds[i]!, jpeg.subarray(thirds[i], thirds[i + 1]));
      return last!;
    };
    const wrong = await send(sha256(Buffer.concat([jpeg, Buffer.from('x')])));
    expect(wrong.status).toBe(460);
    const right = await send(sha256(jpeg));
    expect(right.status).toBe(200);
    expect(((await right.json()) as { asset: { sha256: string } }).asset.sha256).toBe(sha256(jpeg));
  });

  it('keeps a finished upload closed: no second finish, no tus delete of the original', async () => {
    const jpeg = await makeJpeg(120, 90);
    const url = uploadUrl(c, await createUpload(c, jpeg.length, { filename: 'closed.jpg' }));
    const first = await patch(c, url, 0, jpeg);
    expect(first.status).toBe(200);
    const { asset } = (await first.json()) as { asset: { id: string } };
    // tus's record is gone (the asset is the record now), yet the upload still answers as finished.
    expect(await storedFor(url)).toEqual([`uploads/${url.split('/').pop()!}`]);
    const again = await patch(c, url, jpeg.length, Buffer.alloc(0));
    expect(again.status).toBe(409);
    expect(((await again.json()) as { code: string }).code).toBe('upload_finished');
    const head = await fetch(url, { method: 'HEAD', headers: { authorization: `Bearer ${c.token}`, 'tus-resumable': '1.0.0' } });
    expect(head.status).toBe(409);
    const removed = await fetch(url, { method: 'DELETE', headers: { authorization: `Bearer ${c.token}`, 'tus-resumable': '1.0.0' } });
    expect(removed.status).toBeGreaterThanOrEqual(400);
    expect(removed.status).toBeLessThan(500);
    const ready = await waitForAsset(t, owner.accessToken, asset.id, (a) => a.status !== 'processing');
    const original = await fetch(`${c.base}${String(ready.originalUrl)}`);
    expect(original.status).toBe(200);
    expect(Buffer.from(await original.arrayBuffer()).equals(jpeg)).toBe(true);
  });

  it('refuses a file that lies about its type, an empty file and a wrong checksum, as problem+json', async () => {
    const zip = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 1)]);
    const lieUrl = uploadUrl(c, await createUpload(c, zip.length, { filename: 'photo.jpg', filetype: 'image/jpeg' }));
    const lie = await patch(c, lieUrl, 0, zip);
    expect(lie.status).toBe(415);
    expect(await lie.json()).toMatchObject({ code: 'unsupported_file_type', status: 415 });
    // Refused: neither its bytes nor tus's record of it stay behind.
    expect(await storedFor(lieUrl)).toEqual([]);

    const text = await upload(c, Buffer.from('just some text, not a picture at all'), { filename: 'x.png' });
    expect(text.body).toMatchObject({ code: 'unsupported_file_type' });

    const emptyRes = await createUpload(c, 0, { filename: 'empty.jpg' });
    expect(emptyRes.status).toBe(400);
    expect(emptyRes.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await emptyRes.json()).toMatchObject({ code: 'empty_file' });

    const jpeg = await makeJpeg(100, 100);
    const bad = await upload(c, jpeg, { sha256: '0'.repeat(64) });
    expect(bad.status).toBe(460);
    expect(bad.body).toMatchObject({ code: 'checksum_mismatch' });
  });

  it('answers 413 over the upload limit and 507 over the quota, before any byte is sent', async () => {
    const big = await createUpload(c, 13 * 1024 * 1024);
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'upload_too_large' });
    // The quota (10 MiB) counts what the organisation stores; this one would not fit beside it.
    const over = await createUpload(c, 10 * 1024 * 1024);
    expect(over.status).toBe(507);
    expect(over.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await over.json()).toMatchObject({ code: 'quota_exceeded' });
    expect((await createUpload(c, 1024 * 1024)).status).toBe(201);
  });

  it('refuses uploads without a session or without content.write, and hides one organisation\'s upload from another', async () => {
    const anon = await fetch(`${c.base}/api/v1/media/uploads`, { method: 'POST', headers: { 'tus-resumable': '1.0.0', 'upload-length': '10' } });
    expect(anon.status).toBe(401);
    expect(anon.headers.get('content-type')).toMatch(/problem\+json/);
    const viewer = await addUser(t, orgId, 'viewer');
    const denied = await createUpload({ ...c, token: viewer.session.accessToken }, 10);
    expect(denied.status).toBe(403);

    const url = uploadUrl(c, await createUpload(c, 1000));
    const other = await seedRootOrg(t, 'Another Ministry');
    const peek = await fetch(url, { method: 'HEAD', headers: { 'tus-resumable': '1.0.0', authorization: `Bearer ${other.owner.accessToken}` } });
    expect(peek.status).toBe(404);
    const write = await patch({ ...c, token: other.owner.accessToken }, url, 0, Buffer.alloc(1000));
    expect(write.status).toBe(404);
  });

  it('keeps assets to their tenant, shares down the tree when marked, serves ranges, and expires links', async () => {
    const jpeg = await makeJpeg(300, 200);
    const { body } = await upload(c, jpeg, { filename: 'shared.jpg' });
    const id = body.asset.id;
    const missionId = await createChildOrg(t, owner, 'Embassy in Paris');
    const missionEditor = await addUser(t, missionId, 'editor');
    const other = await seedRootOrg(t, 'A Third Ministry');

    const hidden = await call(t, { method: 'GET', url: `/api/v1/media/assets/${id}`, token: missionEditor.session.accessToken });
    expect(hidden.statusCode).toBe(404);
    const share = await call(t, { method: 'PATCH', url: `/api/v1/media/assets/${id}`, token: owner.accessToken, payload: { sharedWithSubtree: true, altText: { en: 'The minister at the summit', 'hi': 'शिखर सम्मेलन में मंत्री' }, tags: ['summit'] } });
    expect(share.statusCode).toBe(200);
    expect(share.json()).toMatchObject({ sharedWithSubtree: true, altText: { en: 'The minister at the summit' } });
    const seen = await call(t, { method: 'GET', url: `/api/v1/media/assets/${id}`, token: missionEditor.session.accessToken });
    expect(seen.statusCode).toBe(200);
    const readOnly = await call(t, { method: 'PATCH', url: `/api/v1/media/assets/${id}`, token: missionEditor.session.accessToken, payload: { title: 'mine now' } });
    expect(readOnly.statusCode).toBe(403);
    expect(readOnly.json()).toMatchObject({ code: 'asset_read_only' });
    const stranger = await call(t, { method: 'GET', url: `/api/v1/media/assets/${id}`, token: other.owner.accessToken });
    expect(stranger.statusCode).toBe(404);
    const strangerList = await call(t, { method: 'GET', url: '/api/v1/media/assets', token: other.owner.accessToken });
    expect(strangerList.json<{ items: unknown[] }>().items).toEqual([]);

    const search = await call(t, { method: 'GET', url: '/api/v1/media/assets?q=summit', token: owner.accessToken });
    expect(search.json<{ items: { id: string }[] }>().items.map((a) => a.id)).toEqual([id]);
    // The list carries each ready asset's thumbnail link, signed like the detail's links.
    expect((await waitForAsset(t, owner.accessToken, id, (a) => a.status !== 'processing')).status).toBe('ready');
    const listed = await call(t, { method: 'GET', url: '/api/v1/media/assets?q=summit', token: owner.accessToken });
    const thumb = listed.json<{ items: { thumbnailUrl: string | null }[] }>().items[0]!.thumbnailUrl;
    expect(thumb).toMatch(/^\/api\/v1\/media\/files\?token=/);
    const thumbRes = await fetch(`${c.base}${thumb}`);
    expect(thumbRes.status).toBe(200);
    expect(thumbRes.headers.get('content-type')).toBe('image/webp');

    const detail = seen.json<{ originalUrl: string }>();
    const range = await fetch(`${c.base}${detail.originalUrl}`, { headers: { range: 'bytes=10-19' } });
    expect(range.status).toBe(206);
    expect(range.headers.get('content-range')).toBe(`bytes 10-19/${jpeg.length}`);
    expect(Buffer.from(await range.arrayBuffer()).equals(jpeg.subarray(10, 20))).toBe(true);
    const outside = await fetch(`${c.base}${detail.originalUrl}`, { headers: { range: `bytes=${jpeg.length + 5}-` } });
    expect(outside.status).toBe(416);
    const forged = await fetch(`${c.base}${detail.originalUrl.slice(0, -3)}abc`);
    expect(forged.status).toBe(404);
    expect(await forged.json()).toMatchObject({ code: 'link_invalid' });

    const del = await call(t, { method: 'DELETE', url: `/api/v1/media/assets/${id}`, token: owner.accessToken });
    expect(del.statusCode).toBe(204);
    const gone = await fetch(`${c.base}${detail.originalUrl}`);
    expect(gone.status).toBe(404);
  });

  it('refuses a decompression bomb with a clear reason', async () => {
    const bomb = makePngBomb();
    const { body } = await upload(c, bomb, { filename: 'bomb.png' });
    const failed = await waitForAsset(t, owner.accessToken, body.asset.id, (a) => a.status !== 'processing');
    expect(failed.status).toBe('failed');
    expect(failed.failure).toMatch(/too large to process/);
  });
});
