import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { DeliveryList, DeliveryView } from '../src/modules/publishing/deliveries.dto.js';
import type { Network } from '../src/modules/publishing/channel-access.port.js';
import { channelsEnv, connectSandboxChannel, sandboxOf, type ChannelView } from './channels-fixtures.js';
import { addUser, call, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';
import { until } from './jobs-harness.js';
import { makeJpeg, mediaEnv, sha256, upload, waitForAsset, type TusClient } from './media-fixtures.js';

type Delivery = z.infer<typeof DeliveryView>;

// Media posts end to end (issue 13): upload to the media library, a message carrying it, submit,
// approve, due; the worker resolves each network's rendition, reads its bytes from storage and
// goes through each network's own upload flow against the sandbox simulators (Facebook and
// Instagram pull the signed link from this server, so it listens on a real port). Proof is in
// the simulators' ledger: the SHA-256 of the bytes each post carries, and that only one post
// carries them.
let t: TestApp;
let dir: string;
let tus: TusClient;
let owner: Session;
let editor: Session;
let approver: Session;
const channels = {} as Record<Network, ChannelView>;
let picture: { id: string; hashes: Record<string, string> };
let second: { id: string; hashes: Record<string, string> };
let clip: { id: string; hashes: Record<string, string> };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Uploads, waits until processed, gives alt text; returns the id and each rendition's SHA-256. */
async function ready(bytes: Buffer, filename: string, alt: Record<string, string> | null): Promise<{ id: string; hashes: Record<string, string> }> {
  const res = await upload(tus, bytes, { filename });
  expect(res.status).toBe(200);
  const a = await waitForAsset(t, owner.accessToken, res.body.asset.id, (x) => x.status !== 'processing', 170_000);
  expect(a.status, String(a.failure)).toBe('ready');
  if (alt) expect((await call(t, { method: 'PATCH', url: `/api/v1/media/assets/${a.id as string}`, token: owner.accessToken, payload: { altText: alt } })).statusCode).toBe(200);
  const hashes: Record<string, string> = {};
  for (const r of a.renditions) hashes[r.name] = sha256(Buffer.from(await (await fetch(`${tus.base}${r.url}`)).arrayBuffer()));
  return { id: res.body.asset.id, hashes };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guddu-pubmedia-'));
  const port = await freePort();
  t = await startTestApp({ ...mediaEnv(), ...channelsEnv(), PORT: String(port), GUDDU_PUBLIC_URL: `http://127.0.0.1:${port}`, GUDDU_DB_POOL_SIZE: '20', GUDDU_DELIVERY_CALL_TIMEOUT_MS: '15000' }, { role: 'all' });
  await t.app.listen({ port, host: '127.0.0.1' });
  const { orgId, owner: o } = await seedRootOrg(t);
  owner = o;
  editor = (await addUser(t, orgId, 'editor')).session;
  approver = (await addUser(t, orgId, 'approver')).session;
  tus = { base: await t.app.getUrl(), token: owner.accessToken };
  for (const n of ['x', 'facebook', 'instagram', 'linkedin', 'youtube', 'mastodon', 'bluesky'] as const) channels[n] = await connectSandboxChannel(t, owner, n);
  picture = await ready(await makeJpeg(640, 480), 'camp.jpg', { en: 'Doctors at the vaccination camp', hi: 'टीकाकरण शिविर में डॉक्टर' });
  second = await ready(await makeJpeg(480, 600), 'queue.jpg', { en: 'The queue outside', hi: 'बाहर की कतार' });
  const file = join(dir, 'clip.mp4');
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=15:duration=4', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=4', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', file]);
  clip = await ready(await readFile(file), 'clip.mp4', null);
}, 300_000);
afterAll(async () => {
  await t?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

async function dueMessage(text: string, content: Record<string, unknown>): Promise<string> {
  const created = await call(t, { method: 'POST', url: '/api/v1/messages', token: editor.accessToken, payload: { title: text.slice(0, 40), content: { bodies: { en: text }, ...content } } });
  expect(created.statusCode, created.body).toBe(201);
  const m = created.json<{ id: string; revision: number; contentHash: string }>();
  const timed = await call(t, { method: 'PUT', url: `/api/v1/messages/${m.id}/schedule`, token: editor.accessToken, payload: { at: new Date(Date.now() + 2_500).toISOString(), zone: 'UTC' }, headers: { 'if-match': `"${m.revision}"` } });
  expect(timed.statusCode, timed.body).toBe(200);
  const submitted = await call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/submit`, token: editor.accessToken, payload: {} });
  expect(submitted.statusCode, submitted.body).toBe(200);
  const approved = await call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/approvals`, token: approver.accessToken, payload: { decision: 'approved', contentHash: m.contentHash } });
  expect(approved.json<{ status: string }>().status, approved.body).toBe('scheduled');
  return m.id;
}

