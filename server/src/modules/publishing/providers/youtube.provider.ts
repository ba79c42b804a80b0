import { ProviderError, type PostInput, type Provider, type ProviderCall, type PublishedPost, type ValidationInput, type ValidationProblem } from './provider.js';
import { isRecord, readAll, readJson, sameText, send, serverError, str, type CallKind } from './provider-http.js';
import { mediaProblems, textProblems } from './provider-validation.js';

const LABEL = 'YouTube';
const CREATE: CallKind = { label: LABEL, create: true };
const OTHER: CallKind = { label: LABEL, create: false };
const PRIVACY = ['public', 'unlisted', 'private'];

/**
 * YouTube Data API v3: a post is a video. The resumable protocol starts a session with the
 * metadata (title from the variant's options, the text as description, privacy from
 * `options.privacy`) and sends the file; the byte transfer is the create. Reconcile reads the
 * channel's uploads playlist since the attempt and matches the title. Quota is daily and
 * resets at midnight Pacific time.
 */
export class YouTubeProvider implements Provider {
  readonly network = 'youtube' as const;
  readonly capabilities = { text: true, link: false, maxImages: 0, video: true, retract: true };

  validate(input: ValidationInput): ValidationProblem[] {
    const out = [
      ...textProblems('youtube.description', input.text, `${LABEL}'s description`),
      ...mediaProblems(input.media, { label: LABEL, maxImages: 0, video: true, required: 'video', libraryNetwork: 'youtube' }),
    ];
    const title = input.options.title;
    if (typeof title !== 'string' || title.trim() === '') out.push({ field: 'options', code: 'title_required', message: 'YouTube videos need a title (the YouTube variant\'s title option)' });
    else {
      out.push(...textProblems('youtube.title', title, `${LABEL}'s title`).map((p) => ({ ...p, field: 'options' as const })));
      if (/[<>]/.test(title)) out.push({ field: 'options', code: 'title_invalid', message: 'YouTube titles cannot contain < or >' });
    }
    if (/[<>]/.test(input.text)) out.push({ field: 'text', code: 'description_invalid', message: 'YouTube descriptions cannot contain < or >' });
    const privacy = input.options.privacy;
    if (privacy !== undefined && !PRIVACY.includes(String(privacy))) out.push({ field: 'options', code: 'privacy_invalid', message: 'YouTube privacy is public, unlisted or private' });
    if (input.link) out.push({ field: 'link', code: 'link_unsupported', message: 'YouTube videos carry no link field; put the link in the description' });
    return out;
  }

  async publish(call: ProviderCall, input: PostInput): Promise<PublishedPost> {
    const video = input.media.find((m) => m.kind === 'video');
    if (!video) throw new ProviderError('validation', 'YouTube posts need a video');
    const bytes = await readAll(video);
    // 1. The session, with the metadata; 2. the whole file in one PUT (the create).
    const start = await send(call, `${base(call)}/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status`, {
      method: 'POST',
      headers: { ...auth(call), 'content-type': 'application/json; charset=UTF-8', 'x-upload-content-length': String(bytes.length), 'x-upload-content-type': video.mimeType },
      body: JSON.stringify({
        snippet: { title: typeof input.options.title === 'string' ? input.options.title : '', description: input.text, categoryId: typeof input.options.categoryId === 'string' ? input.options.categoryId : '25' },
        status: { privacyStatus: PRIVACY.includes(String(input.options.privacy)) ? String(input.options.privacy) : 'public', selfDeclaredMadeForKids: false, embeddable: true },
      }),
    }, OTHER);
    await this.check(start, OTHER);
    const session = start.headers.get('location');
    if (!session) throw new ProviderError('transient', 'YouTube did not open an upload session');
    const put = await send(call, session, { method: 'PUT', headers: { ...auth(call), 'content-type': video.mimeType }, body: bytes }, CREATE);
    const body = await this.check(put, CREATE);
    const id = isRecord(body) ? str(body.id) : undefined;
    if (!id) throw new ProviderError('unknown_outcome', 'YouTube answered without a video id; it will be checked before any retry');
    return { externalId: id, url: `https://www.youtube.com/watch?v=${id}` };
  }

