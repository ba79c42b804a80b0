import { SeedError } from '../harness/admin.js';
import { grownComments, grownEngagement, mergeExtra, type EngagementExtra } from '../harness/engagement.js';
import { json, param, type SimRequest, type SimResponse } from '../harness/http.js';
import { numericId, sha256Hex } from '../harness/ids.js';
import { pullMedia } from '../harness/media-pull.js';
import { type NetworkContext, type NetworkDefinition } from '../harness/network.js';
import { redirectWith } from '../harness/oauth.js';
import { graphTime } from '../harness/text.js';
import { type TokenRecord } from '../harness/tokens.js';
import { facebookVideoRoutes, type FbVideo } from './facebook-video.js';
import { appUsage, bucUsage, graphError, graphErrorForStatus, graphErrorResponse, listParam, requireGraphToken, stripGraphVersion } from './meta-graph.js';

/**
 * Facebook Pages via the Graph API (contract §1): login dialog, code → short-lived user token →
 * long-lived (≈60 days) → Page tokens that never expire, Page posts with `{page}_{post}` ids,
 * scheduling rules, photos and multi-photo posts, video (file_url, chunked, Reels), 506 on a
 * repeated message, BUC/App usage headers rising to errors 80001/4, insights with a metric
 * whitelist, comments and delete.
 */
export interface FbPage {
  id: string;
  name: string;
  category: string;
  tasks: string[];
  followers: number;
  createdAt: number;
}

interface FbPost {
  id: string;
  pageId: string;
  message: string;
  link?: string;
  createdAt: number;
  published: boolean;
  scheduledAt?: number;
  photoIds: string[];
  deletedAt?: number;
  extra: EngagementExtra;
}

const SHORT_TTL = 2 * 3_600_000;
const LONG_TTL = 5_183_944_000;
const HOUR = 3_600_000;
const PAGE_SCOPES = ['pages_show_list', 'pages_manage_posts', 'pages_read_engagement', 'pages_manage_metadata', 'publish_video', 'pages_manage_engagement', 'pages_read_user_engagement', 'read_insights'];
export const FB_VALID_METRICS = ['post_total_media_view_unique', 'post_reactions_by_type_total', 'post_clicks', 'post_engaged_users', 'page_total_media_view_unique', 'page_follows', 'page_post_engagements', 'page_views_total', 'post_video_views'];
const FB_DEPRECATED_METRICS = ['post_impressions', 'post_impressions_unique', 'page_impressions', 'page_impressions_unique', 'page_fans', 'page_fan_adds'];

