// `npm run bench -- media`: the media pipeline on the built server (server/dist), each figure next
// to a baseline measured in the same run: a 1080p30 clip to the 1080p + 720p renditions (with the
// poster and sprite Guddu makes in the same ffmpeg process) vs the best single raw ffmpeg command
// for the same four outputs; a 4000x3000 JPEG to every image rendition vs raw sharp; upload
// throughput through tus to disk vs a raw HTTP PUT into a file and a raw fs write, and through tus
// to S3 (s3rver) vs a raw SDK multipart upload of the same bytes. See bench/README.md.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import S3rver from 's3rver';
import sharp from 'sharp';
import { forget, onCleanup, removeDirLater } from './lib/cleanup.mjs';
import { freePort, startNode, waitForHttp } from './lib/children.mjs';
import { table } from './lib/format.mjs';
import { addMultipartListing } from '../server/test/fixtures/s3rver-multipart.mjs';
import { CLI, EMAIL, gudduEnv, PASSWORD, prepareDatabase, ROOT } from './lib/guddu.mjs';

const TARGET_VIDEO_RATIO = 1.05;
const TARGET_VIDEO_SECONDS = 35;

export const description = 'video 1080p+720p+poster+sprite vs raw ffmpeg, 4000x3000 JPEG renditions vs raw sharp, tus upload to disk and S3 vs raw HTTP PUT, fs write and SDK multipart';

export const options = {
  seconds: { type: 'string', default: '60', help: 'length of the generated 1080p30 clip in seconds (default 60)' },
};

const positiveInt = (name, v) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer (got "${v}")`);
  return n;
};

/** Runs a command (no shell); resolves on exit 0, rejects with its stderr tail otherwise. */
function exec(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err = (err + d).slice(-2000)));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${err}`))));
  });
}

/** The clip: testsrc2 video and a sine tone, 1080p30 H.264/AAC, what a camera would hand over. */
async function makeClip(dir, seconds) {
  const path = join(dir, 'clip.mp4');
  await exec('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=30:duration=${seconds}`, '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', path]);
  return path;
}

/**
 * The baseline: one ffmpeg process, one decode, split to the same four outputs Guddu's job makes
 * (planTranscode in server/src/platform/video/transcode.ts) with the same encoder settings:
 * 1080p and 720p H.264 (veryfast, CRF 23) + AAC 128k with faststart, a poster frame a second in,
 * and a 5x2 sprite of ten evenly spaced thumbnails.
 */
async function rawFfmpeg(input, dir, seconds) {
  const encode = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-profile:v', 'high', '-map', '0:a:0', '-c:a', 'aac', '-b:a', '128k', '-ac', '2', '-movflags', '+faststart'];
  const graph = [
    '[0:v:0]split=4[a][b][c][d]',
    '[a]scale=1920:1080:flags=bicubic[v1080]',
    '[b]scale=1280:720:flags=bicubic[v720]',
    `[c]trim=start=${Math.min(1, seconds / 2).toFixed(3)},setpts=PTS-STARTPTS,scale=1920:1080[poster]`,
    `[d]fps=${(10.5 / seconds).toFixed(5)},scale=160:90,tile=5x2[sprite]`,
  ].join(';');
  const started = performance.now();
  await exec('ffmpeg', ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-i', input, '-filter_complex', graph,
    '-map', '[v1080]', ...encode, join(dir, 'raw_1080p.mp4'), '-map', '[v720]', ...encode, join(dir, 'raw_720p.mp4'),
    '-map', '[poster]', '-frames:v', '1', '-q:v', '3', join(dir, 'raw_poster.jpg'), '-map', '[sprite]', '-frames:v', '1', '-q:v', '5', join(dir, 'raw_sprite.jpg')]);
  return (performance.now() - started) / 1000;
}

/** The baseline for images: raw sharp, one decode, the same six targets as Guddu's pipeline. */
async function rawSharp(jpeg, dir) {
  const { IMAGE_TARGETS } = await import(join(ROOT, 'server', 'dist', 'platform', 'imaging', 'image-renditions.js'));
  const started = performance.now();
  const base = sharp(jpeg).rotate();
  await Promise.all(IMAGE_TARGETS.map((t) => {
    let img = base.clone().resize(t.height ? { width: t.width, height: t.height, fit: 'cover' } : { width: t.width, withoutEnlargement: true });
    img = t.format === 'jpeg' ? img.jpeg({ quality: 85, mozjpeg: false }) : t.format === 'webp' ? img.webp() : img.avif();
    return img.toFile(join(dir, `raw_${t.name}.${t.format}`));
  }));
  return { seconds: (performance.now() - started) / 1000, count: IMAGE_TARGETS.length };
}

