import { ConnectorError } from './connector.js';

const TIMEOUT_MS = 15_000;

export interface NetworkAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * One call to a network's auth endpoints. Network and 5xx failures are transient; what a 4xx
 * means is the connector's to say (`fail`), since every network words "your grant is gone"
 * differently. Bodies are never logged: they carry tokens.
 */
export async function networkCall(
  url: string,
  init: { method?: 'GET' | 'POST' | 'DELETE'; form?: Record<string, string | undefined>; json?: unknown; headers?: Record<string, string> },
): Promise<NetworkAnswer> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  let body: string | undefined;
  if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(Object.entries(init.form).filter((e): e is [string, string] => e[1] !== undefined)).toString();
  } else if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  let res: Response;
  try {
    res = await fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    throw new ConnectorError('transient', `${new URL(url).host} could not be reached (${(err as Error).name})`);
  }
  const text = await res.text();
  let parsed: unknown = {};
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = {};
    }
  }
  if (res.status >= 500 || res.status === 429) throw new ConnectorError('transient', `${new URL(url).host} answered ${res.status}`);
  return { status: res.status, body: parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { data: parsed } };
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** A required string field of an answer, or the call is unusable. */
export function need(body: Record<string, unknown>, key: string, what: string): string {
  const v = str(body[key]);
  if (v === undefined) throw new ConnectorError('refused', `${what}: the answer has no ${key}`);
  return v;
}

/** `expires_in` seconds from now on the network's clock; absent: does not expire. */
export function expiryOf(body: Record<string, unknown>, now: number, key = 'expires_in'): number | null {
  const s = body[key];
  return typeof s === 'number' && s > 0 ? now + s * 1000 : null;
}

/** The network's words for an error body, whatever its shape, for a problem a person reads. */
export function errorText(body: Record<string, unknown>): string {
  const e = body.error;
  if (e && typeof e === 'object') {
    const o = e as Record<string, unknown>;
    return str(o.message) ?? str(o.error_user_msg) ?? 'error';
  }
  return str(body.error_description) ?? str(body.message) ?? str(body.error_message) ?? str(body.error) ?? str(body.detail) ?? 'error';
}

export function scopesOf(v: unknown, sep: RegExp = /[\s,]+/): string[] {
  if (Array.isArray(v)) return v.map(String);
  return typeof v === 'string' ? v.split(sep).filter(Boolean) : [];
}
