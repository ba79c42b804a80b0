import { ProviderError, type PostInput, type PostMedia, type Provider, type ProviderCall, type PublishedPost, type ValidationInput, type ValidationProblem } from './provider.js';
import { DEFAULT_POLL, epochSeconds, isRecord, readAll, readJson, sameText, send, serverError, sleep, str, textWithLink, type CallKind, type PollOptions } from './provider-http.js';
import { linkProblems, mediaProblems, textProblems } from './provider-validation.js';

const LABEL = 'X';
const CREATE: CallKind = { label: LABEL, create: true };
const OTHER: CallKind = { label: LABEL, create: false };
/** X's chunk limit is 5 MB per APPEND; 4 MiB keeps well inside it. */
const CHUNK = 4 * 1024 * 1024;

/**
 * X API v2 with the account's OAuth 2.0 user token. The link travels in the text (it weighs 23).
 * Media go through the dedicated chunked endpoints (initialize, append, finalize, then status
 * while `processing_info` says so). X has no idempotency key: reconcile reads the account's own
 * timeline since the attempt and matches the exact text; a resend of the same text gets 403
 * duplicate, which is reported as `duplicate` so the engine reconciles rather than fails.
 */
export class XProvider implements Provider {
  readonly network = 'x' as const;
  readonly capabilities = { text: true, link: true, maxImages: 4, video: true, retract: true };

  constructor(private readonly poll: PollOptions = DEFAULT_POLL) {}

  validate(input: ValidationInput): ValidationProblem[] {
    const text = textWithLink(input.text, input.link);
    return [
      ...textProblems('x', text, LABEL),
      ...linkProblems(input.link, LABEL),
      ...mediaProblems(input.media, { label: LABEL, maxImages: 4, video: true, libraryNetwork: 'x' }),
      ...(text.trim() === '' && input.media.length === 0 ? [{ field: 'text' as const, code: 'text_required', message: 'X needs text or media' }] : []),
    ];
  }

  async publish(call: ProviderCall, input: PostInput): Promise<PublishedPost> {
    const mediaIds: string[] = [];
    for (const m of input.media) mediaIds.push(await this.upload(call, m));
    const text = textWithLink(input.text, input.link);
    const response = await send(call, `${base(call)}/2/tweets`, {
      method: 'POST',
      headers: { ...auth(call), 'content-type': 'application/json' },
      body: JSON.stringify({ ...(text !== '' ? { text } : {}), ...(mediaIds.length > 0 ? { media: { media_ids: mediaIds } } : {}) }),
    }, CREATE);
    const body = await this.check(call, response, CREATE, 'posts');
    const id = isRecord(body) && isRecord(body.data) ? str(body.data.id) : undefined;
    if (!id) throw new ProviderError('unknown_outcome', 'X answered without a post id; it will be checked before any retry');
    return { externalId: id, url: postUrl(call, id) };
  }

  async reconcile(call: ProviderCall, input: PostInput, since: Date): Promise<PublishedPost | null> {
    const query = new URLSearchParams({ start_time: new Date(since.getTime() - 60_000).toISOString(), max_results: '100', 'tweet.fields': 'created_at,entities' });
    const response = await send(call, `${base(call)}/2/users/${encodeURIComponent(call.credentials.channel.accountId)}/tweets?${query.toString()}`, { headers: auth(call) }, OTHER);
    const body = await this.check(call, response, OTHER, 'timeline');
    const expected = textWithLink(input.text, input.link);
    const posts = isRecord(body) && Array.isArray(body.data) ? body.data : [];
    for (const post of posts) {
      if (isRecord(post) && typeof post.id === 'string' && sameText(expandLinks(post), expected)) return { externalId: post.id, url: postUrl(call, post.id) };
    }
    return null;
  }

  async retract(call: ProviderCall, externalId: string): Promise<void> {
    const response = await send(call, `${base(call)}/2/tweets/${encodeURIComponent(externalId)}`, { method: 'DELETE', headers: auth(call) }, OTHER);
    // `deleted: false` and 404 both mean the post is not there: already gone is done.
    if (response.status === 404) return;
    await this.check(call, response, OTHER, 'deletes');
  }

