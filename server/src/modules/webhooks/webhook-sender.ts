import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { NotPublicError, pinnedLookup, resolvePublic, type Lookup } from '../../platform/net/public-address.js';

/** The first KiB of a receiver's answer is kept in the delivery log. */
export const RESPONSE_BODY_LIMIT = 1024;

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** GUDDU_WEBHOOKS_ALLOW_PRIVATE: plain http and private addresses are allowed. */
  allowPrivate: boolean;
  lookup: Lookup;
}

export interface SendOutcome {
  succeeded: boolean;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
  startedAt: Date;
  durationMs: number;
}

/**
 * Why a URL may not be called, or null. Checked at registration and again before every attempt:
 * a host's DNS may change between the two (rebinding), which is also why `send` connects to the
 * address it checked rather than resolving the name again.
 */
export async function urlRefusal(url: string, allowPrivate: boolean, lookup: Lookup): Promise<string | null> {
  const target = addressOf(url);
  if (typeof target === 'string') return target;
  if (allowPrivate) return null;
  if (target.protocol !== 'https:') return 'only https URLs are allowed';
  try {
    await resolvePublic(target.hostname, lookup);
    return null;
  } catch (err) {
    if (err instanceof NotPublicError) return err.message;
    throw err;
  }
}

/**
 * One POST to a receiver. Never throws: every outcome, a refusal before the call included, is
 * something the delivery log records. Redirects are not followed (a 3xx is a failure): following
 * one would send the signed body to a host that was never checked.
 */
export async function send(req: SendRequest): Promise<SendOutcome> {
  const startedAt = new Date();
  const t0 = performance.now();
  const done = (o: Omit<SendOutcome, 'startedAt' | 'durationMs'>): SendOutcome => ({ ...o, startedAt, durationMs: Math.max(0, Math.round(performance.now() - t0)) });
  const target = addressOf(req.url);
  if (typeof target === 'string') return done({ succeeded: false, statusCode: null, error: target, responseBody: null });
  let pinned: { address: string; family: 4 | 6 } | undefined;
  try {
    if (!req.allowPrivate) {
      if (target.protocol !== 'https:') return done({ succeeded: false, statusCode: null, error: 'refused: only https URLs are allowed', responseBody: null });
      pinned = (await resolvePublic(target.hostname, req.lookup))[0];
    }
  } catch (err) {
    if (err instanceof NotPublicError) return done({ succeeded: false, statusCode: null, error: `refused: ${err.message}`, responseBody: null });
    throw err;
  }
  try {
    const res = await post(target, req, pinned);
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    return done({ succeeded: ok, statusCode: res.statusCode, error: ok ? null : res.statusCode >= 300 && res.statusCode < 400 ? `answered ${res.statusCode} (redirects are not followed)` : `answered ${res.statusCode}`, responseBody: res.body });
  } catch (err) {
    return done({ succeeded: false, statusCode: null, error: (err as Error).message.slice(0, 1000), responseBody: null });
  }
}

function addressOf(url: string): URL | string {
  if (!URL.canParse(url)) return 'not a URL';
  const u = new URL(url);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'only http(s) URLs';
  if (u.username || u.password) return 'credentials in the URL are not allowed';
  return u;
}

function post(url: URL, req: SendRequest, pinned: { address: string; family: 4 | 6 } | undefined): Promise<{ statusCode: number; body: string }> {
  // The connection goes to the address that was checked; TLS still verifies the certificate
  // against the host name (SNI and the Host header keep it).
  const lookup: LookupFunction | undefined = pinned ? pinnedLookup(pinned) : undefined;
  const make = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const r = make(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Guddu-Webhooks/1', 'content-length': String(Buffer.byteLength(req.body)), ...req.headers },
      ...(lookup ? { lookup } : {}),
    });
    const timer = setTimeout(() => r.destroy(new Error(`no answer within ${req.timeoutMs} ms`)), req.timeoutMs);
    r.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    r.on('response', (res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < RESPONSE_BODY_LIMIT) body += chunk;
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ statusCode: res.statusCode ?? 0, body: body.slice(0, RESPONSE_BODY_LIMIT) });
      });
      res.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    r.end(req.body);
  });
}
