import { NetworkReadError, type NetworkReadCall } from '../../publishing/metric-reads.port.js';

const DEFAULT_BACKOFF_MS = 15 * 60_000;

/**
 * GET a JSON document, turning the network's answer into what the schedule does next:
 * 429 → wait until the reset the network names (else 15 minutes); 401 → refresh once;
 * 404 or a "does not exist" → the post is gone; 400/403 → unavailable; 5xx or no answer →
 * transient. `isGone` recognises a network's own "missing" body (Graph's code 100/33).
 */
export async function getJson(call: NetworkReadCall, url: string, opts: { label: string; headers?: Record<string, string>; isGone?: (body: unknown) => boolean; resetAt?: (r: Response) => Date | undefined }): Promise<unknown> {
  let response: Response;
  try {
    response = await call.fetch(url, { headers: { authorization: `Bearer ${call.accessToken}`, accept: 'application/json', ...opts.headers } });
  } catch (cause) {
    throw new NetworkReadError('transient', `${opts.label} could not be reached (${cause instanceof Error ? cause.message : 'no answer'})`);
  }
  const text = await response.text().catch(() => '');
  const body = parseJson(text);
  if (response.ok) return body;
  const status = response.status;
  if (status === 429) {
    const resetAt = opts.resetAt?.(response) ?? retryAfter(response) ?? new Date(Date.now() + DEFAULT_BACKOFF_MS);
    throw new NetworkReadError('rate_limited', `${opts.label}'s rate limit is reached`, resetAt);
  }
  if (status === 401) throw new NetworkReadError('auth_expired', `${opts.label} refused the access token`);
  if (status === 404 || opts.isGone?.(body)) throw new NetworkReadError('gone', `${opts.label} no longer has the post`);
  if (status >= 500) throw new NetworkReadError('transient', `${opts.label} answered ${status}`);
  throw new NetworkReadError('unavailable', `${opts.label} refused the read (${status})`);
}

/** Retry-After in seconds or as an HTTP date, or the epoch-seconds reset X and Bluesky send. */
function retryAfter(r: Response): Date | undefined {
  const after = r.headers.get('retry-after');
  if (after && /^\d+$/.test(after)) return new Date(Date.now() + Number(after) * 1000);
  if (after && !Number.isNaN(Date.parse(after))) return new Date(after);
  for (const h of ['x-rate-limit-reset', 'ratelimit-reset']) {
    const v = r.headers.get(h);
    if (v && /^\d{9,12}$/.test(v)) return new Date(Number(v) * 1000);
  }
  return undefined;
}

/** The next midnight UTC: LinkedIn's daily quotas reset then and it sends no header. */
export function nextUtcMidnight(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

/** The body as JSON, or null when it is empty or not JSON (error pages, proxies). */
function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