async function makeJpeg(path) {
  // A gradient with noise: compresses like a photograph, not like a flat colour.
  const noise = await sharp({ create: { width: 4000, height: 3000, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).png().toBuffer();
  const buf = await sharp(noise).jpeg({ quality: 90 }).toBuffer();
  writeFileSync(path, buf);
  return buf;
}

/** A tus upload in one PATCH: resolves the seconds spent and the asset made of it. */
async function tusUpload(base, token, bytes, name) {
  const b64 = (s) => Buffer.from(s).toString('base64');
  const sha = createHash('sha256').update(bytes).digest('hex');
  const headers = { 'tus-resumable': '1.0.0', authorization: `Bearer ${token}` };
  const started = performance.now();
  const created = await fetch(`${base}/api/v1/media/uploads`, { method: 'POST', headers: { ...headers, 'upload-length': String(bytes.length), 'upload-metadata': `filename ${b64(name)},sha256 ${b64(sha)}` } });
  if (created.status !== 201) throw new Error(`tus POST: HTTP ${created.status} ${await created.text()}`);
  const url = new URL(created.headers.get('location'), `${base}/api/v1/media/uploads/`).toString();
  const res = await fetch(url, { method: 'PATCH', headers: { ...headers, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, body: bytes });
  const body = await res.json();
  const seconds = (performance.now() - started) / 1000;
  if (res.status !== 200) throw new Error(`tus PATCH: HTTP ${res.status} ${JSON.stringify(body)}`);
  return { seconds, asset: body.asset, done: performance.now() };
}

/** The floor for any upload over HTTP here: a bare node:http server streaming one PUT into a file. */
async function rawHttpPut(bytes, dir) {
  const server = createServer((req, res) => {
    pipeline(req, createWriteStream(join(dir, 'raw-put.bin'))).then(() => res.end('ok'), (err) => res.destroy(err));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const started = performance.now();
    const res = await fetch(`http://127.0.0.1:${server.address().port}/`, { method: 'PUT', body: bytes });
    await res.text();
    if (res.status !== 200) throw new Error(`raw PUT: HTTP ${res.status}`);
    return (performance.now() - started) / 1000;
  } finally {
    server.close();
  }
}

/** s3rver on loopback in a temporary directory, as the tests start it (with the ListParts tus's S3 store needs). */
async function startS3(dir) {
  const bucket = 'guddu-bench';
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: join(dir, 's3'), configureBuckets: [{ name: bucket, configs: [] }] });
  addMultipartListing(server);
  const { port } = await server.run();
  const step = onCleanup('stop s3rver', () => server.close());
  const stop = async () => {
    forget(step);
    await server.close();
  };
  const endpoint = `http://127.0.0.1:${port}`;
  return { endpoint, bucket, stop, env: { GUDDU_STORAGE: 's3', GUDDU_S3_ENDPOINT: endpoint, GUDDU_S3_BUCKET: bucket, GUDDU_S3_ACCESS_KEY_ID: 'S3RVER', GUDDU_S3_SECRET_ACCESS_KEY: 'S3RVER' } };
}

/** The S3 baseline: the SDK's multipart upload of the bytes in memory, with the part size and queue Guddu's S3 storage uses. */
async function rawS3Upload(s3, bytes) {
  const client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  try {
    const started = performance.now();
    await new Upload({ client, params: { Bucket: s3.bucket, Key: 'raw/clip.mp4', Body: bytes }, queueSize: 4, partSize: 8 * 1024 * 1024 }).done();
    return (performance.now() - started) / 1000;
  } finally {
    client.destroy();
  }
}

/** A built Guddu with a fresh database, signed in as the bootstrapped owner. */
async function startGuddu(extraEnv) {
  const db = await prepareDatabase();
  const port = await freePort();
  const env = gudduEnv(db, port, 8, { GUDDU_MEDIA_MAX_UPLOAD_BYTES: String(4 * 1024 ** 3), ...extraEnv });
  const handle = startNode('guddu', [CLI, 'start'], { env, cwd: ROOT });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/readyz`, handle);
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) });
  if (login.status !== 200) throw new Error(`login: HTTP ${login.status}`);
  const { accessToken: token } = await login.json();
  return { base, token, handle, label: db.label };
}

const cpus = availableParallelism();
const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');

/**
 * From the upload's completion (the job is queued then) until the asset is ready, with the time
 * each processing stage was first seen: where Guddu's time goes. Followed as the console follows
 * it, on the progress stream (server-sent events; the server reads the asset row every 500 ms),
 * not by polling the asset: a GET every 50 ms (auth, renditions, signed links) cost the server
 * CPU that the raw baseline never pays, on a machine where ffmpeg is short of it.
 */
async function untilReady(base, token, id, from) {
  const stages = [];
  const res = await fetch(`${base}/api/v1/media/assets/${id}/progress`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } });
  if (res.status !== 200) throw new Error(`progress stream: HTTP ${res.status}`);
  let buffered = '';
  let last;
  const decoder = new TextDecoder();
  for await (const chunk of res.body) {
    buffered += decoder.decode(chunk, { stream: true });
    const events = buffered.split('\n\n');
    buffered = events.pop() ?? '';
    for (const e of events) {
      const data = /^data: (.*)$/m.exec(e)?.[1];
      if (!/^event: progress$/m.test(e) || !data) continue;
      last = JSON.parse(data);
      const at = (performance.now() - from) / 1000;
      if (stages.at(-1)?.stage !== last.stage) stages.push({ stage: last.stage, at });
    }
  }
  const seconds = (performance.now() - from) / 1000;
  if (last?.status !== 'ready') throw new Error(`asset ${id} ${last?.status}: ${last?.failure}`);
  const a = await (await fetch(`${base}/api/v1/media/assets/${id}`, { headers: { authorization: `Bearer ${token}` } })).json();
  return { seconds, renditions: a.renditions.length, stages: stages.map((s) => `${s.stage} ${s.at.toFixed(2)}`).join(', ') };
}

export async function run(values) {
  const seconds = positiveInt('seconds', values.seconds);
  const dir = mkdtempSync(join(tmpdir(), 'guddu-bench-media-'));
  removeDirLater(dir);
  process.stdout.write(`generating a ${seconds} s 1080p30 clip and a 4000x3000 JPEG in ${dir} ...\n`);
  const clipPath = await makeClip(dir, seconds);
  const clip = readFileSync(clipPath);
  const jpeg = await makeJpeg(join(dir, 'photo.jpg'));
  const loadBefore = load();

  const guddu = await startGuddu({});
  const { base, token } = guddu;
  process.stdout.write(`Guddu on ${guddu.label}; load average (1, 5, 15 min) ${loadBefore}\n\n`);

  // Video: the upload is timed on its own (throughput); the job from its end to ready. The raw
  // command runs before and after (the machine is shared: its load drifts), and the baseline is
  // their mean.
  const rawBefore = await rawFfmpeg(clipPath, dir, seconds);
  const up = await tusUpload(base, token, clip, 'clip.mp4');
  const video = await untilReady(base, token, up.asset.id, up.done);
  const rawAfter = await rawFfmpeg(clipPath, dir, seconds);
  const raw = (rawBefore + rawAfter) / 2;

  const putSeconds = await rawHttpPut(clip, dir);
  const raw2 = performance.now();
  writeFileSync(join(dir, 'raw-write.bin'), clip);
  const fsSeconds = (performance.now() - raw2) / 1000;

  const img = await tusUpload(base, token, jpeg, 'photo.jpg');
  const image = await untilReady(base, token, img.asset.id, img.done);
  const rawImg = await rawSharp(jpeg, dir);
  await guddu.handle.stop();

  // S3: the raw SDK upload first, then tus into a Guddu on S3 storage (stopped right after, before
  // its transcode of the clip competes with anything measured).
  const s3 = await startS3(dir);
  const onS3 = await startGuddu(s3.env);
  const sdkSeconds = await rawS3Upload(s3, clip);
  const upS3 = await tusUpload(onS3.base, onS3.token, clip, 'clip.mp4');
  await onS3.handle.stop();
  await s3.stop();
  const loadAfter = load();

  const mb = clip.length / 1024 ** 2;
  const ratio = video.seconds / raw;
  const rate = (s) => `${(mb / s).toFixed(1)} MB/s`;
  process.stdout.write(`${table([
    ['figure', 'guddu', 'baseline', 'guddu time / baseline time'],
    [`video ${seconds} s 1080p30 -> 1080p+720p+poster+sprite (${video.renditions} outputs, job start to ready)`, `${(video.seconds).toFixed(2)} s`, `${(raw).toFixed(2)} s raw ffmpeg (${rawBefore.toFixed(2)} before, ${rawAfter.toFixed(2)} after)`, (ratio).toFixed(2)],
    [`image 4000x3000 -> ${image.renditions} renditions`, `${(image.seconds).toFixed(2)} s`, `${(rawImg.seconds).toFixed(2)} s raw sharp (${rawImg.count})`, (image.seconds / rawImg.seconds).toFixed(2)],
    [`upload ${(mb).toFixed(1)} MB to disk`, `${rate(up.seconds)} tus`, `${rate(putSeconds)} raw HTTP PUT to a file`, (up.seconds / putSeconds).toFixed(2)],
    ['', '', `${rate(fsSeconds)} raw fs write (no HTTP)`, (up.seconds / fsSeconds).toFixed(1)],
    [`upload ${(mb).toFixed(1)} MB to S3 (s3rver)`, `${rate(upS3.seconds)} tus`, `${rate(sdkSeconds)} raw SDK multipart`, (upS3.seconds / sdkSeconds).toFixed(2)],
  ])}\n`);
  process.stdout.write(`\nvideo target: guddu <= ${TARGET_VIDEO_RATIO}x raw ffmpeg ${ratio <= TARGET_VIDEO_RATIO ? 'met' : 'NOT met'}; under ${TARGET_VIDEO_SECONDS} s for a 60 s clip ${seconds === 60 ? (video.seconds < TARGET_VIDEO_SECONDS ? 'met' : 'NOT met') : '(not measured: --seconds is not 60)'}\n`);
  process.stdout.write(`video stages, seconds after the upload: ${video.stages}\n`);
  process.stdout.write(`clip ${(mb).toFixed(1)} MB (${statSync(clipPath).size} bytes); load average before ${loadBefore}, after ${loadAfter} on ${cpus} cores\n`);
  return 0;
}