export function facebook(ctx: NetworkContext): NetworkDefinition {
  const { harness, tokens, oauth, limiter } = ctx;
  const clock = harness.clock;
  const config = {
    /** Calls per Page per hour before code 80001 (Pages BUC). */
    pageCallsPerHour: 4800,
    /** Calls per app per hour before code 4. */
    appCallsPerHour: 20_000,
    /** A message identical to one posted on the Page this recently is refused with 506. */
    duplicateWindowMs: 24 * HOUR,
    maxMessageLength: 63_206,
    videoProcessingPolls: 2,
    failVideoNamed: 'fail',
  };
  const users = new Map<string, { id: string; name: string; pages: string[] }>();
  const pages = new Map<string, FbPage>();
  const posts = new Map<string, FbPost>();
  const photos = new Map<string, { id: string; pageId: string; published: boolean; postId?: string; sha256?: string }>();
  const videos = new Map<string, FbVideo>();

  function seedAccount(input: Record<string, unknown>) {
    const name = typeof input.name === 'string' ? input.name : `Sandbox Page ${pages.size + 1}`;
    const tasks = Array.isArray(input.tasks) ? input.tasks.map(String) : ['ANALYZE', 'ADVERTISE', 'MODERATE', 'CREATE_CONTENT', 'MANAGE'];
    if (tasks.some((task) => !['ANALYZE', 'ADVERTISE', 'MODERATE', 'CREATE_CONTENT', 'MANAGE', 'MESSAGING'].includes(task))) throw new SeedError('tasks must be Page tasks such as CREATE_CONTENT');
    const user = { id: numericId(clock.now(), 16), name: typeof input.userName === 'string' ? input.userName : 'Sandbox Admin', pages: [] as string[] };
    const page: FbPage = { id: numericId(clock.now(), 15), name, category: 'Government organization', tasks, followers: typeof input.followers === 'number' ? input.followers : 25_000, createdAt: clock.now() };
    user.pages.push(page.id);
    users.set(user.id, user);
    pages.set(page.id, page);
    const userToken = tokens.issue({ accountId: user.id, scopes: PAGE_SCOPES, ttlMs: LONG_TTL, meta: { type: 'USER', lifetime: 'long' } });
    const pageToken = tokens.issue({ accountId: page.id, scopes: PAGE_SCOPES, ttlMs: null, meta: { type: 'PAGE', userId: user.id } });
    return { accountId: page.id, pageId: page.id, userId: user.id, accessToken: pageToken.token, userAccessToken: userToken.token };
  }

  /** Every authenticated call counts against the app and, for a Page token, that Page's BUC budget. */
  function authenticate(req: SimRequest, pageId?: string): { token: TokenRecord; headers: Record<string, string> } {
    const token = requireGraphToken(tokens, req, clock.now());
    const app = limiter.take('app', { kind: 'fixed', limit: config.appCallsPerHour, windowMs: HOUR });
    let headers = appUsage(app);
    if (!app.allowed) throw graphError(400, 4, '(#4) Application request limit reached', { isTransient: true, headers });
    const objectId = pageId ?? (token.meta.type === 'PAGE' ? token.accountId : undefined);
    if (objectId !== undefined && pages.has(objectId)) {
      const buc = limiter.take(`page:${objectId}`, { kind: 'fixed', limit: config.pageCallsPerHour, windowMs: HOUR });
      headers = { ...headers, ...bucUsage(objectId, 'pages', buc, clock.now()) };
      if (!buc.allowed) throw graphError(400, 80001, 'There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.', { headers });
    }
    return { token, headers };
  }

  function pageFor(req: SimRequest, pageId: string | undefined, task: string): { page: FbPage; token: TokenRecord; headers: Record<string, string> } {
    const page = pageId ? pages.get(pageId) : undefined;
    if (!page) throw graphError(400, 100, `Unsupported post request. Object with ID '${pageId ?? ''}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, { type: 'GraphMethodException', subcode: 33 });
    const { token, headers } = authenticate(req, page.id);
    if (token.meta.type !== 'PAGE' || token.accountId !== page.id) {
      throw graphError(403, 200, '(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts as an admin with sufficient administrative permission', { headers });
    }
    if (!page.tasks.includes(task) && !page.tasks.includes('MANAGE')) throw graphError(403, 10, `(#10) The user must be able to perform the ${task} task on this Page`, { headers });
    return { page, token, headers };
  }

  function createPost(page: FbPage, req: SimRequest, headers: Record<string, string>, photoIds: string[] = [], hasMedia = photoIds.length > 0, mediaHashes: string[] = []): FbPost {
    const message = param(req, 'message') ?? param(req, 'caption') ?? param(req, 'description') ?? '';
    const link = param(req, 'link');
    const published = param(req, 'published') !== 'false';
    const scheduledRaw = param(req, 'scheduled_publish_time');
    if (message === '' && link === undefined && !hasMedia) throw graphError(400, 100, '(#100) The post is empty. Provide a message, a link or attached media.', { headers });
    if (message.length > config.maxMessageLength) throw graphError(400, 100, '(#100) Param message must be at most 63206 characters long.', { headers });
    if (link !== undefined && !/^https?:\/\/\S+$/.test(link)) throw graphError(400, 100, '(#100) The link is not a valid URL.', { subcode: 1609005, headers });
    let scheduledAt: number | undefined;
    if (scheduledRaw !== undefined) {
      scheduledAt = /^\d+$/.test(scheduledRaw) ? Number(scheduledRaw) * 1000 : Date.parse(scheduledRaw);
      if (published) throw graphError(400, 100, '(#100) Cannot specify a scheduled publish time on a published post', { headers });
      if (Number.isNaN(scheduledAt) || scheduledAt < clock.now() + 10 * 60_000 || scheduledAt > clock.now() + 30 * 24 * HOUR) {
        throw graphError(400, 100, '(#100) The specified scheduled publish time is invalid.', { subcode: 1363026, userTitle: 'Invalid scheduled publish time', userMsg: 'The scheduled time must be between 10 minutes and 30 days from now.', headers });
      }
    }
    const duplicate = [...posts.values()].some((p) => p.pageId === page.id && message !== '' && p.message === message && p.createdAt > clock.now() - config.duplicateWindowMs);
    if (duplicate) throw graphError(400, 506, 'Duplicate status message', { subcode: 1455006, userTitle: 'Duplicate Post', userMsg: 'This status update is identical to the last one you posted.', headers });
    const post: FbPost = { id: `${page.id}_${numericId(clock.now(), 16)}`, pageId: page.id, message, link, createdAt: clock.now(), published: published && scheduledAt === undefined, scheduledAt, photoIds, extra: {} };
    posts.set(post.id, post);
    const media = [...photoIds.flatMap((id) => photos.get(id)?.sha256 ?? []), ...mediaHashes];
    harness.ledger.record({ network: 'facebook', account: page.id, id: post.id, text: message, createdAt: post.createdAt, ...(media.length > 0 ? { media } : {}) });
    return post;
  }

  function postEntity(post: FbPost, fields: string) {
    const counts = grownEngagement(post.createdAt, clock.now(), post.extra);
    return {
      id: post.id,
      message: post.message,
      created_time: graphTime(post.createdAt),
      permalink_url: `https://www.facebook.com/${post.pageId}/posts/${post.id.split('_')[1] ?? ''}`,
      is_published: post.published,
      ...(post.scheduledAt !== undefined ? { scheduled_publish_time: Math.floor(post.scheduledAt / 1000) } : {}),
      ...(post.link !== undefined ? { link: post.link } : {}),
      ...(fields.includes('shares') ? { shares: { count: counts.shares } } : {}),
      ...(fields.includes('reactions') ? { reactions: { data: [], summary: { total_count: counts.likes, viewer_reaction: 'NONE' } } } : {}),
      ...(fields.includes('comments') ? { comments: { data: [], summary: { order: 'chronological', total_count: counts.comments, can_comment: true } } } : {}),
    };
  }

  function livePost(id: string | undefined): FbPost {
    const post = id ? posts.get(id) : undefined;
    if (!post || post.deletedAt !== undefined) {
      throw graphError(400, 100, `Unsupported get request. Object with ID '${id ?? ''}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, { type: 'GraphMethodException', subcode: 33 });
    }
    return post;
  }

  function listPosts(req: SimRequest, filter: (post: FbPost) => boolean): SimResponse {
    const pageId = req.params.node ?? '';
    const { headers } = authenticate(req, pageId);
    if (!pages.has(pageId)) throw graphError(400, 100, `Object with ID '${pageId}' does not exist`, { type: 'GraphMethodException', subcode: 33, headers });
    const limit = Math.min(100, Math.max(1, Number(req.query.get('limit') ?? 25) || 25));
    const fields = req.query.get('fields') ?? '';
    const list = [...posts.values()].filter((p) => p.pageId === pageId && p.deletedAt === undefined && filter(p)).reverse().sort((a, b) => b.createdAt - a.createdAt).slice(0, limit);
    return json(200, { data: list.map((p) => postEntity(p, fields)), paging: { cursors: { before: 'QVFIUmJ', after: 'QVFIUl9' } } }, headers);
  }

  function insights(req: SimRequest, objectId: string, headers: Record<string, string>, lifetime: number): SimResponse {
    const metrics = (req.query.get('metric') ?? '').split(',').map((m) => m.trim()).filter(Boolean);
    if (metrics.length === 0) throw graphError(400, 100, '(#100) The parameter metric is required', { headers });
    const bad = metrics.find((m) => !FB_VALID_METRICS.includes(m));
    if (bad !== undefined) {
      const why = FB_DEPRECATED_METRICS.includes(bad) ? ' This metric was deprecated.' : '';
      throw graphError(400, 100, `(#100) The value must be a valid insights metric.${why}`, { headers });
    }
    const period = req.query.get('period') ?? 'lifetime';
    if (!['day', 'week', 'days_28', 'month', 'lifetime', 'total_over_range'].includes(period)) throw graphError(400, 100, '(#100) period must be one of day, week, days_28, month, lifetime, total_over_range', { headers });
    return json(200, { data: metrics.map((name) => ({ name, period, values: [{ value: name.includes('view') ? lifetime : Math.floor(lifetime / 10), end_time: graphTime(clock.now()) }], title: name, id: `${objectId}/insights/${name}/${period}` })) }, headers);
  }

  const tokenResponse = (token: TokenRecord) => json(200, { access_token: token.token, token_type: 'bearer', ...(token.expiresAt === null ? {} : { expires_in: Math.round((token.expiresAt - clock.now()) / 1000) }) });

  const routes: NetworkDefinition['routes'] = [
    {
      method: 'GET',
      pattern: '/dialog/oauth',
      handler: (req) => {
        const q = req.query;
        const client = oauth.client(q.get('client_id') ?? undefined);
        const redirectUri = q.get('redirect_uri') ?? '';
        if (!client || !oauth.redirectAllowed(client, redirectUri)) throw graphError(400, 191, "Can't load URL: The domain of this URL isn't included in the app's domains.");
        const state = q.get('state') ?? undefined;
        if (oauth.consent === 'deny') return { status: 302, headers: { location: redirectWith(redirectUri, { error: 'access_denied', error_code: '200', error_description: 'Permissions error', error_reason: 'user_denied', state }) } };
        const user = users.get(q.get('sim_account') ?? '') ?? users.values().next().value;
        if (!user) throw graphError(400, 1, 'No user to log in as; seed one with POST /__sim/accounts');
        const scopes = (q.get('scope') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
        const code = oauth.issueCode({ clientId: client.clientId, redirectUri, scopes, accountId: user.id, ttlMs: 10 * 60_000 });
        return { status: 302, headers: { location: redirectWith(redirectUri, { code: code.code, state }) } };
      },
    },
    {
      method: 'GET',
      pattern: '/oauth/access_token',
      handler: (req) => {
        const client = oauth.client(param(req, 'client_id'));
        if (!client || client.clientSecret !== param(req, 'client_secret')) throw graphError(400, 1, 'Error validating client secret.');
        if (param(req, 'grant_type') === 'fb_exchange_token') {
          const check = tokens.check(param(req, 'fb_exchange_token'));
          if (check.status === 'expired') throw graphError(400, 190, 'Error validating access token: Session has expired.', { subcode: 463 });
          if (check.status !== 'valid' || check.record.meta.type !== 'USER') throw graphError(400, 190, 'Invalid OAuth access token - Cannot parse access token');
          return tokenResponse(tokens.issue({ accountId: check.record.accountId, clientId: client.clientId, scopes: check.record.scopes, ttlMs: LONG_TTL, meta: { type: 'USER', lifetime: 'long' } }));
        }
        const redeemed = oauth.redeem(param(req, 'code'), client.clientId, param(req, 'redirect_uri'), undefined);
        if (!redeemed.ok) throw graphError(400, 100, redeemed.reason === 'used' ? 'This authorization code has been used.' : 'Invalid verification code format.', { subcode: redeemed.reason === 'used' ? 36009 : 36008 });
        return tokenResponse(tokens.issue({ accountId: redeemed.code.accountId, clientId: client.clientId, scopes: redeemed.code.scopes, ttlMs: SHORT_TTL, meta: { type: 'USER', lifetime: 'short' } }));
      },
    },
    {
      method: 'GET',
      pattern: '/debug_token',
      handler: (req) => {
        const check = tokens.check(req.query.get('input_token') ?? undefined);
        if (check.status === 'unknown') return json(200, { data: { is_valid: false, error: { code: 190, message: 'Invalid OAuth access token.' } } });
        const record = check.record;
        return json(200, {
          data: {
            app_id: record.clientId,
            type: record.meta.type ?? 'USER',
            application: 'Guddu',
            is_valid: check.status === 'valid',
            expires_at: record.expiresAt === null ? 0 : Math.floor(record.expiresAt / 1000),
            data_access_expires_at: Math.floor((record.issuedAt + 90 * 24 * HOUR) / 1000),
            scopes: record.scopes,
            ...(record.meta.type === 'PAGE' ? { profile_id: record.accountId, user_id: record.meta.userId } : { user_id: record.accountId }),
          },
        });
      },
    },
    {
      method: 'GET',
      pattern: '/:node/accounts',
      handler: (req) => {
        const { token, headers } = authenticate(req);
        if (token.meta.type !== 'USER') throw graphError(400, 100, '(#100) Tried accessing nonexisting field (accounts) on node type (Page)', { headers });
        const user = users.get(req.params.node === 'me' ? token.accountId : (req.params.node ?? ''));
        if (!user || user.id !== token.accountId) throw graphError(403, 200, '(#200) Permissions error', { headers });
        const data = user.pages.map((id) => pages.get(id)).filter((p): p is FbPage => p !== undefined).map((page) => {
          // A Page token from a long-lived user token never expires (contract §1.2).
          const pageToken = tokens.issue({ accountId: page.id, clientId: token.clientId, scopes: token.scopes, ttlMs: token.meta.lifetime === 'long' ? null : Math.max(0, (token.expiresAt ?? clock.now()) - clock.now()), meta: { type: 'PAGE', userId: user.id } });
          return { access_token: pageToken.token, category: page.category, category_list: [{ id: '2235', name: page.category }], name: page.name, id: page.id, tasks: page.tasks };
        });
        return json(200, { data, paging: { cursors: { before: 'MAZDZD', after: 'MAZDZD' } } }, headers);
      },
    },
    {
      method: 'POST',
      pattern: '/:node/feed',
      handler: (req) => {
        const { page, headers } = pageFor(req, req.params.node, 'CREATE_CONTENT');
        const attached = listParam(param(req, 'attached_media')) ?? [];
        const photoIds = attached.map((item) => (typeof item === 'object' && item !== null && 'media_fbid' in item ? String((item).media_fbid) : ''));
        for (const id of photoIds) {
          const photo = photos.get(id);
          if (!photo || photo.pageId !== page.id || photo.published) throw graphError(400, 100, `(#100) attached_media: media_fbid ${id} is not an unpublished photo of this Page`, { headers });
        }
        const post = createPost(page, req, headers, photoIds);
        for (const id of photoIds) {
          const photo = photos.get(id);
          if (photo) photo.postId = post.id;
        }
        return json(200, { id: post.id }, headers);
      },
    },
    {
      method: 'POST',
      pattern: '/:node/photos',
      handler: async (req) => {
        const { page, headers } = pageFor(req, req.params.node, 'CREATE_CONTENT');
        const url = param(req, 'url');
        const source = req.files.get('source');
        if (!url && !source) throw graphError(400, 324, '(#324) Requires upload file', { headers });
        if (url !== undefined && !/^https?:\/\/\S+$/.test(url)) throw graphError(400, 100, '(#100) url should represent a valid URL', { headers });
        if (source && !/^image\//.test(source.contentType)) throw graphError(400, 324, '(#324) Missing or invalid image file', { headers });
        const pulled = url !== undefined ? await pullMedia(url) : source ? sha256Hex(source.data) : undefined;
        if (pulled === null) throw graphError(400, 324, '(#324) Missing or invalid image file', { headers });
        const published = param(req, 'published') !== 'false';
        const photo = { id: numericId(clock.now(), 16), pageId: page.id, published, postId: undefined as string | undefined, sha256: pulled };
        photos.set(photo.id, photo);
        if (!published) return json(200, { id: photo.id }, headers);
        const post = createPost(page, req, headers, [photo.id]);
        photo.postId = post.id;
        return json(200, { id: photo.id, post_id: post.id }, headers);
      },
    },
    { method: 'GET', pattern: '/:node/published_posts', handler: (req) => listPosts(req, (p) => p.published) },
    { method: 'GET', pattern: '/:node/posts', handler: (req) => listPosts(req, (p) => p.published) },
    { method: 'GET', pattern: '/:node/feed', handler: (req) => listPosts(req, (p) => p.published) },
    { method: 'GET', pattern: '/:node/scheduled_posts', handler: (req) => listPosts(req, (p) => !p.published && p.scheduledAt !== undefined) },
    {
      method: 'GET',
      pattern: '/:node/comments',
      handler: (req) => {
        const post = livePost(req.params.node);
        const { token, headers } = authenticate(req, post.pageId);
        // User tokens get empty data on Page objects; comment ids need the MODERATE task.
        if (token.meta.type !== 'PAGE') return json(200, { data: [] }, headers);
        const moderate = pages.get(post.pageId)?.tasks.some((t) => t === 'MODERATE' || t === 'MANAGE') ?? false;
        let comments = grownComments(post.id, post.createdAt, clock.now(), post.extra);
        if (req.query.get('order') === 'reverse_chronological') comments = comments.reverse();
        const limit = Math.min(100, Math.max(1, Number(req.query.get('limit') ?? 25) || 25));
        const after = Number(req.query.get('after') ?? 0) || 0;
        const page = comments.slice(after, after + limit);
        return json(200, {
          data: page.map((c) => ({ ...(moderate ? { id: `${post.id.split('_')[1] ?? ''}_${c.id}` } : {}), message: c.text, created_time: graphTime(c.createdAt), from: { id: `10${c.author.length}${c.author.charCodeAt(c.author.length - 1)}`, name: c.author } })),
          paging: { cursors: { before: String(after), after: String(after + page.length) }, ...(after + limit < comments.length ? { next: `${ctx.baseUrl()}/v24.0/${post.id}/comments?after=${after + limit}` } : {}) },
          ...(req.query.get('summary') === 'true' ? { summary: { order: 'chronological', total_count: comments.length, can_comment: true } } : {}),
        }, headers);
      },
    },
    {
      method: 'GET',
      pattern: '/:node/insights',
      handler: (req) => {
        const node = req.params.node ?? '';
        const page = pages.get(node);
        const post = page ? undefined : livePost(node);
        const { token, headers } = authenticate(req, page?.id ?? post?.pageId);
        if (!token.scopes.includes('read_insights')) throw graphError(403, 10, '(#10) Requires read_insights permission', { headers });
        const views = post ? grownEngagement(post.createdAt, clock.now(), post.extra).views : [...posts.values()].filter((p) => p.pageId === node).reduce((sum, p) => sum + grownEngagement(p.createdAt, clock.now(), p.extra).views, 0);
        return insights(req, node, headers, views);
      },
    },
    ...facebookVideoRoutes({ ctx, config, videos, pageFor, authenticate, createVideoPost: (page, req, headers, media) => createPost(page, req, headers, [], true, media) }),
    {
      method: 'GET',
      pattern: '/:node',
      handler: (req) => {
        const node = req.params.node ?? '';
        if (node === 'me') {
          const { token, headers } = authenticate(req);
          const page = pages.get(token.accountId);
          return json(200, page ? { id: page.id, name: page.name } : { id: token.accountId, name: users.get(token.accountId)?.name ?? 'User' }, headers);
        }
        const page = pages.get(node);
        if (page) {
          const { headers } = authenticate(req, page.id);
          const followers = page.followers + Math.floor((clock.now() - page.createdAt) / HOUR);
          return json(200, { id: page.id, name: page.name, followers_count: followers, fan_count: followers, category: page.category }, headers);
        }
        const video = videos.get(node);
        if (video) {
          const { headers } = authenticate(req, video.pageId);
          if (video.finished) video.polls += 1;
          return json(200, { id: video.id, status: facebookVideoStatus(video, config.videoProcessingPolls), ...(video.postId ? { post_id: video.postId } : {}) }, headers);
        }
        const post = livePost(node);
        const { headers } = authenticate(req, post.pageId);
        return json(200, postEntity(post, req.query.get('fields') ?? ''), headers);
      },
    },
    {
      method: 'DELETE',
      pattern: '/:node',
      handler: (req) => {
        const node = req.params.node ?? '';
        const post = posts.get(node);
        const { token, headers } = authenticate(req, post?.pageId);
        if (!post || post.deletedAt !== undefined) {
          throw graphError(400, 100, `Unsupported delete request. Object with ID '${node}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, { type: 'GraphMethodException', subcode: 33, headers });
        }
        if (token.meta.type !== 'PAGE' || token.accountId !== post.pageId) throw graphError(403, 200, '(#200) Permissions error', { headers });
        post.deletedAt = clock.now();
        harness.ledger.markDeleted('facebook', post.id, clock.now());
        return json(200, { success: true }, headers);
      },
    },
  ];

  seedAccount({ name: 'Guddu Sandbox Page' });
  return {
    name: 'facebook',
    config,
    routes,
    normalizePath: stripGraphVersion,
    errorResponse: (status) => graphErrorForStatus(status),
    // Graph gives the wait in whole minutes, so a short injected reset still waits one minute.
    rateLimitedResponse: (_req, resetMs) => graphErrorResponse(400, 80001, 'There have been too many calls to this Page account. Wait a bit and try again.', { headers: { 'x-business-use-case-usage': JSON.stringify({ sandbox: [{ type: 'pages', call_count: 100, total_cputime: 40, total_time: 40, estimated_time_to_regain_access: resetMs === undefined ? 60 : Math.max(1, Math.ceil(resetMs / 60_000)) }] }) } }),
    seedAccount,
    addEngagement: (postId, extra) => {
      const post = posts.get(postId);
      if (!post) return false;
      post.extra = mergeExtra(post.extra, extra);
      return true;
    },
    describe: () => ({ users: [...users.values()], pages: [...pages.values()], posts: [...posts.values()], photos: [...photos.values()], videos: [...videos.values()] }),
    reset: () => {
      for (const map of [users, pages, posts, photos, videos]) map.clear();
      seedAccount({ name: 'Guddu Sandbox Page' });
    },
  };
}

export function facebookVideoStatus(video: FbVideo, polls: number) {
  if (video.failed && video.polls >= polls) return { video_status: 'error', processing_phase: { status: 'error', errors: [{ code: 1363008, message: 'The video file is not valid' }] } };
  if (video.polls < polls || !video.finished) return { video_status: 'processing', processing_progress: Math.min(99, video.polls * 40), uploading_phase: { status: video.finished ? 'complete' : 'in_progress' } };
  return { video_status: 'ready', processing_progress: 100, publishing_phase: { status: 'complete' } };
}
