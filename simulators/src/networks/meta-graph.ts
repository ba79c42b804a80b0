import { randomBytes } from 'node:crypto';
import { header, json, Reply, type SimRequest, type SimResponse } from '../harness/http.js';
import { type WindowState } from '../harness/rate-limiter.js';
import { type TokenCheck, type TokenStore } from '../harness/tokens.js';

/**
 * What Facebook Pages and Instagram share (contract §1.5, §2.5): the Graph error envelope keyed
 * on `code`/`error_subcode` (not on HTTP status), tokens in the query, the form or a header, the
 * optional `/vNN.0` prefix, and the JSON usage headers instead of a Retry-After.
 */
export interface GraphErrorOptions {
  subcode?: number;
  type?: string;
  userTitle?: string;
  userMsg?: string;
  isTransient?: boolean;
  headers?: Record<string, string>;
}

export function graphErrorResponse(status: number, code: number, message: string, options: GraphErrorOptions = {}): SimResponse {
  const headers: Record<string, string> = { ...options.headers };
  if (code === 190) headers['www-authenticate'] = `OAuth "Facebook Platform" "invalid_token" "${message.replace(/"/g, "'")}"`;
  return json(
    status,
    {
      error: {
        message,
        type: options.type ?? 'OAuthException',
        code,
        ...(options.subcode !== undefined ? { error_subcode: options.subcode } : {}),
        ...(options.isTransient !== undefined ? { is_transient: options.isTransient } : {}),
        ...(options.userTitle !== undefined ? { error_user_title: options.userTitle } : {}),
        ...(options.userMsg !== undefined ? { error_user_msg: options.userMsg } : {}),
        fbtrace_id: randomBytes(9).toString('base64url'),
      },
    },
    headers,
  );
}

export function graphError(status: number, code: number, message: string, options: GraphErrorOptions = {}): Reply {
  return new Reply(graphErrorResponse(status, code, message, options));
}

/** Drops the `/v24.0` style version prefix; unversioned paths are accepted too. */
export function stripGraphVersion(path: string): string {
  return path.replace(/^\/v\d+\.\d+(?=\/|$)/, '') || '/';
}

export function graphToken(req: SimRequest): string | undefined {
  const fromHeader = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
  return fromHeader ?? req.query.get('access_token') ?? req.form.get('access_token') ?? undefined;
}

/** Turns a token check into the documented code-190 family of errors. */
export function requireGraphToken(tokens: TokenStore, req: SimRequest, clockNow: number): Extract<TokenCheck, { status: 'valid' }>['record'] {
  const raw = graphToken(req);
  if (!raw) throw graphError(400, 104, 'An access token is required to request this resource.');
  const check = tokens.check(raw);
  if (check.status === 'unknown') throw graphError(400, 190, 'Invalid OAuth access token - Cannot parse access token');
  if (check.status === 'expired') {
    throw graphError(400, 190, `Error validating access token: Session has expired on ${new Date(check.record.expiresAt ?? clockNow).toUTCString()}. The current time is ${new Date(clockNow).toUTCString()}.`, { subcode: 463 });
  }
  if (check.status === 'revoked') {
    throw graphError(400, 190, 'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.', { subcode: 460 });
  }
  return check.record;
}

/** `X-Business-Use-Case-Usage` for one business object, as percentages of its budget. */
export function bucUsage(objectId: string, type: string, state: WindowState, now: number): Record<string, string> {
  const used = percent(state);
  const regain = state.remaining > 0 ? 0 : minutesUntil(state.resetAt, now);
  return {
    'x-business-use-case-usage': JSON.stringify({ [objectId]: [{ type, call_count: used, total_cputime: Math.floor(used / 2), total_time: Math.floor(used / 2), estimated_time_to_regain_access: regain }] }),
  };
}

export function appUsage(state: WindowState): Record<string, string> {
  const used = percent(state);
  return { 'x-app-usage': JSON.stringify({ call_count: used, total_cputime: Math.floor(used / 3), total_time: Math.floor(used / 3) }) };
}

function percent(state: WindowState): number {
  return Math.min(100, Math.floor(((state.limit - state.remaining) / state.limit) * 100));
}

/** Minutes until a window with `resetAt` gives capacity back. */
export function minutesUntil(resetAt: number, now: number): number {
  return Math.max(1, Math.ceil((resetAt - now) / 60_000));
}

export function graphErrorForStatus(status: number): SimResponse {
  if (status >= 500) return graphErrorResponse(status, 2, 'An unexpected error has occurred. Please retry your request later.', { isTransient: true });
  switch (status) {
    case 400:
      return graphErrorResponse(400, 100, 'Invalid parameter');
    case 401:
      return graphErrorResponse(401, 190, 'Invalid OAuth access token - Cannot parse access token');
    case 403:
      return graphErrorResponse(403, 200, '(#200) Permissions error');
    case 404:
    case 405:
      return graphErrorResponse(status, 100, 'Unsupported get request. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api', { type: 'GraphMethodException', subcode: 33 });
    case 429:
      return graphErrorResponse(429, 4, '(#4) Application request limit reached', { isTransient: true });
    default:
      return graphErrorResponse(status, 1, 'An unknown error has occurred.');
  }
}

/** The `attached_media` / `children` style list parameters: JSON arrays or comma-separated strings. */
export function listParam(value: string | undefined): unknown[] | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? (parsed as unknown[]) : [parsed];
  } catch {
    return value.split(',').map((item) => item.trim()).filter(Boolean);
  }
}
