import { graphError, observeGraphUsage } from './graph-errors.js';
import { ProviderError, type PostInput, type PostMedia, type Provider, type ProviderCall, type PublishedPost, type ValidationInput, type ValidationProblem } from './provider.js';
import { DEFAULT_POLL, isRecord, readJson, sameText, send, sleep, str, type CallKind, type PollOptions } from './provider-http.js';
import { linkProblems, mediaProblems, textProblems } from './provider-validation.js';

const LABEL = 'Instagram';
const CREATE: CallKind = { label: LABEL, create: true };
const OTHER: CallKind = { label: LABEL, create: false };

/**
 * Instagram's two-phase publishing: containers (one per picture, a carousel parent for several,
 * REELS for a video) that Instagram fetches from the rendition URLs, polled until FINISHED, then
 * one `media_publish`, the only call that creates a post. Captions carry no clickable links, so
 * the message's link is refused at validation rather than silently dropped. Reconcile lists the
 * account's recent media and matches the caption; the API cannot delete posts.
 */
export class InstagramProvider implements Provider {
  readonly network = 'instagram' as const;
  readonly capabilities = { text: true, link: false, maxImages: 10, video: true, retract: false };

  constructor(private readonly poll: PollOptions = DEFAULT_POLL) {}

  validate(input: ValidationInput): ValidationProblem[] {
    const out = [
      ...textProblems('instagram', input.text, LABEL),
      ...linkProblems(input.link, LABEL),
      ...mediaProblems(input.media, { label: LABEL, maxImages: 10, video: true, required: 'media', libraryNetwork: 'instagram' }),
    ];
    if (input.link) out.push({ field: 'link', code: 'link_unsupported', message: 'Instagram posts cannot carry a link; remove it for Instagram (a variant can)' });
    if (input.media.length > 1 && input.media.some((m) => m.kind === 'video')) out.push({ field: 'media', code: 'carousel_video', message: 'Guddu posts Instagram videos as a single Reel; carousels take pictures' });
    return out;
  }

  async publish(call: ProviderCall, input: PostInput): Promise<PublishedPost> {
    const user = call.credentials.channel.accountId;
    if (input.media.length === 0) throw new ProviderError('validation', 'Instagram posts need a picture or a video');
    // 1. Containers: Instagram fetches each rendition from its URL.
    let container: string;
    if (input.media.length === 1 && input.media[0]) {
      container = await this.container(call, { ...itemParams(input.media[0]), caption: input.text });
    } else {
      const children: string[] = [];
      for (const m of input.media) children.push(await this.container(call, { ...itemParams(m), is_carousel_item: 'true' }));
      for (const child of children) await this.waitFinished(call, child);
      container = await this.container(call, { media_type: 'CAROUSEL', children: children.join(','), caption: input.text });
    }
    // 2. Wait until it is FINISHED, 3. publish it: the one call that creates the post.
    await this.waitFinished(call, container);
    const body = await this.graph(call, 'POST', `/${user}/media_publish`, { creation_id: container }, CREATE);
    const id = isRecord(body) ? str(body.id) : undefined;
    if (!id) throw new ProviderError('unknown_outcome', 'Instagram answered without a media id; it will be checked before any retry');
    return { externalId: id, url: null };
  }

  async reconcile(call: ProviderCall, input: PostInput, since: Date): Promise<PublishedPost | null> {
    const body = await this.graph(call, 'GET', `/${call.credentials.channel.accountId}/media?fields=id,caption,timestamp,permalink&limit=50`, undefined, OTHER);
    for (const item of isRecord(body) && Array.isArray(body.data) ? body.data.filter(isRecord) : []) {
      const at = Date.parse(str(item.timestamp)?.replace(/([+-]\d{2})(\d{2})$/, '$1:$2') ?? '');
      if (!Number.isNaN(at) && at < since.getTime() - 60_000) continue;
      if (typeof item.id === 'string' && sameText(str(item.caption) ?? '', input.text)) return { externalId: item.id, url: str(item.permalink) ?? null };
    }
    return null;
  }

  retract(): Promise<void> {
    return Promise.reject(new ProviderError('permission', 'Instagram does not allow deleting posts through its API; delete it in the Instagram app'));
  }

  private async container(call: ProviderCall, params: Record<string, string>): Promise<string> {
    const body = await this.graph(call, 'POST', `/${call.credentials.channel.accountId}/media`, params, OTHER);
    const id = isRecord(body) ? str(body.id) : undefined;
    if (!id) throw new ProviderError('media_failed', 'Instagram did not create a media container');
    return id;
  }

  private async waitFinished(call: ProviderCall, container: string): Promise<void> {
    for (let i = 0; i <= this.poll.attempts; i += 1) {
      const body = await this.graph(call, 'GET', `/${container}?fields=status_code,status`, undefined, OTHER);
      const code = isRecord(body) ? str(body.status_code) : undefined;
      if (code === 'FINISHED') return;
      if (code === 'ERROR') throw new ProviderError('media_failed', `Instagram could not process the media: ${isRecord(body) ? (str(body.status) ?? 'no reason given') : 'no reason given'}`);
      if (code === 'EXPIRED' || code === 'PUBLISHED') throw new ProviderError('transient', `Instagram's media container is ${code.toLowerCase()}; a new one will be made`);
      await sleep(this.poll.intervalMs);
    }
    throw new ProviderError('media_failed', 'Instagram was still processing the media after the wait; try again later');
  }

  private async graph(call: ProviderCall, method: string, path: string, form: Record<string, string> | undefined, kind: CallKind): Promise<unknown> {
    const response = await send(call, `${call.credentials.channel.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${call.credentials.accessToken}`, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    }, kind);
    const regainAt = observeGraphUsage(call, response, 'instagram');
    const body = await readJson(response);
    if (response.ok) return body;
    throw graphError(kind, response.status, body, regainAt);
  }
}

function itemParams(m: PostMedia): Record<string, string> {
  if (m.kind === 'video') return { media_type: 'REELS', video_url: m.url, share_to_feed: 'true' };
  return { image_url: m.url, ...(m.altText ? { alt_text: m.altText } : {}) };
}
