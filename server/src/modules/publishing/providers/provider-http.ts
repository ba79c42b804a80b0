import type { Readable } from 'node:stream';
import { ProviderError, type PostMedia, type ProviderCall } from './provider.js';

/**
 * The HTTP edge every provider shares: what a failed call means depends on whether it could
 * have created something. A create that lost its answer (timeout, reset, a 5xx after the body
 * was sent) may have landed, so it is `unknown_outcome` and the engine reconciles; any other
 * call is simply `transient`.
 */
export interface CallKind {
  /** The network's name as an officer reads it ("Mastodon"). */
  label: string;
  /** True for a call that creates the post (never for media uploads, reads or deletes). */
  create: boolean;
}

export async function send(call: ProviderCall, url: string, init: RequestInit, kind: CallKind): Promise<Response> {
  try {
    return await call.fetch(url, init);
  } catch (cause) {
    if (cause instanceof ProviderError) throw cause;
    if (kind.create) throw new ProviderError('unknown_outcome', `${kind.label} did not answer; the post may have gone out, so it will be checked before any retry`, { cause });
    throw new ProviderError('transient', `${kind.label} could not be reached; it will be tried again`, { cause });
  }
}

/** The body as JSON, or null when it is empty or not JSON (error pages, proxies). */
export async function readJson(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A 5xx (or an unexpected status) on a create may have landed; elsewhere it is worth a retry. */
export function serverError(kind: CallKind, status: number, detail?: string): ProviderError {
  const suffix = detail ? ` (${detail})` : '';
  if (kind.create) return new ProviderError('unknown_outcome', `${kind.label} answered ${status} to the post${suffix}; it will be checked before any retry`, { httpStatus: status });
  return new ProviderError('transient', `${kind.label} answered ${status}${suffix}; it will be tried again`, { httpStatus: status });
}

export async function readAll(media: PostMedia): Promise<Buffer> {
  const stream: Readable = await media.open();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** How often and how long media processing is polled; tests shorten the interval. */
export interface PollOptions {
  intervalMs: number;
  attempts: number;
}
export const DEFAULT_POLL: PollOptions = { intervalMs: 2_000, attempts: 90 };

/** A reset time given in epoch seconds, as X and Bluesky send it. */
export function epochSeconds(value: string | null): Date | undefined {
  if (value === null || !/^\d{1,12}$/.test(value.trim())) return undefined;
  return new Date(Number(value) * 1000);
}

/** The next midnight in UTC (LinkedIn's daily quotas). */
export function nextUtcMidnight(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

/** The text as it goes out where the link travels inside it (X, Mastodon): appended unless already there. */
export function textWithLink(text: string, link: string | null): string {
  if (!link || text.includes(link)) return text;
  return text === '' ? link : `${text} ${link}`;
}

/** Whitespace-insensitive comparison for reconciliation (networks trim and normalise newlines). */
export function sameText(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();
  return norm(a) === norm(b);
}
