import { ProviderError, type ProviderCall } from '../../publishing/network-reads.port.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
export const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
export const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** `next` when it is on `base`'s origin, else undefined: a paging link never takes the token elsewhere. */
export function sameOrigin(next: string | undefined, base: string): string | undefined {
  if (!next) return undefined;
  try {
    return new URL(next).origin === new URL(base).origin ? next : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A GET for a reader: the body as JSON, or the error class that decides what the poll does
 * (auth: refresh once or flag the channel; rate limits: come back at the reset, shared with
 * deliveries; anything else: try at the next poll). Rate-limit headers are reported whatever
 * the status, so a read spends the same budget a post would see.
 */
export type Classify = (status: number, body: unknown) => ProviderError | undefined;

export async function getJson(call: ProviderCall, url: string, label: string, headers: Record<string, string> = {}, classify?: Classify): Promise<unknown> {
  let response: Response;
  try {
    response = await call.fetch(url, { headers: { authorization: `Bearer ${call.credentials.accessToken}`, ...headers } });
  } catch (cause) {
    throw new ProviderError('transient', `${label} could not be reached; comments will be read at the next poll`, { cause });
  }
  const resetAt = observeLimits(call, response);
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = text === '' ? null : (JSON.parse(text) as unknown);
  } catch {
    body = null; // an error page or a proxy's answer: the status decides
  }
  if (response.ok) return body;
  const status = response.status;
  const own = classify?.(status, body);
  if (own) throw own;
  const details = { httpStatus: status, ...(resetAt ? { retryAt: resetAt } : {}) };
  if (status === 401) throw new ProviderError('auth_expired', `${label} refused the token`, details);
  if (status === 429 || (status === 403 && /quota|rate/i.test(text))) throw new ProviderError('rate_limited', `${label} asked Guddu to slow down`, { ...details, retryAt: resetAt ?? new Date(Date.now() + 60_000) });
  if (status === 403) throw new ProviderError('permission', `${label} does not let this account read comments`, details);
  if (status >= 500) throw new ProviderError('transient', `${label} answered ${status}; comments will be read at the next poll`, details);
  throw new ProviderError('validation', `${label} answered ${status} to a comment read`, details);
}

/** x-rate-limit-* (X), x-ratelimit-* (Mastodon), ratelimit-* (Bluesky), retry-after (any). */
function observeLimits(call: ProviderCall, response: Response): Date | undefined {
  const h = response.headers;
  const { network, accountId } = call.credentials.channel;
  let resetAt: Date | undefined;
  for (const prefix of ['x-rate-limit', 'x-ratelimit', 'ratelimit']) {
    const remaining = h.get(`${prefix}-remaining`);
    const reset = h.get(`${prefix}-reset`);
    if (remaining === null || reset === null) continue;
    resetAt = parseReset(reset);
    if (resetAt && /^\d+$/.test(remaining)) call.observeRateLimit({ bucket: `account:${accountId}:${network}:reads`, remaining: Number(remaining), resetAt });
    break;
  }
  const retryAfter = h.get('retry-after');
  if (retryAfter && /^\d+$/.test(retryAfter)) resetAt = new Date(Date.now() + Number(retryAfter) * 1000);
  return resetAt;
}

/** Epoch seconds, or an ISO time (Mastodon). */
function parseReset(value: string): Date | undefined {
  if (/^\d{1,12}$/.test(value.trim())) return new Date(Number(value) * 1000);
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t);
}
