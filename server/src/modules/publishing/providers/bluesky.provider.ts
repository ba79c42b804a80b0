import { linkFacets, recordKeyFor } from './bluesky-richtext.js';
import { ProviderError, type PostInput, type PostMedia, type Provider, type ProviderCall, type PublishedPost, type ValidationInput, type ValidationProblem } from './provider.js';
import { DEFAULT_POLL, epochSeconds, isRecord, readAll, readJson, send, serverError, sleep, str, type CallKind, type PollOptions } from './provider-http.js';
import { linkProblems, mediaProblems, textProblems } from './provider-validation.js';

const LABEL = 'Bluesky';
const CREATE: CallKind = { label: LABEL, create: true };
const OTHER: CallKind = { label: LABEL, create: false };
const COLLECTION = 'app.bsky.feed.post';
const IMAGE_MAX_BYTES = 2_000_000;
const VIDEO_MAX_BYTES = 100_000_000;

/**
 * Bluesky over XRPC on the channel's PDS (`baseUrl`), as the account's DID. The record key is
 * derived from the delivery's idempotency key, so publish is idempotent and reconcile is one
 * getRecord. Links in the text get facets (UTF-8 byte ranges); the message's link becomes an
 * external embed card, which a post with pictures cannot also carry (validation says so).
 * A video goes through the video service (a service token scoped to uploadBlob, then the job
 * polled until it yields a blob); its address is `extra.videoService`, else the PDS.
 */
export class BlueskyProvider implements Provider {
  readonly network = 'bluesky' as const;
  readonly capabilities = { text: true, link: true, maxImages: 4, video: true, retract: true };

  constructor(private readonly poll: PollOptions = DEFAULT_POLL) {}

  validate(input: ValidationInput): ValidationProblem[] {
    const out = [
      ...textProblems('bluesky', input.text, LABEL),
      ...linkProblems(input.link, LABEL),
      ...mediaProblems(input.media, {
        label: LABEL,
        maxImages: 4,
        video: true,
        item: (m) =>
          m.kind === 'image'
            ? m.bytes > IMAGE_MAX_BYTES ? [`the picture is ${(m.bytes / 1e6).toFixed(1)} MB; the limit is 2 MB`] : []
            : [...(m.mimeType !== 'video/mp4' ? ['the video must be MP4'] : []), ...(m.bytes > VIDEO_MAX_BYTES ? [`the video is ${Math.round(m.bytes / 1e6)} MB; the limit is 100 MB`] : []), ...((m.durationMs ?? 0) > 180_000 ? ['the video is longer than 3 minutes'] : [])],
      }),
    ];
    if (input.link && input.media.length > 0) out.push({ field: 'link', code: 'link_with_media', message: 'Bluesky shows either pictures or a link card: put the link in the text, or drop the pictures' });
    if (input.text.trim() === '' && !input.link && input.media.length === 0) out.push({ field: 'text', code: 'text_required', message: 'Bluesky needs text, a link or pictures' });
    return out;
  }

  async publish(call: ProviderCall, input: PostInput): Promise<PublishedPost> {
    const did = didOf(call);
    const rkey = recordKeyFor(input.idempotencyKey);
    // 1. Blobs first; an unreferenced blob is collected by the PDS, so nothing leaks if the create fails.
    const images = [];
    for (const m of input.media.filter((x) => x.kind === 'image')) images.push({ alt: m.altText ?? '', image: await this.uploadBlob(call, m), aspectRatio: { width: m.width, height: m.height } });
    const video = input.media.find((m) => m.kind === 'video');
    const videoEmbed = video ? { $type: 'app.bsky.embed.video', video: await this.uploadVideo(call, video), ...(video.altText ? { alt: video.altText } : {}), aspectRatio: { width: video.width, height: video.height } } : undefined;
    // 2. The record at the derived key.
    const facets = linkFacets(input.text);
    const record = {
      $type: COLLECTION,
      text: input.text,
      createdAt: new Date().toISOString(),
      langs: [input.language],
      ...(facets.length > 0 ? { facets } : {}),
      ...(videoEmbed
        ? { embed: videoEmbed }
        : images.length > 0
        ? { embed: { $type: 'app.bsky.embed.images', images } }
        : input.link
          ? { embed: { $type: 'app.bsky.embed.external', external: { uri: input.link, title: new URL(input.link).hostname, description: '' } } }
          : {}),
    };
    const response = await send(call, xrpc(call, 'com.atproto.repo.createRecord'), {
      method: 'POST',
      headers: { ...auth(call), 'content-type': 'application/json' },
      body: JSON.stringify({ repo: did, collection: COLLECTION, rkey, record }),
    }, CREATE);
    const body = await this.check(call, response, CREATE);
    const uri = isRecord(body) ? str(body.uri) : undefined;
    if (!uri) throw new ProviderError('unknown_outcome', 'Bluesky answered without a record address; it will be checked before any retry');
    return { externalId: uri, url: webUrl(call, rkey) };
  }

  async reconcile(call: ProviderCall, input: PostInput): Promise<PublishedPost | null> {
    const rkey = recordKeyFor(input.idempotencyKey);
    const query = new URLSearchParams({ repo: didOf(call), collection: COLLECTION, rkey });
    const response = await send(call, `${xrpc(call, 'com.atproto.repo.getRecord')}?${query.toString()}`, { headers: auth(call) }, OTHER);
    if (response.status === 400) {
      const body = await readJson(response.clone());
      if (isRecord(body) && body.error === 'RecordNotFound') return null;
    }
    const body = await this.check(call, response, OTHER);
    const uri = isRecord(body) ? str(body.uri) : undefined;
    return uri ? { externalId: uri, url: webUrl(call, rkey) } : null;
  }

