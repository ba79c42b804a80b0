import { createHash, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { expect } from 'vitest';
import { call, type TestApp } from './harness.js';

/** Env for a media test app: jobs on the run's Redis when there is one, under a prefix of its own. */
export const mediaEnv = (): Record<string, string> => ({
  GUDDU_DB_POOL_SIZE: '8',
  ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL, GUDDU_REDIS_PREFIX: `tm${randomUUID().slice(0, 8)}` } : {}),
});

/** A real JPEG made by sharp: a colour gradient with some noise, so every upload differs. */
// Only the seed modulo 256 shows in the pixels, so random seeds made two "different" images
// identical about once in 256 pairs, and the upload's dedupe then returned one asset for both.
// A counter keeps a file's images distinct; an explicit seed still makes a deliberate duplicate.
let nextSeed = Math.floor(Math.random() * 256);

export async function makeJpeg(width: number, height: number, opts: { orientation?: number; seed?: number } = {}): Promise<Buffer> {
  const channels = 3;
  const raw = Buffer.alloc(width * height * channels);
  const seed = opts.seed ?? nextSeed++;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      raw[i] = (x * 255) / width;
      raw[i + 1] = (y * 255) / height;
      raw[i + 2] = (seed + x * y) % 256;
    }
  }
  let img = sharp(raw, { raw: { width, height, channels } }).jpeg({ quality: 90 });
  if (opts.orientation) img = img.withMetadata({ orientation: opts.orientation });
  return img.toBuffer();
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const b64 = (s: string) => Buffer.from(s).toString('base64');

export interface TusClient {
  base: string;
  token: string;
  org?: string;
}

function headersOf(c: TusClient, extra: Record<string, string>): Record<string, string> {
  return { 'tus-resumable': '1.0.0', authorization: `Bearer ${c.token}`, ...(c.org ? { 'x-guddu-org': c.org } : {}), ...extra };
}

/** POST: creates an upload; resolves the upload URL (or the refusal). */
export async function createUpload(c: TusClient, length: number, meta: Record<string, string> = {}): Promise<Response> {
  const metadata = Object.entries(meta).map(([k, v]) => `${k} ${b64(v)}`).join(',');
  return fetch(`${c.base}/api/v1/media/uploads`, { method: 'POST', headers: headersOf(c, { 'upload-length': String(length), ...(metadata ? { 'upload-metadata': metadata } : {}) }) });
}

export function uploadUrl(c: TusClient, res: Response): string {
  expect(res.status, `create upload: ${res.status}`).toBe(201);
  return new URL(res.headers.get('location')!, `${c.base}/api/v1/media/uploads/`).toString();
}

export async function patch(c: TusClient, url: string, offset: number, bytes: Buffer): Promise<Response> {
  return fetch(url, { method: 'PATCH', headers: headersOf(c, { 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' }), body: bytes });
}

export async function offsetOf(c: TusClient, url: string): Promise<number> {
  const res = await fetch(url, { method: 'HEAD', headers: headersOf(c, {}) });
  expect(res.status).toBe(200);
  return Number(res.headers.get('upload-offset'));
}

/**
 * A PATCH that announces all of `bytes` but sends only the first `sent`, then drops the
 * connection: what a train going into a tunnel does to an upload.
 */
export function dropMidway(c: TusClient, url: string, offset: number, bytes: Buffer, sent: number): Promise<void> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'PATCH', headers: headersOf(c, { 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream', 'content-length': String(bytes.length) }) });
    req.on('error', () => resolve());
    req.on('response', () => resolve());
    req.write(bytes.subarray(0, sent), () => setTimeout(() => { req.destroy(); resolve(); }, 300));
  });
}

/** The whole upload in one PATCH; resolves the asset the server made of it. */
export async function upload(c: TusClient, bytes: Buffer, meta: Record<string, string> = {}): Promise<{ status: number; body: { asset: { id: string; status: string; kind: string }; duplicate: boolean } & Record<string, unknown> }> {
  const url = uploadUrl(c, await createUpload(c, bytes.length, meta));
  const res = await patch(c, url, 0, bytes);
  return { status: res.status, body: (await res.json()) as never };
}

export async function waitForAsset(t: TestApp, token: string, id: string, until: (a: { status: string }) => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call(t, { method: 'GET', url: `/api/v1/media/assets/${id}`, token });
    const a = res.json<{ status: string }>();
    if (until(a)) return res.json<Record<string, unknown> & { status: string; failure: string | null; renditions: { name: string; url: string; width: number; height: number; mime: string; networks: Record<string, { ok: boolean; reasons: string[] }> }[] }>();
    if (Date.now() > deadline) throw new Error(`asset ${id} still ${a.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * A decompression bomb: a valid PNG header declaring 30,000 x 30,000 grey pixels (900
 * megapixels, 900 MB decoded) over a few hundred bytes of compressed zeros.
 */
export function makePngBomb(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(30_000, 0);
  ihdr.writeUInt32BE(30_000, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(0, 9); // greyscale
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(100_000))), chunk('IEND', Buffer.alloc(0))]);
}
