import { SeedError } from '../harness/admin.js';
import { grownComments, grownEngagement, mergeExtra, type EngagementExtra } from '../harness/engagement.js';
import { json, param, type SimRequest, type SimResponse } from '../harness/http.js';
import { numericId } from '../harness/ids.js';
import { pullMedia } from '../harness/media-pull.js';
import { type NetworkContext, type NetworkDefinition } from '../harness/network.js';
import { redirectWith } from '../harness/oauth.js';
import { graphTime } from '../harness/text.js';
import { type TokenRecord } from '../harness/tokens.js';
import { bucUsage, graphError, graphErrorForStatus, graphErrorResponse, listParam, requireGraphToken, stripGraphVersion } from './meta-graph.js';

/**
 * Instagram content publishing (contract §2), Instagram Login flavour: authorize → short-lived
 * token → long-lived (60 days) → refresh only when ≥ 24 h old. Publishing is two-phase: a
 * container (IN_PROGRESS → FINISHED | ERROR, EXPIRED after 24 h, PUBLISHED once used), then
 * `media_publish`, which enforces the rolling 24 h quota (default 50; a carousel counts once).
 * A media URL with `sim-fail=<subcode>` in its query makes the container end in ERROR.
 */
interface IgUser {
  id: string;
  username: string;
  followers: number;
  createdAt: number;
}

type ContainerStatus = 'IN_PROGRESS' | 'FINISHED' | 'ERROR' | 'EXPIRED' | 'PUBLISHED';

interface Container {
  id: string;
  ownerId: string;
  mediaType: 'IMAGE' | 'REELS' | 'STORIES' | 'CAROUSEL' | 'VIDEO';
  caption: string;
  isCarouselItem: boolean;
  children: string[];
  createdAt: number;
  pollsLeft: number;
  errorSubcode?: number;
  published: boolean;
  resumable: boolean;
  uploaded: boolean;
  /** SHA-256 of the fetched picture or video (loopback URLs only; see pullMedia). */
  sha256?: string;
}

interface IgMedia {
  id: string;
  ownerId: string;
  containerId: string;
  caption: string;
  mediaType: string;
  createdAt: number;
  deletedAt?: number;
  extra: EngagementExtra;
}

const DAY = 86_400_000;
const SHORT_TTL = 3_600_000;
const LONG_TTL = 60 * DAY;
const IG_SCOPES = ['instagram_business_basic', 'instagram_business_content_publish', 'instagram_business_manage_comments', 'instagram_business_manage_insights'];
const VALID_METRICS = ['views', 'reach', 'likes', 'comments', 'shares', 'saved', 'total_interactions', 'follows', 'profile_visits', 'profile_activity', 'navigation', 'replies', 'reposts', 'ig_reels_avg_watch_time', 'ig_reels_video_view_total_time', 'clips_replays_count', 'ig_reels_aggregated_all_plays_count', 'crossposted_views', 'facebook_views'];
const ERROR_TEXT: Record<number, string> = {
  2207003: 'It took too long to download the media.',
  2207004: 'The image size is too large.',
  2207005: 'The image format is not supported.',
  2207009: 'The aspect ratio is not supported.',
  2207026: 'The video format is not supported.',
  2207052: 'The media could not be fetched from this URI.',
};