  async retract(call: ProviderCall, externalId: string): Promise<void> {
    const match = /^at:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(externalId);
    if (!match) throw new ProviderError('validation', `"${externalId}" is not a Bluesky post address`);
    // deleteRecord answers 200 whether or not the record still existed: already gone is done.
    const response = await send(call, xrpc(call, 'com.atproto.repo.deleteRecord'), {
      method: 'POST',
      headers: { ...auth(call), 'content-type': 'application/json' },
      body: JSON.stringify({ repo: match[1], collection: match[2], rkey: match[3] }),
    }, OTHER);
    await this.check(call, response, OTHER);
  }

  private async uploadBlob(call: ProviderCall, m: PostMedia): Promise<unknown> {
    const response = await send(call, xrpc(call, 'com.atproto.repo.uploadBlob'), { method: 'POST', headers: { ...auth(call), 'content-type': m.mimeType }, body: await readAll(m) }, OTHER);
    const body = await this.check(call, response, OTHER);
    if (!isRecord(body) || !isRecord(body.blob)) throw new ProviderError('media_failed', 'Bluesky accepted the picture without a blob reference');
    return body.blob;
  }

  /** Service token for uploadBlob on the PDS → uploadVideo → job status until it yields a blob. */
  private async uploadVideo(call: ProviderCall, m: PostMedia): Promise<unknown> {
    const pds = new URL(call.credentials.channel.baseUrl);
    const service = call.credentials.extra.videoService ?? call.credentials.channel.baseUrl;
    const query = new URLSearchParams({ aud: `did:web:${pds.hostname}`, lxm: 'com.atproto.repo.uploadBlob', exp: String(Math.floor(Date.now() / 1000) + 30 * 60) });
    const granted = await this.check(call, await send(call, `${xrpc(call, 'com.atproto.server.getServiceAuth')}?${query.toString()}`, { headers: auth(call) }, OTHER), OTHER);
    const token = isRecord(granted) ? str(granted.token) : undefined;
    if (!token) throw new ProviderError('transient', 'Bluesky did not grant a token for the video service');
    const upload = await send(call, `${service}/xrpc/app.bsky.video.uploadVideo?${new URLSearchParams({ did: didOf(call), name: `${m.assetId}.mp4` }).toString()}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': m.mimeType },
      body: await readAll(m),
    }, OTHER);
    let status = await this.check(call, upload, OTHER);
    for (let i = 0; ; i += 1) {
      const job = isRecord(status) && isRecord(status.jobStatus) ? status.jobStatus : {};
      if (isRecord(job.blob)) return job.blob;
      if (job.state === 'JOB_STATE_FAILED') throw new ProviderError('media_failed', `Bluesky could not process the video: ${str(job.message) ?? str(job.error) ?? 'no reason given'}`);
      if (i >= this.poll.attempts || typeof job.jobId !== 'string') throw new ProviderError('media_failed', 'Bluesky was still processing the video after the wait; try again later');
      await sleep(this.poll.intervalMs);
      status = await this.check(call, await send(call, `${service}/xrpc/app.bsky.video.getJobStatus?${new URLSearchParams({ jobId: job.jobId }).toString()}`, { headers: { authorization: `Bearer ${token}` } }, OTHER), OTHER);
    }
  }

  private async check(call: ProviderCall, response: Response, kind: CallKind): Promise<unknown> {
    const remaining = response.headers.get('ratelimit-remaining');
    const reset = epochSeconds(response.headers.get('ratelimit-reset'));
    if (remaining !== null && reset) call.observeRateLimit({ bucket: `account:${call.credentials.channel.accountId}:bluesky:writes`, remaining: Number(remaining), resetAt: reset });
    const body = await readJson(response);
    if (response.ok) return body;
    const error = isRecord(body) ? (str(body.error) ?? '') : '';
    const message = isRecord(body) ? (str(body.message) ?? '') : '';
    const status = response.status;
    const details = { httpStatus: status, vendorCode: error || undefined };
    // An expired access token is a 400 on atproto, not a 401.
    if (error === 'ExpiredToken') {
      if (/revoked/i.test(message)) throw new ProviderError('revoked', 'Bluesky revoked this session; sign the account in again', details);
      throw new ProviderError('auth_expired', 'Bluesky\'s session token expired', details);
    }
    if (error === 'InvalidToken' || status === 401) throw new ProviderError('revoked', 'Bluesky no longer accepts this session; sign the account in again', details);
    if (error === 'AccountTakedown' || status === 403) throw new ProviderError('permission', `Bluesky refused the account: ${message || error}`, details);
    if (status === 429) throw new ProviderError('rate_limited', 'Bluesky\'s write limit for this account is reached', { ...details, retryAt: reset ?? new Date(Date.now() + 60 * 60_000) });
    if (status === 413) throw new ProviderError('media_failed', 'Bluesky refused the file as too large', details);
    if (status >= 500) throw serverError(kind, status, message);
    if (/already exists/i.test(message)) throw new ProviderError('duplicate', 'Bluesky already has this post (same record key)', details);
    if (/blob|embed\/images|image/i.test(message)) throw new ProviderError('media_failed', `Bluesky refused the pictures: ${message}`, details);
    throw new ProviderError('validation', `Bluesky refused the post: ${message || error || status}`, details);
  }
}

const auth = (call: ProviderCall) => ({ authorization: `Bearer ${call.credentials.accessToken}` });
const xrpc = (call: ProviderCall, nsid: string) => `${call.credentials.channel.baseUrl}/xrpc/${nsid}`;
const didOf = (call: ProviderCall) => call.credentials.extra.did ?? call.credentials.channel.accountId;
const webUrl = (call: ProviderCall, rkey: string) => `https://bsky.app/profile/${call.credentials.channel.handle ?? didOf(call)}/post/${rkey}`;
