import { fromLittleText, toLittleText } from './linkedin-little-text.js';
import { ProviderError, type PostInput, type PostMedia, type Provider, type ProviderCall, type PublishedPost, type ValidationInput, type ValidationProblem } from './provider.js';
import { DEFAULT_POLL, isRecord, nextUtcMidnight, readAll, readJson, sameText, send, serverError, sleep, str, type CallKind, type PollOptions } from './provider-http.js';
import { linkProblems, mediaProblems, textProblems } from './provider-validation.js';

const LABEL = 'LinkedIn';
const CREATE: CallKind = { label: LABEL, create: true };
const OTHER: CallKind = { label: LABEL, create: false };

/**
 * LinkedIn's versioned Posts API, as the channel's author URN (an organisation, or a member).
 * Every call names a `LinkedIn-Version` (a month, retired after a year: by default last month's)
 * and Rest.li 2.0.0. A link becomes an article; pictures and videos are uploaded, polled until
 * AVAILABLE, then referenced by URN. Daily quotas answer 429 without headers and reset at
 * midnight UTC. No idempotency key: reconcile reads the author's newest posts and matches the
 * commentary; a resend of the same text is a 422 DUPLICATE_POST, reported as `duplicate`.
 */
export class LinkedInProvider implements Provider {
  readonly network = 'linkedin' as const;
  readonly capabilities = { text: true, link: true, maxImages: 20, video: true, retract: true };

  constructor(
    private readonly poll: PollOptions = DEFAULT_POLL,
    private readonly version: () => string = lastMonth,
  ) {}

  validate(input: ValidationInput): ValidationProblem[] {
    const out = [
      ...textProblems('linkedin', toLittleText(input.text), LABEL),
      ...linkProblems(input.link, LABEL),
      ...mediaProblems(input.media, { label: LABEL, maxImages: 20, video: true, libraryNetwork: 'linkedin' }),
    ];
    if (input.link && input.media.length > 0) out.push({ field: 'link', code: 'link_with_media', message: 'LinkedIn shows either media or a link article: put the link in the text, or drop the media' });
    return out;
  }

  async publish(call: ProviderCall, input: PostInput): Promise<PublishedPost> {
    const author = call.credentials.channel.accountId;
    // 1. Media, each uploaded and AVAILABLE before the post names it.
    const media: { id: string; altText?: string; title?: string }[] = [];
    for (const m of input.media) media.push({ id: await this.upload(call, m), ...(m.kind === 'image' && m.altText ? { altText: m.altText } : {}), ...(m.kind === 'video' ? { title: typeof input.options.title === 'string' ? input.options.title : '' } : {}) });
    const content =
      media.length > 1 ? { multiImage: { images: media } }
      : media[0] ? { media: media[0] }
      : input.link ? { article: { source: input.link, title: new URL(input.link).hostname } }
      : undefined;
    // 2. The post: 201, an empty body, the URN in x-restli-id.
    const response = await send(call, `${base(call)}/rest/posts`, {
      method: 'POST',
      headers: { ...this.headers(call), 'content-type': 'application/json' },
      body: JSON.stringify({
        author,
        commentary: toLittleText(input.text),
        visibility: 'PUBLIC',
        distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
        lifecycleState: 'PUBLISHED',
        isReshareDisabledByAuthor: false,
        ...(content ? { content } : {}),
      }),
    }, CREATE);
    await this.check(response, CREATE);
    const urn = response.headers.get('x-restli-id');
    if (!urn) throw new ProviderError('unknown_outcome', 'LinkedIn answered without the post URN; it will be checked before any retry');
    return { externalId: urn, url: postUrl(urn) };
  }

  async reconcile(call: ProviderCall, input: PostInput, since: Date): Promise<PublishedPost | null> {
    const query = new URLSearchParams({ q: 'author', author: call.credentials.channel.accountId, count: '50', sortBy: 'CREATED' });
    const response = await send(call, `${base(call)}/rest/posts?${query.toString()}`, { headers: { ...this.headers(call), 'x-restli-method': 'FINDER' } }, OTHER);
    const body = await this.check(response, OTHER);
    for (const post of isRecord(body) && Array.isArray(body.elements) ? body.elements.filter(isRecord) : []) {
      if (typeof post.createdAt === 'number' && post.createdAt < since.getTime() - 60_000) continue;
      if (typeof post.id === 'string' && sameText(fromLittleText(str(post.commentary) ?? ''), input.text)) return { externalId: post.id, url: postUrl(post.id) };
    }
    return null;
  }

  async retract(call: ProviderCall, externalId: string): Promise<void> {
    const response = await send(call, `${base(call)}/rest/posts/${encodeURIComponent(externalId)}`, { method: 'DELETE', headers: this.headers(call) }, OTHER);
    if (response.status === 404) return; // already gone
    await this.check(response, OTHER);
  }

