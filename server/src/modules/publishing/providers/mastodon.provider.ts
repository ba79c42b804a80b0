import { ProviderError, type PostInput, type PostMedia, type Provider, type ProviderCall, type PublishedPost, type ValidationInput, type ValidationProblem } from './provider.js';
import { DEFAULT_POLL, isRecord, readAll, readJson, sameText, send, serverError, sleep, str, textWithLink, type CallKind, type PollOptions } from './provider-http.js';
import { linkProblems, mediaProblems, textProblems } from './provider-validation.js';

const LABEL = 'Mastodon';
const CREATE: CallKind = { label: LABEL, create: true };
const OTHER: CallKind = { label: LABEL, create: false };
const MB = 1024 * 1024;

/**
 * Mastodon (one instance per channel, `baseUrl`). The link travels in the text (it weighs 23).
 * `Idempotency-Key` is the delivery's key, so a re-sent create within the instance's hour
 * returns the first status instead of a second one; reconcile only reads (the account's own
 * statuses since the attempt), because replaying the create would post when nothing landed.
 */
export class MastodonProvider implements Provider {
  readonly network = 'mastodon' as const;
  readonly capabilities = { text: true, link: true, maxImages: 4, video: true, retract: true };

  constructor(private readonly poll: PollOptions = DEFAULT_POLL) {}

  validate(input: ValidationInput): ValidationProblem[] {
    return [
      ...textProblems('mastodon', textWithLink(input.text, input.link), LABEL),
      ...linkProblems(input.link, LABEL),
      ...mediaProblems(input.media, {
        label: LABEL,
        maxImages: 4,
        video: true,
        // Instance defaults (api/v2/instance): 16 MB images, 99 MB videos.
        item: (m) => (m.kind === 'image' ? (m.bytes > 16 * MB ? ['the picture is over 16 MB'] : []) : m.bytes > 99 * MB ? ['the video is over 99 MB'] : []),
      }),
      ...(input.text.trim() === '' && !input.link && input.media.length === 0 ? [{ field: 'text' as const, code: 'text_required', message: 'Mastodon needs text or media' }] : []),
    ];
  }

  async publish(call: ProviderCall, input: PostInput): Promise<PublishedPost> {
    const base = call.credentials.channel.baseUrl;
    // 1. Media first: each must be processed before a status may carry it.
    const mediaIds: string[] = [];
    for (const m of input.media) mediaIds.push(await this.upload(call, m));
    // 2. The status, under the delivery's idempotency key.
    const response = await send(call, `${base}/api/v1/statuses`, {
      method: 'POST',
      headers: { ...auth(call), 'content-type': 'application/json', 'idempotency-key': input.idempotencyKey },
      body: JSON.stringify({ status: textWithLink(input.text, input.link), media_ids: mediaIds, visibility: 'public', language: primaryLanguage(input.language) }),
    }, CREATE);
    const body = await this.check(call, response, CREATE);
    return statusPost(body);
  }

  async reconcile(call: ProviderCall, input: PostInput, since: Date): Promise<PublishedPost | null> {
    const { baseUrl, accountId } = call.credentials.channel;
    const response = await send(call, `${baseUrl}/api/v1/accounts/${encodeURIComponent(accountId)}/statuses?limit=40`, { headers: auth(call) }, OTHER);
    const body = await this.check(call, response, OTHER);
    const expected = textWithLink(input.text, input.link);
    for (const status of Array.isArray(body) ? body : []) {
      if (!isRecord(status)) continue;
      const created = Date.parse(str(status.created_at) ?? '');
      if (created < since.getTime() - 60_000) continue;
      if (sameText(plainText(str(status.content) ?? ''), expected)) return statusPost(status);
    }
    return null;
  }

  async retract(call: ProviderCall, externalId: string): Promise<void> {
    const response = await send(call, `${call.credentials.channel.baseUrl}/api/v1/statuses/${encodeURIComponent(externalId)}`, { method: 'DELETE', headers: auth(call) }, OTHER);
    if (response.status === 404) return; // already gone
    await this.check(call, response, OTHER);
  }

