import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';
import { mediaEnv, upload, waitForAsset, type TusClient } from './media-fixtures.js';

let t: TestApp;
let owner: Session;
let c: TusClient;
let dir: string;

/** A real clip from ffmpeg's test sources: moving colour bars and a tone. */
async function makeClip(name: string, args: string[]): Promise<Buffer> {
  const path = join(dir, name);
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args, path]);
  return readFile(path);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guddu-video-test-'));
  t = await startTestApp(mediaEnv(), { role: 'all' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  owner = (await seedRootOrg(t)).owner;
  c = { base: await t.app.getUrl(), token: owner.accessToken };
});
afterAll(async () => {
  await t?.close();
}, 180_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('video processing', { timeout: 180_000 }, () => {
  it('makes 1080p and 720p H.264/AAC, a 9:16 cut, a poster and a sprite, each checked against the networks, with progress as SSE', async () => {
    const clip = await makeClip('briefing.mp4', ['-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=15:duration=1.5', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1.5', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest']);
    const { status, body } = await upload(c, clip, { filename: 'briefing.mp4', vertical: 'true' });
    expect(status).toBe(200);
    expect(body.asset.kind).toBe('video');
    const events = await fetch(`${c.base}/api/v1/media/assets/${body.asset.id}/progress`, { headers: { authorization: `Bearer ${owner.accessToken}` } });
    expect(events.headers.get('content-type')).toMatch(/text\/event-stream/);
    const stream = await events.text(); // ends with the final state
    const states = [...stream.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as { status: string; stage: string; progress: number });
    expect(states.at(-1)).toMatchObject({ status: 'ready', stage: 'done', progress: 100 });

    const a = await waitForAsset(t, owner.accessToken, body.asset.id, (x) => x.status !== 'processing', 150_000);
    expect(a).toMatchObject({ status: 'ready', width: 1920, height: 1080 });
    const byName = Object.fromEntries(a.renditions.map((r) => [r.name, r]));
    expect(Object.keys(byName).sort()).toEqual(['poster', 'sprite', 'video_1080p', 'video_720p', 'video_9_16']);
    expect(byName.video_1080p).toMatchObject({ width: 1920, height: 1080, mime: 'video/mp4' });
    expect(byName.video_720p).toMatchObject({ width: 1280, height: 720 });
    expect(byName.video_9_16!.width / byName.video_9_16!.height).toBeCloseTo(9 / 16, 2);
    expect(byName.video_720p!.networks.x).toEqual({ ok: true, reasons: [] });
    expect(byName.video_1080p!.networks.x!.reasons.join(' ')).toMatch(/1920 pixels wide/);
    // The rendition really is H.264 + AAC with the index up front (faststart).
    const mp4 = Buffer.from(await (await fetch(`${c.base}${byName.video_720p!.url}`)).arrayBuffer());
    expect(mp4.indexOf('moov')).toBeLessThan(mp4.indexOf('mdat'));
    await writeFile(join(dir, 'out.mp4'), mp4);
    const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', join(dir, 'out.mp4')]).toString()) as { streams: { codec_name: string }[] };
    expect(probe.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
  }, 180_000);

  it('turns a phone video recorded sideways upright', async () => {
    // Stored 640x360 with a 90° display rotation, as phones record portrait video.
    await makeClip('phone-raw.mp4', ['-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=15:duration=1', '-f', 'lavfi', '-i', 'sine=duration=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest']);
    // ffmpeg 5.1 writes the rotation (a display matrix) only when remuxing.
    const clip = await makeClip('phone.mp4', ['-i', join(dir, 'phone-raw.mp4'), '-c', 'copy', '-metadata:s:v:0', 'rotate=90']);
    const { body } = await upload(c, clip, { filename: 'phone.mp4' });
    const a = await waitForAsset(t, owner.accessToken, body.asset.id, (x) => x.status !== 'processing', 100_000);
    expect(a).toMatchObject({ status: 'ready', width: 180, height: 320 });
    const video = a.renditions.find((r) => r.name.startsWith('video_'))!;
    expect(video.height).toBeGreaterThan(video.width);
  }, 120_000);

  it('fails a corrupt video with a reason a person understands', async () => {
    const clip = await makeClip('cut.mp4', ['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=2', '-c:v', 'libx264', '-preset', 'ultrafast']);
    // The first 40% of the file only: the header says MP4, the index and most frames are gone.
    const { body } = await upload(c, clip.subarray(0, Math.floor(clip.length * 0.4)), { filename: 'cut.mp4' });
    const a = await waitForAsset(t, owner.accessToken, body.asset.id, (x) => x.status !== 'processing');
    expect(a.status).toBe('failed');
    expect(a.failure).toMatch(/incomplete or corrupt|not a video/);
  });

  it('cancels a transcode in progress and records no rendition', async () => {
    const clip = await makeClip('long.mp4', ['-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=30:duration=30', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '40']);
    const { body } = await upload(c, clip, { filename: 'long.mp4' });
    await waitForAsset(t, owner.accessToken, body.asset.id, (x) => (x as { stage?: string }).stage === 'transcoding');
    const res = await call(t, { method: 'POST', url: `/api/v1/media/assets/${body.asset.id}/cancel`, token: owner.accessToken });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'cancelled' });
    await new Promise((r) => setTimeout(r, 2500));
    const a = await waitForAsset(t, owner.accessToken, body.asset.id, () => true);
    expect(a.status).toBe('cancelled');
    expect(a.renditions).toEqual([]);
    const again = await call(t, { method: 'POST', url: `/api/v1/media/assets/${body.asset.id}/cancel`, token: owner.accessToken });
    expect(again.statusCode).toBe(409);
  }, 90_000);
});