  async reconcile(call: ProviderCall, input: PostInput, since: Date): Promise<PublishedPost | null> {
    const channels = await this.check(await send(call, `${base(call)}/youtube/v3/channels?part=contentDetails&mine=true`, { headers: auth(call) }, OTHER), OTHER);
    const first = isRecord(channels) && Array.isArray(channels.items) ? channels.items.find(isRecord) : undefined;
    const uploads = isRecord(first) && isRecord(first.contentDetails) && isRecord(first.contentDetails.relatedPlaylists) ? str(first.contentDetails.relatedPlaylists.uploads) : undefined;
    if (!uploads) return null;
    const query = new URLSearchParams({ part: 'snippet', playlistId: uploads, maxResults: '50' });
    const list = await this.check(await send(call, `${base(call)}/youtube/v3/playlistItems?${query.toString()}`, { headers: auth(call) }, OTHER), OTHER);
    const title = typeof input.options.title === 'string' ? input.options.title : '';
    for (const item of isRecord(list) && Array.isArray(list.items) ? list.items.filter(isRecord) : []) {
      const snippet = isRecord(item.snippet) ? item.snippet : {};
      if (Date.parse(str(snippet.publishedAt) ?? '') < since.getTime() - 60_000) continue;
      const id = isRecord(snippet.resourceId) ? str(snippet.resourceId.videoId) : undefined;
      if (id && sameText(str(snippet.title) ?? '', title) && sameText(str(snippet.description) ?? '', input.text)) return { externalId: id, url: `https://www.youtube.com/watch?v=${id}` };
    }
    return null;
  }

  async retract(call: ProviderCall, externalId: string): Promise<void> {
    const response = await send(call, `${base(call)}/youtube/v3/videos?id=${encodeURIComponent(externalId)}`, { method: 'DELETE', headers: auth(call) }, OTHER);
    if (response.status === 404) return; // already gone
    await this.check(response, OTHER);
  }

  private async check(response: Response, kind: CallKind): Promise<unknown> {
    const body = await readJson(response);
    if (response.ok) return body;
    const status = response.status;
    const error = isRecord(body) && isRecord(body.error) ? body.error : {};
    const message = str(error.message) ?? '';
    const reason = Array.isArray(error.errors) ? error.errors.filter(isRecord).map((e) => str(e.reason)).find(Boolean) : undefined;
    const details = { httpStatus: status, vendorCode: reason };
    if (status === 401) throw new ProviderError('auth_expired', 'YouTube refused the access token', details);
    if (reason === 'quotaExceeded' || reason === 'dailyLimitExceeded') throw new ProviderError('quota_exhausted', 'YouTube\'s daily API quota is used up; it resets at midnight Pacific time', { ...details, retryAt: nextPacificMidnight() });
    if (reason === 'uploadLimitExceeded') throw new ProviderError('quota_exhausted', 'This YouTube channel has reached its upload limit for now', { ...details, retryAt: new Date(Date.now() + 24 * 3_600_000) });
    if (status === 429 || reason === 'rateLimitExceeded' || reason === 'userRateLimitExceeded') throw new ProviderError('rate_limited', 'YouTube asked Guddu to slow down', { ...details, retryAt: new Date(Date.now() + 60_000) });
    if (status === 403) throw new ProviderError('permission', `YouTube refused: ${message || reason || 'forbidden'}`, details);
    // An expired upload session: the next attempt opens a new one.
    if (status === 404 && reason === 'notFound') throw new ProviderError('transient', 'YouTube\'s upload session expired; a new one will be opened', details);
    if (status >= 500) throw serverError(kind, status, message);
    throw new ProviderError('validation', `YouTube refused the video: ${message || reason || status}`, details);
  }
}

const base = (call: ProviderCall) => call.credentials.channel.baseUrl;
const auth = (call: ProviderCall) => ({ authorization: `Bearer ${call.credentials.accessToken}` });

/** The next midnight in Los Angeles, when YouTube's daily quota resets. */
export function nextPacificMidnight(now = new Date()): Date {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(now)
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  const y = parts.year ?? 1970;
  const m = (parts.month ?? 1) - 1;
  const d = parts.day ?? 1;
  const offsetMs = Math.round((Date.UTC(y, m, d, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0) - now.getTime()) / 60_000) * 60_000;
  return new Date(Date.UTC(y, m, d + 1) - offsetMs);
}
