import { ProviderError, type ProviderCall } from './provider.js';
import { isRecord, serverError, type CallKind } from './provider-http.js';

/**
 * Facebook and Instagram speak Meta's Graph API: errors are keyed on `error.code` and
 * `error_subcode`, never on the HTTP status (contract §1.5, §2.5), and rate limits come as usage
 * percentages in JSON headers rather than a Retry-After.
 */
export interface GraphErrorBody {
  message: string;
  code: number;
  subcode: number | undefined;
  transient: boolean;
  userMessage: string | undefined;
}

export function graphErrorBody(body: unknown): GraphErrorBody | undefined {
  if (!isRecord(body) || !isRecord(body.error)) return undefined;
  const e = body.error;
  return {
    message: typeof e.message === 'string' ? e.message : '',
    code: typeof e.code === 'number' ? e.code : 0,
    subcode: typeof e.error_subcode === 'number' ? e.error_subcode : undefined,
    transient: e.is_transient === true,
    userMessage: typeof e.error_user_msg === 'string' ? e.error_user_msg : undefined,
  };
}

const RATE_CODES = new Set([4, 17, 32, 341, 613]);
const MEDIA_SUBCODES = new Set([2207004, 2207005, 2207009, 2207010, 2207026, 2207052, 2207053, 1363008]);

/** The error a non-2xx Graph answer stands for. `regainAt` comes from the usage headers. */
export function graphError(kind: CallKind, status: number, body: unknown, regainAt: Date | undefined): ProviderError {
  const e = graphErrorBody(body);
  if (!e) return status >= 500 ? serverError(kind, status) : new ProviderError('validation', `${kind.label} refused the request (${status})`, { httpStatus: status });
  const details = { httpStatus: status, vendorCode: `${e.code}${e.subcode !== undefined ? `/${e.subcode}` : ''}` };
  const said = e.userMessage ?? e.message;
  if (e.code === 190 || e.code === 102) {
    if (e.subcode === 463 || /expired/i.test(e.message)) return new ProviderError('auth_expired', `${kind.label}'s access token expired`, details);
    return new ProviderError('revoked', `${kind.label} no longer accepts this account's access (${e.subcode === 460 ? 'the password changed or the session was reset' : 'the token was invalidated'}); reconnect the account`, details);
  }
  if (e.code === 10 || (e.code >= 200 && e.code <= 299) || e.code === 368) return new ProviderError('permission', `${kind.label} refused: ${e.message}`, details);
  if (e.code === 9 || e.subcode === 2207042) return new ProviderError('quota_exhausted', `${kind.label}'s limit of published posts per 24 hours is reached`, { ...details, retryAt: regainAt ?? new Date(Date.now() + 24 * 3_600_000) });
  if (RATE_CODES.has(e.code) || (e.code >= 80000 && e.code < 80100)) return new ProviderError('rate_limited', `${kind.label}'s rate limit is reached`, { ...details, retryAt: regainAt ?? new Date(Date.now() + 60 * 60_000) });
  // Not ready, expired container, media download timeout: a later attempt with a new container can work.
  if (e.subcode === 2207027 || e.subcode === 2207020 || e.subcode === 2207003) return new ProviderError('transient', `${kind.label}: ${said}`, details);
  if (e.code === 506) return new ProviderError('duplicate', `${kind.label} refused the post as identical to a recent one`, details);
  if (e.subcode !== undefined && MEDIA_SUBCODES.has(e.subcode)) return new ProviderError('media_failed', `${kind.label} could not use the media: ${said}`, details);
  if (e.code === 36000) return new ProviderError('media_failed', `${kind.label} could not use the media: ${said}`, details);
  if (e.code === 1 || e.code === 2 || e.code === -1 || e.code === -2 || e.transient || status >= 500) return serverError(kind, status, e.message);
  return new ProviderError('validation', `${kind.label} refused the post: ${said}`, details);
}

/** Graph's "object does not exist" (used to treat a repeated delete as done). */
export function isGraphMissing(body: unknown): boolean {
  const e = graphErrorBody(body);
  return e !== undefined && e.code === 100 && e.subcode === 33;
}

/**
 * Reads `X-App-Usage` (percent of the app's hourly budget) and `X-Business-Use-Case-Usage`
 * (per Page or IG account, with minutes until access returns) into observations; returns when
 * an exhausted budget comes back.
 */
export function observeGraphUsage(call: ProviderCall, response: Response, network: 'facebook' | 'instagram'): Date | undefined {
  let regainAt: Date | undefined;
  const app = parse(response.headers.get('x-app-usage'));
  if (isRecord(app)) {
    const used = Math.max(num(app.call_count), num(app.total_cputime), num(app.total_time));
    call.observeRateLimit({ bucket: `app:${network}`, remaining: Math.max(0, 100 - used), resetAt: new Date(Date.now() + 60 * 60_000) });
  }
  const buc = parse(response.headers.get('x-business-use-case-usage'));
  if (isRecord(buc)) {
    for (const [objectId, entries] of Object.entries(buc)) {
      for (const entry of Array.isArray(entries) ? entries.filter(isRecord) : []) {
        const used = Math.max(num(entry.call_count), num(entry.total_cputime), num(entry.total_time));
        const minutes = num(entry.estimated_time_to_regain_access);
        const resetAt = new Date(Date.now() + (minutes > 0 ? minutes : 60) * 60_000);
        call.observeRateLimit({ bucket: `account:${objectId}:${network}:${typeof entry.type === 'string' ? entry.type : 'buc'}`, remaining: Math.max(0, 100 - used), resetAt });
        if (minutes > 0 && (!regainAt || resetAt > regainAt)) regainAt = resetAt;
      }
    }
  }
  return regainAt;
}

function parse(header: string | null): unknown {
  if (!header) return undefined;
  try {
    return JSON.parse(header) as unknown;
  } catch {
    return undefined;
  }
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