async function settled(messageId: string, ms = 120_000): Promise<{ status: string; items: Delivery[] }> {
  let items: Delivery[] = [];
  let status = '';
  try {
    await until(async () => {
      items = (await call(t, { method: 'GET', url: `/api/v1/messages/${messageId}/deliveries`, token: editor.accessToken })).json<z.infer<typeof DeliveryList>>().items;
      status = (await call(t, { method: 'GET', url: `/api/v1/messages/${messageId}`, token: editor.accessToken })).json<{ status: string }>().status;
      return ['published', 'partially_published', 'failed'].includes(status);
    }, ms, 'the message settled', 250);
  } catch (err) {
    throw new Error(`${(err as Error).message}: ${status} ${JSON.stringify(items.map((d) => [d.network, d.state, d.failureReason]))}`, { cause: err });
  }
  return { status, items };
}

/** The ledger's post for a delivery, and how many posts anywhere carry these bytes. */
function ledgerOf(network: Network, externalId: string | null) {
  const ledger = sandboxOf(t).harness.ledger;
  const post = ledger.list(network).find((p) => p.id === externalId);
  return { post, carrying: (hash: string) => ledger.list().filter((p) => p.network === network && p.media?.includes(hash)).length };
}

describe('deliveries with media', { timeout: 240_000 }, () => {
  it('uploads → message with a picture → approved → published with the picture on six networks, each getting the bytes once', async () => {
    const networks = ['x', 'facebook', 'instagram', 'linkedin', 'mastodon', 'bluesky'] as const;
    const id = await dueMessage('Vaccination camp in Pune today, 9 to 5', { media: [picture.id], targets: networks.map((n) => channels[n].id) });
    const { status, items } = await settled(id);
    expect(status, JSON.stringify(items.map((d) => [d.network, d.state, d.failureReason]))).toBe('published');
    // 640x480 is landscape but not wide: the square crop is the default for every network.
    const expected = picture.hashes.square!;
    expect(expected).toBeTruthy();
    for (const d of items) {
      const { post, carrying } = ledgerOf(d.network as Network, d.externalId);
      expect(post?.media, String(d.network)).toEqual([expected]);
      expect(carrying(expected), String(d.network)).toBe(1);
    }
    // Alt text went with the picture where the network takes it (Mastodon keeps it as the description).
    const statuses = (await (await fetch(`${sandboxOf(t).urls.mastodon}/__sim/state`)).json()) as { media?: { description: string | null }[] };
    expect(statuses.media?.map((m) => m.description)).toContain('Doctors at the vaccination camp');
  });

  it('a carousel on Instagram and two pictures elsewhere, with a rendition a variant picked', async () => {
    const networks = ['instagram', 'x', 'mastodon', 'bluesky'] as const;
    const id = await dueMessage('Two views of the camp', {
      media: [picture.id, second.id],
      targets: networks.map((n) => channels[n].id),
      channels: ['instagram'],
      // The portrait picture's default is its 4:5 crop; Instagram's variant picks the square one.
      variants: { instagram: { renditions: { [second.id]: 'square' } } },
    });
    const { status, items } = await settled(id);
    expect(status, JSON.stringify(items.map((d) => [d.network, d.state, d.failureReason]))).toBe('published');
    for (const d of items) {
      const want = [picture.hashes.square!, d.network === 'instagram' ? second.hashes.square! : second.hashes.portrait_4_5!];
      const { post } = ledgerOf(d.network as Network, d.externalId);
      expect(post?.media, String(d.network)).toEqual(want);
    }
  });

  it('a video to YouTube, X, Facebook, Instagram, LinkedIn, Mastodon and Bluesky through each upload flow', async () => {
    const id = await dueMessage('Highlights of the camp', {
      media: [clip.id],
      targets: Object.values(channels).map((c) => c.id),
      channels: ['youtube'],
      variants: { youtube: { options: { title: 'Camp highlights', privacy: 'unlisted' } } },
    });
    const { status, items } = await settled(id, 180_000);
    expect(status, JSON.stringify(items.map((d) => [d.network, d.state, d.failureReason]))).toBe('published');
    expect(items).toHaveLength(7);
    const expected = clip.hashes.video_240p!;
    expect(expected).toBeTruthy();
    for (const d of items) {
      const { post, carrying } = ledgerOf(d.network as Network, d.externalId);
      expect(post?.media, String(d.network)).toEqual([expected]);
      expect(carrying(expected), String(d.network)).toBe(1);
    }
  });
});
