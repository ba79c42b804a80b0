import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { startSimulators, type NetworkName, type RunningSimulators } from '@guddu/simulators';
import sharp from 'sharp';
import type { Network } from '../src/modules/publishing/channel-access.port.js';
import { ProviderError, type PostInput, type PostMedia, type ProviderCall, type RateLimitObservation } from '../src/modules/publishing/providers/provider.js';

const run = promisify(execFile);

/**
 * Provider tests run against one network's simulator over real loopback HTTP, with an account
 * and ready tokens seeded through its admin API: no database, no mocks.
 */
export interface SimNetwork {
  sims: RunningSimulators;
  base: string;
  admin<T = Record<string, unknown>>(path: string, body?: unknown, method?: string): Promise<T>;
  close(): Promise<void>;
}

export async function startNetworkSim(network: NetworkName): Promise<SimNetwork> {
  const sims = await startSimulators({ networks: [network], seed: 7 });
  const base = sims.urls[network] ?? '';
  const admin = async <T,>(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<T> => {
    const response = await fetch(`${base}/__sim${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status >= 400) throw new Error(`admin ${path}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? {} : await response.json()) as T;
  };
  return { sims, base, admin, close: () => sims.close() };
}

export interface TestCall extends ProviderCall {
  observed: RateLimitObservation[];
}

/** A ProviderCall as the engine makes one: the channel's credentials and a fetch with a timeout. */
export function providerCall(network: Network, baseUrl: string, account: { accountId: string; accessToken: string; handle?: string | null; extra?: Record<string, string> }, timeoutMs = 1_500): TestCall {
  const observed: RateLimitObservation[] = [];
  return {
    observed,
    credentials: {
      channel: { id: randomUUID(), orgId: randomUUID(), network, accountId: account.accountId, handle: account.handle ?? null, displayName: 'Sandbox', baseUrl, language: null, sandbox: true, status: 'active' },
      accessToken: account.accessToken,
      extra: account.extra ?? {},
    },
    fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
    observeRateLimit: (o) => observed.push(o),
  };
}

export function postInput(text: string, extra: Partial<PostInput> = {}): PostInput {
  return { idempotencyKey: randomUUID(), text, link: null, language: 'en', media: [], options: {}, ...extra };
}

/** A real JPEG made by sharp (a noisy gradient, so uploads differ), wrapped as a delivery's media. */
export async function jpegMedia(width: number, height: number, altText: string | null = 'A gradient', url = 'http://127.0.0.1:9/unused.jpg'): Promise<PostMedia> {
  const raw = Buffer.alloc(width * height * 3);
  const seed = Math.floor(Math.random() * 255);
  for (let i = 0; i < raw.length; i += 3) {
    raw[i] = (i / 3) % 256;
    raw[i + 1] = (seed + i) % 256;
    raw[i + 2] = Math.floor(i / (width * 3)) % 256;
  }
  const bytes = await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
  return { assetId: randomUUID(), kind: 'image', mimeType: 'image/jpeg', bytes: bytes.length, width, height, durationMs: null, altText, open: () => Promise.resolve(Readable.from([bytes])), url };
}

/** The ProviderError a promise rejects with (fails the test if it resolves or throws something else). */
export async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error('expected a ProviderError, but the call succeeded');
}

/** A real MP4 (H.264, silent) made by ffmpeg: a moving test pattern, `seconds` long. */
export async function mp4Media(seconds: number, width = 320, height = 240, url = 'https://cdn.example.test/clip.mp4'): Promise<PostMedia> {
  const dir = await mkdtemp(join(tmpdir(), 'guddu-prov-'));
  const file = join(dir, 'clip.mp4');
  try {
    await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=15:duration=${seconds}`, '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'ultrafast', '-movflags', '+faststart', file]);
    const bytes = await readFile(file);
    return { assetId: randomUUID(), kind: 'video', mimeType: 'video/mp4', bytes: bytes.length, width, height, durationMs: seconds * 1000, altText: null, open: () => Promise.resolve(Readable.from([bytes])), url };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