  private async upload(call: ProviderCall, m: PostMedia): Promise<string> {
    const base = call.credentials.channel.baseUrl;
    const form = new FormData();
    form.set('file', new Blob([await readAll(m)], { type: m.mimeType }), `${m.assetId}.${m.mimeType.split('/')[1] ?? 'bin'}`);
    if (m.altText) form.set('description', m.altText);
    const response = await send(call, `${base}/api/v2/media`, { method: 'POST', headers: auth(call), body: form }, OTHER);
    const body = await this.check(call, response, OTHER, 'media');
    const id = isRecord(body) ? str(body.id) : undefined;
    if (!id) throw new ProviderError('transient', 'Mastodon accepted the media without an id');
    if (response.status === 200) return id;
    // 202: processing (videos). 206 while it lasts, 200 when done, 422 when it failed.
    for (let i = 0; i < this.poll.attempts; i += 1) {
      await sleep(this.poll.intervalMs);
      const state = await send(call, `${base}/api/v1/media/${encodeURIComponent(id)}`, { headers: auth(call) }, OTHER);
      if (state.status === 206) {
        await state.body?.cancel();
        continue;
      }
      await this.check(call, state, OTHER, 'media');
      return id;
    }
    throw new ProviderError('media_failed', 'Mastodon was still processing the media after the wait; try again later');
  }

  /** The body of a 2xx, or the error it stands for. Reads the rate-limit headers either way. */
  private async check(call: ProviderCall, response: Response, kind: CallKind, what: 'post' | 'media' = 'post'): Promise<unknown> {
    const remaining = response.headers.get('x-ratelimit-remaining');
    const reset = Date.parse(response.headers.get('x-ratelimit-reset') ?? '');
    if (remaining !== null && !Number.isNaN(reset)) {
      call.observeRateLimit({ bucket: `account:${call.credentials.channel.accountId}:mastodon:${what === 'media' ? 'media' : 'requests'}`, remaining: Number(remaining), resetAt: new Date(reset) });
    }
    const body = await readJson(response);
    if (response.ok) return body;
    const message = isRecord(body) ? (str(body.error) ?? '') : '';
    const status = response.status;
    const details = { httpStatus: status, vendorCode: message || undefined };
    if (status === 401) throw new ProviderError('revoked', 'Mastodon no longer accepts this account\'s access (its tokens do not expire, so it was revoked); reconnect the account', details);
    if (status === 403) throw new ProviderError('permission', `Mastodon refused: ${message || 'the account is not allowed to post'}`, details);
    if (status === 429) throw new ProviderError('rate_limited', 'Mastodon\'s rate limit for this account is reached', { ...details, retryAt: Number.isNaN(reset) ? new Date(Date.now() + 5 * 60_000) : new Date(reset) });
    if (status === 422) {
      if (what === 'media' || /media|file/i.test(message)) throw new ProviderError('media_failed', `Mastodon could not use the media: ${message}`, details);
      throw new ProviderError('validation', `Mastodon refused the post: ${message}`, details);
    }
    if (status >= 500 || status === 408) throw serverError(kind, status);
    throw new ProviderError('validation', `Mastodon refused the request (${status}${message ? `: ${message}` : ''})`, details);
  }
}

const auth = (call: ProviderCall) => ({ authorization: `Bearer ${call.credentials.accessToken}` });

/** Mastodon takes ISO 639-1 (or -3): the primary subtag of a BCP 47 tag. */
function primaryLanguage(tag: string): string | undefined {
  const primary = tag.split('-')[0]?.toLowerCase() ?? '';
  return /^[a-z]{2,3}$/.test(primary) ? primary : undefined;
}

function statusPost(body: unknown): PublishedPost {
  const id = isRecord(body) ? str(body.id) : undefined;
  if (!id) throw new ProviderError('unknown_outcome', 'Mastodon answered without a status id; it will be checked before any retry');
  return { externalId: id, url: isRecord(body) ? (str(body.url) ?? null) : null };
}

/** The text of a status's HTML `content`: paragraphs and breaks become newlines, tags go, entities decode. */
export function plainText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p>/gi, '\n\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
