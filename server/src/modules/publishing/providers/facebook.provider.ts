import { graphError, isGraphMissing, observeGraphUsage } from './graph-errors.js';
import { ProviderError, type PostInput, type Provider, type ProviderCall, type PublishedPost, type ValidationInput, type ValidationProblem } from './provider.js';
import { isRecord, readJson, sameText, send, str, type CallKind } from './provider-http.js';
import { linkProblems, mediaProblems, textProblems } from './provider-validation.js';

const LABEL = 'Facebook';
const CREATE: CallKind = { label: LABEL, create: true };
const OTHER: CallKind = { label: LABEL, create: false };

/**
 * A Facebook Page through the Graph API with the Page's token (it does not expire). Text goes
 * in `message` and the link in `link` (Facebook draws the card); one picture is a `photos` post,
 * several are unpublished photos attached to one feed post; a video is pulled by Facebook from
 * the rendition's URL. There is no idempotency key: reconcile lists the Page's recent posts and
 * matches the exact message, and a resend of the same message gets 506, reported as `duplicate`.
 */
export class FacebookProvider implements Provider {
  readonly network = 'facebook' as const;
  readonly capabilities = { text: true, link: true, maxImages: 10, video: true, retract: true };

  validate(input: ValidationInput): ValidationProblem[] {
    const out = [
      ...textProblems('facebook', input.text, LABEL),
      ...linkProblems(input.link, LABEL),
      ...mediaProblems(input.media, { label: LABEL, maxImages: 10, video: true, libraryNetwork: 'facebook' }),
    ];
    if (input.link && input.media.length > 0) out.push({ field: 'link', code: 'link_with_media', message: 'Facebook shows either pictures or a link card: put the link in the text, or drop the pictures' });
    if (input.text.trim() === '' && !input.link && input.media.length === 0) out.push({ field: 'text', code: 'text_required', message: 'Facebook needs text, a link or media' });
    return out;
  }

  async publish(call: ProviderCall, input: PostInput): Promise<PublishedPost> {
    const page = call.credentials.channel.accountId;
    const images = input.media.filter((m) => m.kind === 'image');
    const video = input.media.find((m) => m.kind === 'video');
    if (video) {
      const body = await this.graph(call, 'POST', `/${page}/videos`, { file_url: video.url, description: input.text, ...(typeof input.options.title === 'string' ? { title: input.options.title } : {}) }, CREATE);
      const videoId = isRecord(body) ? str(body.id) : undefined;
      if (!videoId) throw new ProviderError('unknown_outcome', 'Facebook answered without a video id; it will be checked before any retry');
      const status = await this.graph(call, 'GET', `/${videoId}?fields=status,post_id`, undefined, OTHER);
      return postOf(isRecord(status) ? (str(status.post_id) ?? videoId) : videoId);
    }
    if (images.length === 1 && images[0]) {
      const m = images[0];
      const body = await this.graph(call, 'POST', `/${page}/photos`, { url: m.url, message: input.text, ...(m.altText ? { alt_text_custom: m.altText } : {}) }, CREATE);
      return postOf(isRecord(body) ? (str(body.post_id) ?? str(body.id)) : undefined);
    }
    const attached: { media_fbid: string }[] = [];
    for (const m of images) {
      // Unpublished photos create nothing visible: only the feed post below is the create.
      const body = await this.graph(call, 'POST', `/${page}/photos`, { url: m.url, published: 'false', ...(m.altText ? { alt_text_custom: m.altText } : {}) }, OTHER);
      const id = isRecord(body) ? str(body.id) : undefined;
      if (!id) throw new ProviderError('media_failed', 'Facebook accepted a picture without an id');
      attached.push({ media_fbid: id });
    }
    const body = await this.graph(call, 'POST', `/${page}/feed`, {
      message: input.text,
      ...(input.link ? { link: input.link } : {}),
      ...(attached.length > 0 ? { attached_media: JSON.stringify(attached) } : {}),
    }, CREATE);
    return postOf(isRecord(body) ? str(body.id) : undefined);
  }

  async reconcile(call: ProviderCall, input: PostInput, since: Date): Promise<PublishedPost | null> {
    const page = call.credentials.channel.accountId;
    const body = await this.graph(call, 'GET', `/${page}/published_posts?fields=id,message,created_time,permalink_url&limit=50`, undefined, OTHER);
    const posts = isRecord(body) && Array.isArray(body.data) ? body.data.filter(isRecord) : [];
    for (const post of posts) {
      const created = Date.parse(str(post.created_time)?.replace(/([+-]\d{2})(\d{2})$/, '$1:$2') ?? '');
      if (!Number.isNaN(created) && created < since.getTime() - 60_000) continue;
      if (typeof post.id === 'string' && sameText(str(post.message) ?? '', input.text)) return { externalId: post.id, url: str(post.permalink_url) ?? postUrl(post.id) };
    }
    return null;
  }

  async retract(call: ProviderCall, externalId: string): Promise<void> {
    try {
      await this.graph(call, 'DELETE', `/${encodeURIComponent(externalId)}`, undefined, OTHER);
    } catch (error) {
      if (error instanceof ProviderError && error.details.cause === MISSING) return; // already gone
      throw error;
    }
  }

  private async graph(call: ProviderCall, method: string, path: string, form: Record<string, string> | undefined, kind: CallKind): Promise<unknown> {
    const response = await send(call, `${call.credentials.channel.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${call.credentials.accessToken}`, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    }, kind);
    const regainAt = observeGraphUsage(call, response, 'facebook');
    const body = await readJson(response);
    if (response.ok) return body;
    if (method === 'DELETE' && isGraphMissing(body)) throw new ProviderError('validation', 'Facebook has no such post', { cause: MISSING });
    throw graphError(kind, response.status, body, regainAt);
  }
}

const MISSING = Symbol('missing');

function postOf(id: string | undefined): PublishedPost {
  if (!id) throw new ProviderError('unknown_outcome', 'Facebook answered without a post id; it will be checked before any retry');
  return { externalId: id, url: postUrl(id) };
}

const postUrl = (id: string) => `https://www.facebook.com/${id.replace('_', '/posts/')}`;