  /** initialize → append (4 MiB segments) → finalize → status while processing. */
  private async upload(call: ProviderCall, m: PostMedia): Promise<string> {
    const bytes = await readAll(m);
    const category = m.kind === 'video' ? 'tweet_video' : m.mimeType === 'image/gif' ? 'tweet_gif' : 'tweet_image';
    const init = await this.mediaCall(call, '/2/media/upload/initialize', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ media_type: m.mimeType, total_bytes: bytes.length, media_category: category }) });
    const id = isRecord(init) && isRecord(init.data) ? str(init.data.id) : undefined;
    if (!id) throw new ProviderError('media_failed', 'X did not start the media upload');
    for (let offset = 0, segment = 0; offset < bytes.length; offset += CHUNK, segment += 1) {
      const form = new FormData();
      form.set('segment_index', String(segment));
      form.set('media', new Blob([bytes.subarray(offset, offset + CHUNK)], { type: 'application/octet-stream' }), 'chunk');
      await this.mediaCall(call, `/2/media/upload/${id}/append`, { body: form });
    }
    let state = await this.mediaCall(call, `/2/media/upload/${id}/finalize`, {});
    for (let i = 0; ; i += 1) {
      const info = isRecord(state) && isRecord(state.data) && isRecord(state.data.processing_info) ? state.data.processing_info : undefined;
      if (!info || info.state === 'succeeded') return id;
      if (info.state === 'failed') {
        const error = isRecord(info.error) ? str(info.error.message) : undefined;
        throw new ProviderError('media_failed', `X could not process the ${m.kind}${error ? `: ${error}` : ''}`);
      }
      if (i >= this.poll.attempts) throw new ProviderError('media_failed', `X was still processing the ${m.kind} after the wait; try again later`);
      const after = typeof info.check_after_secs === 'number' ? info.check_after_secs * 1000 : this.poll.intervalMs;
      await sleep(Math.min(after, this.poll.intervalMs));
      const response = await send(call, `${base(call)}/2/media/upload?${new URLSearchParams({ command: 'STATUS', media_id: id }).toString()}`, { headers: auth(call) }, OTHER);
      state = await this.check(call, response, OTHER, 'media', 'media');
    }
  }

  private async mediaCall(call: ProviderCall, path: string, init: { headers?: Record<string, string>; body?: RequestInit['body'] }): Promise<unknown> {
    const response = await send(call, `${base(call)}${path}`, { method: 'POST', ...init, headers: { ...auth(call), ...init.headers } }, OTHER);
    return this.check(call, response, OTHER, 'media', 'media');
  }

  private async check(call: ProviderCall, response: Response, kind: CallKind, family: string, what: 'post' | 'media' = 'post'): Promise<unknown> {
    const window = this.observe(call, response, family);
    const body = await readJson(response);
    if (response.ok) return body;
    const status = response.status;
    const detail = isRecord(body) ? (str(body.detail) ?? str(body.title) ?? '') : '';
    const errors = isRecord(body) && Array.isArray(body.errors) ? body.errors.filter(isRecord) : [];
    const reason = errors.map((e) => str(e.message)).filter(Boolean).join('; ') || detail;
    const type = isRecord(body) ? (str(body.type) ?? '') : '';
    const details = { httpStatus: status, vendorCode: type.split('/').pop() || undefined };
    // X answers 401 alike for expired and revoked tokens: refreshing tells them apart.
    if (status === 401) throw new ProviderError('auth_expired', 'X refused the access token', details);
    if (status === 403 && /duplicate content/i.test(detail)) throw new ProviderError('duplicate', 'X refused the post as a duplicate of one this account already has', details);
    if (status === 403) throw new ProviderError('permission', `X refused: ${detail || 'the account may not do this'}`, details);
    if (status === 429) {
      if (type.endsWith('/usage-capped')) throw new ProviderError('quota_exhausted', 'X\'s usage cap for this app is reached', { ...details, retryAt: window?.resetAt ?? new Date(Date.now() + 24 * 3_600_000) });
      const daily = window?.daily === true;
      throw new ProviderError(daily ? 'quota_exhausted' : 'rate_limited', daily ? 'X\'s 24-hour posting limit is reached' : 'X\'s rate limit is reached', { ...details, retryAt: window?.resetAt ?? new Date(Date.now() + 15 * 60_000) });
    }
    if (status >= 500) throw serverError(kind, status, detail);
    if (what === 'media' || /media/i.test(reason)) throw new ProviderError('media_failed', `X refused the media: ${reason}`, details);
    throw new ProviderError('validation', `X refused the post: ${reason || status}`, details);
  }

  /** Reports every window X names; returns the exhausted one (a 429 may come from the 15-minute or a 24-hour window). */
  private observe(call: ProviderCall, response: Response, family: string): { resetAt: Date; daily: boolean } | undefined {
    const account = call.credentials.channel.accountId;
    let exhausted: { resetAt: Date; daily: boolean } | undefined;
    for (const [prefix, bucket, daily] of [
      ['x-rate-limit', `account:${account}:x:${family}`, false],
      ['x-user-limit-24hour', `account:${account}:x:${family}-24h`, true],
      ['x-app-limit-24hour', `app:x:${family}-24h`, true],
    ] as const) {
      const remaining = response.headers.get(`${prefix}-remaining`);
      const resetAt = epochSeconds(response.headers.get(`${prefix}-reset`));
      if (remaining === null || !resetAt) continue;
      call.observeRateLimit({ bucket, remaining: Number(remaining), resetAt });
      if (Number(remaining) <= 0 && (!exhausted || resetAt > exhausted.resetAt)) exhausted = { resetAt, daily };
    }
    return exhausted;
  }
}

/**
 * X returns the text with every link rewritten to t.co; the link we sent is only in
 * `entities.urls[].expanded_url`. Each t.co address is put back so the text compares with ours.
 */
function expandLinks(post: Record<string, unknown>): string {
  let text = str(post.text) ?? '';
  const urls = isRecord(post.entities) && Array.isArray(post.entities.urls) ? post.entities.urls.filter(isRecord) : [];
  for (const u of urls) {
    const short = str(u.url);
    const expanded = str(u.expanded_url);
    if (short && expanded) text = text.split(short).join(expanded);
  }
  return text;
}

const base = (call: ProviderCall) => call.credentials.channel.baseUrl;
const auth = (call: ProviderCall) => ({ authorization: `Bearer ${call.credentials.accessToken}` });
const postUrl = (call: ProviderCall, id: string) => `https://x.com/${call.credentials.channel.handle ?? 'i/web'}/status/${id}`;