export function instagram(ctx: NetworkContext): NetworkDefinition {
  const { harness, tokens, oauth, limiter } = ctx;
  const clock = harness.clock;
  const config = {
    publishesPer24h: 50,
    containersPer24h: 400,
    maxCarouselChildren: 10,
    maxCaptionLength: 2200,
    maxHashtags: 30,
    /** How many status polls a video (REELS/STORIES video) container stays IN_PROGRESS. */
    videoProcessingPolls: 2,
    callsPerHour: 4800,
    /** `unsupported` (the documented default: code 100) or `supported` (`{success:true}`). */
    deleteMedia: 'unsupported',
  };
  const users = new Map<string, IgUser>();
  const containers = new Map<string, Container>();
  const media = new Map<string, IgMedia>();

  function seedAccount(input: Record<string, unknown>) {
    const username = typeof input.username === 'string' ? input.username : `sandbox_${users.size + 1}`;
    if (!/^[\w.]{1,30}$/.test(username)) throw new SeedError('username must be 1-30 letters, digits, dots or underscores');
    const user: IgUser = { id: `1784${numericId(clock.now(), 13)}`, username, followers: typeof input.followers === 'number' ? input.followers : 12_000, createdAt: clock.now() };
    users.set(user.id, user);
    const token = tokens.issue({ accountId: user.id, scopes: IG_SCOPES, ttlMs: LONG_TTL, prefix: 'IGAA', meta: { lifetime: 'long' } });
    return { accountId: user.id, igUserId: user.id, username, accessToken: token.token };
  }

  function authenticate(req: SimRequest, scope?: string): { token: TokenRecord; user: IgUser; headers: Record<string, string> } {
    const token = requireGraphToken(tokens, req, clock.now());
    const user = users.get(token.accountId);
    if (!user) throw graphError(400, 190, 'Invalid OAuth access token - Cannot parse access token');
    const calls = limiter.take(`calls:${user.id}`, { kind: 'fixed', limit: config.callsPerHour, windowMs: 3_600_000 });
    const headers = bucUsage(user.id, 'instagram', calls, clock.now());
    if (!calls.allowed) throw graphError(400, 80002, 'There have been too many calls to this Instagram account. Wait a bit and try again.', { headers });
    if (scope && !token.scopes.includes(scope)) throw graphError(403, 10, `(#10) Application does not have permission for this action (${scope})`, { headers });
    return { token, user, headers };
  }

  function ownUser(req: SimRequest, scope?: string) {
    const auth = authenticate(req, scope);
    const node = req.params.node ?? '';
    if (node !== 'me' && node !== auth.user.id) throw graphError(400, 100, `Unsupported post request. Object with ID '${node}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, { type: 'GraphMethodException', subcode: 33, headers: auth.headers });
    return auth;
  }

  function statusOf(container: Container): ContainerStatus {
    if (container.published) return 'PUBLISHED';
    if (container.createdAt + DAY <= clock.now()) return 'EXPIRED';
    if (container.resumable && !container.uploaded) return 'IN_PROGRESS';
    if (container.pollsLeft > 0) return 'IN_PROGRESS';
    return container.errorSubcode !== undefined ? 'ERROR' : 'FINISHED';
  }

  function failureFor(url: string | undefined): number | undefined {
    if (url === undefined) return undefined;
    try {
      const code = new URL(url).searchParams.get('sim-fail');
      return code === null ? undefined : Number(code) || 2207052;
    } catch {
      return 2207052;
    }
  }

  function createContainer(req: SimRequest, user: IgUser, headers: Record<string, string>): Container {
    const mediaType = (param(req, 'media_type') ?? (param(req, 'image_url') ? 'IMAGE' : '')).toUpperCase();
    const imageUrl = param(req, 'image_url');
    const videoUrl = param(req, 'video_url');
    const caption = param(req, 'caption') ?? '';
    const isCarouselItem = param(req, 'is_carousel_item') === 'true';
    const resumable = param(req, 'upload_type') === 'resumable';
    const invalid = (message: string, subcode?: number) => graphError(400, 100, message, { subcode, isTransient: false, headers });
    if (!['IMAGE', 'REELS', 'STORIES', 'CAROUSEL', 'VIDEO'].includes(mediaType)) throw invalid('(#100) The parameter image_url is required or media_type must be one of IMAGE, REELS, STORIES, CAROUSEL.');
    if (mediaType === 'VIDEO' && !isCarouselItem) throw invalid('(#100) The VIDEO media_type is deprecated; use REELS.', 2207067);
    if (caption.length > config.maxCaptionLength || (caption.match(/#\w+/g)?.length ?? 0) > config.maxHashtags) throw invalid('(#100) The caption is too long or has too many hashtags.', 2207010);
    if (mediaType === 'IMAGE' && !imageUrl) throw invalid('(#100) The parameter image_url is required.');
    if ((mediaType === 'REELS' || mediaType === 'VIDEO') && !videoUrl && !resumable) throw invalid('(#100) The parameter video_url is required.');
    if (mediaType === 'STORIES' && !imageUrl && !videoUrl) throw invalid('(#100) The parameter image_url or video_url is required.');
    for (const url of [imageUrl, videoUrl]) if (url !== undefined && !/^https?:\/\/\S+$/.test(url)) throw invalid('(#100) Only photo or video can be accepted as media type.', 2207052);
    let children: string[] = [];
    if (mediaType === 'CAROUSEL') {
      children = (listParam(param(req, 'children')) ?? []).map(String);
      if (children.length < 2 || children.length > config.maxCarouselChildren) throw invalid(`(#100) A carousel needs 2 to ${config.maxCarouselChildren} children.`, 2207028);
      for (const id of children) {
        const child = containers.get(id);
        if (!child || child.ownerId !== user.id || !child.isCarouselItem) throw invalid(`(#100) Child ${id} is not a carousel item container of this account.`, 2207028);
        if (statusOf(child) !== 'FINISHED') throw invalid(`(#100) Child ${id} is not FINISHED.`, 2207027);
      }
    }
    const created = limiter.take(`containers:${user.id}`, { kind: 'rolling', limit: config.containersPer24h, windowMs: DAY });
    if (!created.allowed) throw graphError(400, 9, 'Application request limit reached: too many containers in 24 hours', { subcode: 2207042, headers });
    // Images are fetched when the container is made, so an image failure is immediate; video fails later.
    const failure = failureFor(imageUrl ?? videoUrl);
    if (failure !== undefined && imageUrl !== undefined && mediaType !== 'STORIES') {
      throw graphError(400, failure === 2207004 ? 36000 : -2, ERROR_TEXT[failure] ?? 'The media could not be fetched.', { subcode: failure, isTransient: failure === 2207003, headers });
    }
    const isVideo = videoUrl !== undefined || resumable;
    const container: Container = {
      id: numericId(clock.now(), 17),
      ownerId: user.id,
      mediaType: mediaType as Container['mediaType'],
      caption,
      isCarouselItem,
      children,
      createdAt: clock.now(),
      pollsLeft: isVideo ? config.videoProcessingPolls : 0,
      errorSubcode: failure,
      published: false,
      resumable,
      uploaded: false,
    };
    containers.set(container.id, container);
    return container;
  }

  function mediaEntity(item: IgMedia, fields: string) {
    const counts = grownEngagement(item.createdAt, clock.now(), item.extra);
    const all = fields === '';
    return {
      id: item.id,
      ...(all || fields.includes('caption') ? { caption: item.caption } : {}),
      ...(all || fields.includes('timestamp') ? { timestamp: graphTime(item.createdAt) } : {}),
      ...(all || fields.includes('media_type') ? { media_type: item.mediaType === 'REELS' ? 'VIDEO' : item.mediaType === 'CAROUSEL' ? 'CAROUSEL_ALBUM' : item.mediaType } : {}),
      ...(all || fields.includes('media_product_type') ? { media_product_type: item.mediaType === 'REELS' ? 'REELS' : item.mediaType === 'STORIES' ? 'STORY' : 'FEED' } : {}),
      ...(all || fields.includes('permalink') ? { permalink: `https://www.instagram.com/p/${Buffer.from(item.id).toString('base64url').slice(0, 11)}/` } : {}),
      ...(fields.includes('like_count') ? { like_count: counts.likes } : {}),
      ...(fields.includes('comments_count') ? { comments_count: counts.comments } : {}),
      ...(fields.includes('view_count') ? { view_count: counts.views } : {}),
    };
  }

  function liveMedia(id: string | undefined, headers: Record<string, string>): IgMedia {
    const item = id ? media.get(id) : undefined;
    if (!item || item.deletedAt !== undefined) throw graphError(400, 100, `Unsupported get request. Object with ID '${id ?? ''}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, { type: 'GraphMethodException', subcode: 33, headers });
    return item;
  }

  const tokenJson = (token: TokenRecord): SimResponse => json(200, { access_token: token.token, token_type: 'bearer', expires_in: Math.round(((token.expiresAt ?? clock.now()) - clock.now()) / 1000) });

  const routes: NetworkDefinition['routes'] = [
    {
      method: 'GET',
      pattern: '/oauth/authorize',
      handler: (req) => {
        const q = req.query;
        const client = oauth.client(q.get('client_id') ?? undefined);
        const redirectUri = q.get('redirect_uri') ?? '';
        if (!client || !oauth.redirectAllowed(client, redirectUri)) throw graphError(400, 100, 'Invalid platform app');
        const state = q.get('state') ?? undefined;
        if (oauth.consent === 'deny') return { status: 302, headers: { location: redirectWith(redirectUri, { error: 'access_denied', error_reason: 'user_denied', error_description: 'The user denied your request.', state }) } };
        const user = users.get(q.get('sim_account') ?? '') ?? users.values().next().value;
        if (!user) throw graphError(400, 1, 'No user to log in as; seed one with POST /__sim/accounts');
        const scopes = (q.get('scope') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
        const code = oauth.issueCode({ clientId: client.clientId, redirectUri, scopes, accountId: user.id, ttlMs: 60 * 60_000 });
        return { status: 302, headers: { location: redirectWith(redirectUri, { code: code.code, state }) } };
      },
    },
    {
      method: 'POST',
      pattern: '/oauth/access_token',
      handler: (req) => {
        const client = oauth.client(param(req, 'client_id'));
        if (!client || client.clientSecret !== param(req, 'client_secret')) return json(400, { error_type: 'OAuthException', code: 400, error_message: 'Invalid Client Secret' });
        if (param(req, 'grant_type') !== 'authorization_code') return json(400, { error_type: 'OAuthException', code: 400, error_message: 'Unsupported grant_type' });
        const redeemed = oauth.redeem(param(req, 'code'), client.clientId, param(req, 'redirect_uri'), undefined);
        if (!redeemed.ok) return json(400, { error_type: 'OAuthException', code: 400, error_message: redeemed.reason === 'used' ? 'This authorization code has been used' : 'Invalid authorization code' });
        const token = tokens.issue({ accountId: redeemed.code.accountId, clientId: client.clientId, scopes: redeemed.code.scopes, ttlMs: SHORT_TTL, prefix: 'IGAA', meta: { lifetime: 'short' } });
        return json(200, { access_token: token.token, user_id: Number(redeemed.code.accountId), permissions: redeemed.code.scopes });
      },
    },
    {
      method: 'GET',
      pattern: '/access_token',
      handler: (req) => {
        if (req.query.get('grant_type') !== 'ig_exchange_token') throw graphError(400, 100, 'grant_type must be ig_exchange_token');
        const token = requireGraphToken(tokens, req, clock.now());
        if (oauth.client(token.clientId)?.clientSecret !== req.query.get('client_secret')) throw graphError(400, 101, 'Error validating client secret.');
        if (token.meta.lifetime !== 'short') throw graphError(400, 452, 'Session key invalid. This token is already long-lived.');
        return tokenJson(tokens.issue({ accountId: token.accountId, clientId: token.clientId, scopes: token.scopes, ttlMs: LONG_TTL, prefix: 'IGAA', meta: { lifetime: 'long' } }));
      },
    },
    {
      method: 'GET',
      pattern: '/refresh_access_token',
      handler: (req) => {
        if (req.query.get('grant_type') !== 'ig_refresh_token') throw graphError(400, 100, 'grant_type must be ig_refresh_token');
        const token = requireGraphToken(tokens, req, clock.now());
        if (token.meta.lifetime !== 'long') throw graphError(400, 190, 'Only long-lived tokens can be refreshed');
        if (token.issuedAt + DAY > clock.now()) throw graphError(400, 10, '(#10) The token can be refreshed only when it is at least 24 hours old');
        return tokenJson(tokens.issue({ accountId: token.accountId, clientId: token.clientId, scopes: token.scopes, ttlMs: LONG_TTL, prefix: 'IGAA', meta: { lifetime: 'long' } }));
      },
    },
    {
      method: 'POST',
      pattern: '/:node/media',
      handler: async (req) => {
        const { user, headers } = ownUser(req, 'instagram_business_content_publish');
        const container = createContainer(req, user, headers);
        const url = param(req, 'image_url') ?? param(req, 'video_url');
        const pulled = url !== undefined ? await pullMedia(url) : undefined;
        if (pulled === null) {
          // A picture is fetched at once and refused; a video fails in processing, as on Instagram.
          if (param(req, 'video_url') === undefined) {
            containers.delete(container.id);
            throw graphError(400, -2, ERROR_TEXT[2207052] ?? 'The media could not be fetched.', { subcode: 2207052, isTransient: false, headers });
          }
          container.errorSubcode = 2207052;
        } else if (pulled) container.sha256 = pulled;
        if (container.resumable) return json(200, { id: container.id, uri: `${ctx.baseUrl()}/ig-api-upload/${container.id}` }, headers);
        return json(200, { id: container.id }, headers);
      },
    },
    {
      method: 'POST',
      pattern: '/ig-api-upload/:id',
      handler: (req) => {
        const container = containers.get(req.params.id ?? '');
        if (!container?.resumable) return json(400, { debug_info: { type: 'ProcessingFailedError', message: 'Request processing failed: unknown container' } });
        const { user } = authenticate(req);
        if (user.id !== container.ownerId) throw graphError(403, 200, '(#200) Permissions error');
        const size = Number(req.headers.file_size ?? req.headers['file-size'] ?? 0);
        const fileUrl = req.headers.file_url ?? req.headers['file-url'];
        if (fileUrl === undefined && (size <= 0 || Number(req.headers.offset ?? 0) !== 0 || req.raw.length !== size)) {
          return json(400, { debug_info: { type: 'ProcessingFailedError', message: 'Request processing failed: offset and file_size must describe the whole file' } });
        }
        container.uploaded = true;
        return json(200, { success: true, message: 'Upload successful.' });
      },
    },
    {
      method: 'POST',
      pattern: '/:node/media_publish',
      handler: (req) => {
        const { user, headers } = ownUser(req, 'instagram_business_content_publish');
        const container = containers.get(param(req, 'creation_id') ?? '');
        if (!container || container.ownerId !== user.id) throw graphError(400, 24, 'The requested resource does not exist', { subcode: 2207008, headers });
        const status = statusOf(container);
        if (status === 'PUBLISHED') throw graphError(400, 9007, 'The media has already been published', { subcode: 2207008, headers });
        if (status === 'EXPIRED') throw graphError(400, -2, 'The media container has expired. Create a new one.', { subcode: 2207020, isTransient: false, headers });
        if (status !== 'FINISHED' || container.isCarouselItem) {
          throw graphError(400, 9007, 'Media ID is not available', { subcode: 2207027, userTitle: 'The media is not ready for publishing', userMsg: 'Wait until the container status is FINISHED.', headers });
        }
        const quota = limiter.take(`publish:${user.id}`, { kind: 'rolling', limit: config.publishesPer24h, windowMs: DAY });
        if (!quota.allowed) throw graphError(400, 9, 'Application request limit reached', { subcode: 2207042, userTitle: 'Limit reached', userMsg: 'The maximum number of posts in 24 hours was reached.', headers });
        container.published = true;
        const item: IgMedia = { id: numericId(clock.now(), 17), ownerId: user.id, containerId: container.id, caption: container.caption, mediaType: container.mediaType, createdAt: clock.now(), extra: {} };
        media.set(item.id, item);
        const hashes = (container.mediaType === 'CAROUSEL' ? container.children.map((id) => containers.get(id)?.sha256) : [container.sha256]).filter((h): h is string => h !== undefined);
        harness.ledger.record({ network: 'instagram', account: user.id, id: item.id, text: item.caption, createdAt: item.createdAt, ...(hashes.length > 0 ? { media: hashes } : {}) });
        return json(200, { id: item.id }, headers);
      },
    },
    {
      method: 'GET',
      pattern: '/:node/content_publishing_limit',
      handler: (req) => {
        const { user, headers } = ownUser(req);
        const quota = limiter.peek(`publish:${user.id}`, { kind: 'rolling', limit: config.publishesPer24h, windowMs: DAY });
        return json(200, { data: [{ quota_usage: quota.limit - quota.remaining, config: { quota_total: config.publishesPer24h, quota_duration: 86_400 } }] }, headers);
      },
    },
    {
      method: 'GET',
      pattern: '/:node/media',
      handler: (req) => {
        const { user, headers } = ownUser(req);
        const limit = Math.min(100, Math.max(1, Number(req.query.get('limit') ?? 25) || 25));
        const own = [...media.values()].filter((m) => m.ownerId === user.id && m.deletedAt === undefined).reverse().sort((a, b) => b.createdAt - a.createdAt).slice(0, limit);
        return json(200, { data: own.map((m) => mediaEntity(m, req.query.get('fields') ?? 'id')), paging: { cursors: { before: 'QVFI', after: 'QVFJ' } } }, headers);
      },
    },
    {
      method: 'GET',
      pattern: '/:node/insights',
      handler: (req) => {
        const { headers } = authenticate(req, 'instagram_business_manage_insights');
        const item = liveMedia(req.params.node, headers);
        const metrics = (req.query.get('metric') ?? '').split(',').map((m) => m.trim()).filter(Boolean);
        const bad = metrics.find((m) => !VALID_METRICS.includes(m));
        if (metrics.length === 0 || bad !== undefined) throw graphError(400, 100, `(#100) metric[0] must be one of the following values: ${VALID_METRICS.join(', ')}`, { headers });
        const counts = grownEngagement(item.createdAt, clock.now(), item.extra);
        const value = (name: string) => (name === 'likes' ? counts.likes : name === 'comments' ? counts.comments : name === 'shares' ? counts.shares : name === 'views' || name === 'reach' ? counts.views : Math.floor(counts.likes / 2));
        return json(200, { data: metrics.map((name) => ({ name, period: 'lifetime', values: [{ value: value(name) }], title: name, id: `${item.id}/insights/${name}/lifetime` })) }, headers);
      },
    },
    {
      method: 'GET',
      pattern: '/:node/comments',
      handler: (req) => {
        const { headers } = authenticate(req, 'instagram_business_manage_comments');
        const item = liveMedia(req.params.node, headers);
        const comments = grownComments(item.id, item.createdAt, clock.now(), item.extra).filter((c) => c.parentId === undefined);
        return json(200, { data: comments.map((c) => ({ id: `1790${c.id}`, text: c.text, timestamp: graphTime(c.createdAt), username: c.author, from: { id: `1784${c.author.length}${c.author.charCodeAt(c.author.length - 1)}`, username: c.author }, like_count: 0, hidden: false })) }, headers);
      },
    },
    {
      method: 'GET',
      pattern: '/:node/replies',
      handler: (req) => json(200, { data: [] }, authenticate(req, 'instagram_business_manage_comments').headers),
    },
    {
      method: 'GET',
      pattern: '/:node',
      handler: (req) => {
        const { user, headers } = authenticate(req);
        const node = req.params.node ?? '';
        const fields = req.query.get('fields') ?? '';
        if (node === 'me' || node === user.id) {
          const count = [...media.values()].filter((m) => m.ownerId === user.id && m.deletedAt === undefined).length;
          return json(200, { id: user.id, user_id: user.id, username: user.username, followers_count: user.followers + Math.floor((clock.now() - user.createdAt) / 3_600_000), follows_count: 150, media_count: count }, headers);
        }
        const container = containers.get(node);
        if (container && container.ownerId === user.id) {
          if (container.pollsLeft > 0 && (!container.resumable || container.uploaded)) container.pollsLeft -= 1;
          const status = statusOf(container);
          return json(200, {
            id: container.id,
            status_code: status,
            ...(fields.includes('status') && status === 'ERROR' ? { status: `Error: ${ERROR_TEXT[container.errorSubcode ?? 0] ?? 'Media upload has failed'} (${container.errorSubcode ?? 2207052})` } : {}),
            ...(fields.includes('status') && status !== 'ERROR' ? { status: status === 'FINISHED' ? 'Finished: Media has been uploaded and it is ready to be published.' : status } : {}),
          }, headers);
        }
        return json(200, mediaEntity(liveMedia(node, headers), fields), headers);
      },
    },
    {
      method: 'DELETE',
      pattern: '/:node',
      handler: (req) => {
        const { user, headers } = authenticate(req);
        const item = liveMedia(req.params.node, headers);
        if (config.deleteMedia !== 'supported') throw graphError(400, 100, 'Unsupported delete request.', { type: 'GraphMethodException', subcode: 33, headers });
        if (item.ownerId !== user.id) throw graphError(403, 200, '(#200) Permissions error', { headers });
        item.deletedAt = clock.now();
        harness.ledger.markDeleted('instagram', item.id, clock.now());
        return json(200, { success: true }, headers);
      },
    },
  ];

  seedAccount({ username: 'guddu_sandbox' });
  return {
    name: 'instagram',
    config,
    routes,
    normalizePath: stripGraphVersion,
    errorResponse: (status) => graphErrorForStatus(status),
    // The publishing quota (24 hours) by default; with an injected reset, the per-account call
    // limit (code 4) with the minutes to wait in X-Business-Use-Case-Usage, as Graph sends it.
    rateLimitedResponse: (_req, resetMs) =>
      resetMs === undefined
        ? graphErrorResponse(400, 9, 'Application request limit reached', { subcode: 2207042 })
        : graphErrorResponse(400, 4, 'Application request limit reached', { headers: { 'x-business-use-case-usage': JSON.stringify({ sandbox: [{ type: 'instagram', call_count: 100, total_cputime: 40, total_time: 40, estimated_time_to_regain_access: Math.max(1, Math.ceil(resetMs / 60_000)) }] }) } }),
    seedAccount,
    addEngagement: (postId, extra) => {
      const item = media.get(postId);
      if (!item) return false;
      item.extra = mergeExtra(item.extra, extra);
      return true;
    },
    describe: () => ({ users: [...users.values()], containers: [...containers.values()].map((c) => ({ ...c, status_code: statusOf(c) })), media: [...media.values()] }),
    reset: () => {
      users.clear();
      containers.clear();
      media.clear();
      seedAccount({ username: 'guddu_sandbox' });
    },
  };
}