  private async upload(call: ProviderCall, m: PostMedia): Promise<string> {
    const owner = call.credentials.channel.accountId;
    const bytes = await readAll(m);
    const kind = m.kind === 'video' ? 'videos' : 'images';
    const init = await this.rest(call, 'POST', `/rest/${kind}?action=initializeUpload`, { initializeUploadRequest: { owner, ...(m.kind === 'video' ? { fileSizeBytes: bytes.length, uploadCaptions: false, uploadThumbnail: false } : {}) } });
    const value = isRecord(init) && isRecord(init.value) ? init.value : {};
    let urn: string | undefined;
    if (m.kind === 'image') {
      urn = str(value.image);
      const uploadUrl = str(value.uploadUrl);
      if (!urn || !uploadUrl) throw new ProviderError('media_failed', 'LinkedIn did not give an upload address for the picture');
      await this.check(await send(call, uploadUrl, { method: 'PUT', headers: { authorization: `Bearer ${call.credentials.accessToken}`, 'content-type': m.mimeType }, body: bytes }, OTHER), OTHER, 'media');
    } else {
      urn = str(value.video);
      const instructions = Array.isArray(value.uploadInstructions) ? value.uploadInstructions.filter(isRecord) : [];
      if (!urn || instructions.length === 0) throw new ProviderError('media_failed', 'LinkedIn did not give upload addresses for the video');
      const etags: string[] = [];
      for (const part of instructions) {
        const first = typeof part.firstByte === 'number' ? part.firstByte : 0;
        const last = typeof part.lastByte === 'number' ? part.lastByte : bytes.length - 1;
        const put = await send(call, str(part.uploadUrl) ?? '', { method: 'PUT', headers: { authorization: `Bearer ${call.credentials.accessToken}`, 'content-type': 'application/octet-stream' }, body: bytes.subarray(first, last + 1) }, OTHER);
        await this.check(put, OTHER, 'media');
        etags.push(put.headers.get('etag') ?? '');
      }
      await this.rest(call, 'POST', '/rest/videos?action=finalizeUpload', { finalizeUploadRequest: { video: urn, uploadToken: str(value.uploadToken) ?? '', uploadedPartIds: etags } });
    }
    for (let i = 0; i <= this.poll.attempts; i += 1) {
      const state = await this.rest(call, 'GET', `/rest/${kind}/${encodeURIComponent(urn)}`);
      const status = isRecord(state) ? str(state.status) : undefined;
      if (status === 'AVAILABLE') return urn;
      if (status === 'PROCESSING_FAILED') throw new ProviderError('media_failed', `LinkedIn could not process the ${m.kind}`);
      await sleep(this.poll.intervalMs);
    }
    throw new ProviderError('media_failed', `LinkedIn was still processing the ${m.kind} after the wait; try again later`);
  }

  private async rest(call: ProviderCall, method: string, path: string, json?: unknown): Promise<unknown> {
    const response = await send(call, `${base(call)}${path}`, { method, headers: { ...this.headers(call), ...(json ? { 'content-type': 'application/json' } : {}) }, ...(json ? { body: JSON.stringify(json) } : {}) }, OTHER);
    return this.check(response, OTHER, 'media');
  }

  private headers(call: ProviderCall): Record<string, string> {
    return { authorization: `Bearer ${call.credentials.accessToken}`, 'linkedin-version': this.version(), 'x-restli-protocol-version': '2.0.0' };
  }

  private async check(response: Response, kind: CallKind, what: 'post' | 'media' = 'post'): Promise<unknown> {
    const body = await readJson(response);
    if (response.ok) return body;
    const status = response.status;
    const message = isRecord(body) ? (str(body.message) ?? '') : '';
    const serviceCode = isRecord(body) && typeof body.serviceErrorCode === 'number' ? body.serviceErrorCode : undefined;
    const code = isRecord(body) ? str(body.code) : undefined;
    const details = { httpStatus: status, vendorCode: code ?? (serviceCode !== undefined ? String(serviceCode) : undefined) };
    if (status === 401) {
      if (serviceCode === 65601) throw new ProviderError('revoked', 'LinkedIn says the member revoked Guddu\'s access; reconnect the account', details);
      throw new ProviderError('auth_expired', 'LinkedIn refused the access token as expired or invalid', details);
    }
    if (status === 403) throw new ProviderError('permission', `LinkedIn refused: ${message || 'the member lacks a posting role for this page'}`, details);
    if (status === 426) throw new ProviderError('permission', `LinkedIn no longer accepts the API version Guddu sent (${message})`, details);
    // Daily quotas, no rate headers: back at midnight UTC.
    if (status === 429) throw new ProviderError('quota_exhausted', 'LinkedIn\'s daily limit is reached', { ...details, retryAt: nextUtcMidnight() });
    if (status === 422 && /DUPLICATE_POST|duplicate of/i.test(JSON.stringify(body))) throw new ProviderError('duplicate', 'LinkedIn refused the post as a duplicate of one this page already has', { ...details, vendorCode: /urn:li:\w+:\d+/.exec(message)?.[0] ?? 'DUPLICATE_POST' });
    if (status >= 500) throw serverError(kind, status, message);
    if (what === 'media' || code === 'INVALID_CONTENT') throw new ProviderError('media_failed', `LinkedIn could not use the media: ${message}`, details);
    throw new ProviderError('validation', `LinkedIn refused the post: ${message.trim() || status}`, details);
  }
}

const base = (call: ProviderCall) => call.credentials.channel.baseUrl;
const postUrl = (urn: string) => `https://www.linkedin.com/feed/update/${urn}`;

/** Last month as YYYYMM: released, and a year from retirement. */
function lastMonth(): string {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
