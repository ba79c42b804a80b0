import twitterText from 'twitter-text';
import { SeedError } from '../harness/admin.js';
import { grownComments, grownEngagement, mergeExtra, type EngagementExtra } from '../harness/engagement.js';
import { header, isRecord, json, param, Reply, type SimRequest } from '../harness/http.js';
import { snowflake } from '../harness/ids.js';
import { type NetworkContext, type NetworkDefinition } from '../harness/network.js';
import { basicCredentials, redirectWith } from '../harness/oauth.js';
import { type WindowRule, type WindowState } from '../harness/rate-limiter.js';
import { iso } from '../harness/text.js';
import { type TokenRecord } from '../harness/tokens.js';
import { mediaState, xMediaRoutes, type XMedia } from './x-media.js';
import { forbidden, invalidRequest, tooManyRequests, unauthorized, xErrorResponse, xProblem } from './x-problems.js';

/**
 * X API v2 (contract §3): OAuth 2.0 with PKCE (S256 and plain, 30 s codes, 2 h tokens, refresh
 * only with offline.access, single-use rotating refresh tokens whose reuse kills the family),
 * strict `POST /2/tweets` validation with twitter-text weighted length, 403 duplicate content,
 * `x-rate-limit-*` and 24-hour headers, media upload, delete, lookups, recent search.
 */
interface XUser {
  id: string;
  username: string;
  name: string;
  followers: number;
  createdAt: number;
}

interface Tweet {
  id: string;
  authorId: string;
  text: string;
  createdAt: number;
  mediaIds: string[];
  deletedAt?: number;
  extra: EngagementExtra;
}

const TWEET_KEYS = new Set(['text', 'media', 'reply', 'quote_tweet_id', 'poll', 'reply_settings', 'for_super_followers_only', 'share_with_followers', 'nullcast', 'geo', 'community_id', 'card_uri', 'direct_message_deep_link', 'edit_options', 'made_with_ai', 'paid_partnership']);
const REPLY_SETTINGS = ['following', 'mentionedUsers', 'subscribers', 'verified'];
const FIFTEEN_MIN = 15 * 60_000;
const DAY = 86_400_000;

export function x(ctx: NetworkContext): NetworkDefinition {
  const { harness, tokens, oauth, limiter } = ctx;
  const clock = harness.clock;
  const config = {
    problemTypePrefix: 'https://api.x.com',
    accessTtlMs: 7200_000,
    refreshTtlMs: 180 * DAY,
    codeTtlMs: 30_000,
    postsPerUserPer15Min: 100,
    /** The posting window (15 minutes on X); a test may shorten it so a burst of 429s clears in seconds. */
    postsWindowMs: FIFTEEN_MIN,
    postsPerUserPer24h: 2400,
    postsPerAppPer24h: 10_000,
    deletesPerUserPer15Min: 50,
    readsPerUserPer15Min: 900,
    mediaPerUserPer15Min: 1875,
    /** A post with the same text as one of the account's posts this recent is refused (403). */
    duplicateWindowMs: DAY,
    /** Whether deleted posts still count for the duplicate check (reports vary). */
    duplicateIncludesDeleted: true,
    /** Deleting an unknown or already deleted post: `deleted-false` (200) or `not-found` (404). */
    deleteUnknown: 'deleted-false',
    imageMaxBytes: 5 * 1024 * 1024,
    gifMaxBytes: 15 * 1024 * 1024,
    videoMaxBytes: 512 * 1024 * 1024,
    videoOutcome: 'succeeded',
  };
  const users = new Map<string, XUser>();
  const tweets = new Map<string, Tweet>();
  const media = new Map<string, XMedia>();

  function seedAccount(input: Record<string, unknown>) {
    const username = typeof input.username === 'string' ? input.username : `sandbox${users.size + 1}`;
    if (!/^\w{1,15}$/.test(username)) throw new SeedError('username must be 1-15 letters, digits or underscores');
    const user: XUser = { id: snowflake(clock.now()), username, name: typeof input.name === 'string' ? input.name : username, followers: typeof input.followers === 'number' ? input.followers : 5000, createdAt: clock.now() };
    users.set(user.id, user);
    const scopes = ['tweet.read', 'tweet.write', 'users.read', 'offline.access', 'media.write'];
    const access = tokens.issue({ accountId: user.id, scopes, ttlMs: config.accessTtlMs });
    const refresh = tokens.issue({ kind: 'refresh', accountId: user.id, scopes, ttlMs: config.refreshTtlMs, family: access.family });
    const app = tokens.issue({ accountId: 'app', scopes: ['app'], ttlMs: null, meta: { app: 'true' }, prefix: 'AAAAAAAAAAAAAAAAAAAAA' });
    return { accountId: user.id, username, accessToken: access.token, refreshToken: refresh.token, appBearerToken: app.token };
  }

  function defaultUser(): XUser {
    const first = users.values().next();
    if (!first.done) return first.value;
    seedAccount({ username: 'guddu_sandbox', name: 'Guddu Sandbox' });
    return users.values().next().value as XUser;
  }

  const limitHeaders = (state: WindowState, prefix = 'x-rate-limit'): Record<string, string> => ({
    [`${prefix}-limit`]: String(state.limit),
    [`${prefix}-remaining`]: String(state.remaining),
    [`${prefix}-reset`]: String(Math.ceil(state.resetAt / 1000)),
  });

  /** Spends from every window, or none; a 429 carries the headers of all windows so the exhausted one can be found. */
  function spend(windows: { key: string; rule: WindowRule; prefix: string }[]): Record<string, string> {
    const states = windows.map((w) => ({ ...w, state: limiter.peek(w.key, w.rule) }));
    const headers = Object.assign({}, ...states.map((s) => limitHeaders(s.state, s.prefix))) as Record<string, string>;
    if (states.some((s) => s.state.remaining < 1)) throw tooManyRequests(config, headers);
    return Object.assign({}, ...windows.map((w) => limitHeaders(limiter.take(w.key, w.rule), w.prefix))) as Record<string, string>;
  }

  function authenticate(req: SimRequest, scopes: string[], options: { allowApp?: boolean } = {}): { token: TokenRecord; user?: XUser } {
    const raw = /^Bearer\s+(.+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
    const check = tokens.check(raw);
    if (check.status !== 'valid' || check.record.kind !== 'access') throw unauthorized(config);
    if (check.record.meta.app === 'true') {
      if (options.allowApp) return { token: check.record };
      throw new Reply(xProblem(config, 403, 'unsupported-authentication', 'Unsupported Authentication', 'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].'));
    }
    const missing = scopes.filter((scope) => !check.record.scopes.includes(scope));
    if (missing.length > 0) throw forbidden(config, `Missing required scopes: ${missing.join(', ')}`);
    const user = users.get(check.record.accountId);
    if (!user) throw unauthorized(config);
    return { token: check.record, user };
  }

  function tweetEntity(tweet: Tweet, fields: string[], viewer?: string) {
    const counts = grownEngagement(tweet.createdAt, clock.now(), tweet.extra);
    const ownRecent = viewer === tweet.authorId && clock.now() - tweet.createdAt <= 30 * DAY;
    const { text, urls } = shortenLinks(tweet.text, tweet.id);
    return {
      id: tweet.id,
      text,
      edit_history_tweet_ids: [tweet.id],
      ...(fields.includes('entities') && urls.length > 0 ? { entities: { urls } } : {}),
      ...(fields.includes('created_at') ? { created_at: iso(tweet.createdAt) } : {}),
      ...(fields.includes('author_id') ? { author_id: tweet.authorId } : {}),
      ...(fields.includes('conversation_id') ? { conversation_id: tweet.id } : {}),
      ...(fields.includes('attachments') && tweet.mediaIds.length > 0 ? { attachments: { media_keys: tweet.mediaIds.map((id) => media.get(id)?.mediaKey ?? id) } } : {}),
      ...(fields.includes('public_metrics') ? { public_metrics: { retweet_count: counts.shares, reply_count: counts.comments, like_count: counts.likes, quote_count: 0, bookmark_count: 0, impression_count: counts.views } } : {}),
      ...(fields.includes('non_public_metrics') && ownRecent ? { non_public_metrics: { impression_count: counts.views, url_link_clicks: Math.floor(counts.views / 20), user_profile_clicks: Math.floor(counts.views / 50), engagements: counts.likes + counts.shares + counts.comments } } : {}),
      ...(fields.includes('organic_metrics') && ownRecent ? { organic_metrics: { impression_count: counts.views, like_count: counts.likes, reply_count: counts.comments, retweet_count: counts.shares } } : {}),
    };
  }

  function validateTweet(body: Record<string, unknown>, user: XUser): { text: string; mediaIds: string[] } {
    const unknown = Object.keys(body).filter((key) => !TWEET_KEYS.has(key));
    if (unknown.length > 0) throw invalidRequest(config, `[${unknown.join(', ')}] is not a valid field`, Object.fromEntries(unknown.map((k) => [k, [body[k]]])));
    if (body.text !== undefined && typeof body.text !== 'string') throw invalidRequest(config, '$.text: string expected', { text: [body.text] });
    const text = typeof body.text === 'string' ? body.text : '';
    const exclusive = ['media', 'poll', 'quote_tweet_id', 'card_uri'].filter((key) => body[key] !== undefined);
    if (exclusive.length > 1) throw invalidRequest(config, `[${exclusive.join(', ')}] are mutually exclusive`, Object.fromEntries(exclusive.map((k) => [k, [body[k]]])));
    let mediaIds: string[] = [];
    if (body.media !== undefined) {
      const ids: unknown = isRecord(body.media) ? body.media.media_ids : undefined;
      if (!Array.isArray(ids) || ids.length < 1 || ids.length > 4 || !ids.every((id) => typeof id === 'string' && /^\d{1,19}$/.test(id))) {
        throw invalidRequest(config, '$.media.media_ids: 1 to 4 numeric string ids expected', { 'media.media_ids': Array.isArray(ids) ? ids : [ids] });
      }
      mediaIds = ids as string[];
      const items = mediaIds.map((id) => media.get(id));
      if (items.some((item) => !item || item.ownerId !== user.id || !item.finalized || item.expiresAt <= clock.now() || mediaState(item) !== 'succeeded')) {
        throw invalidRequest(config, 'Your media IDs are invalid.', { 'media.media_ids': mediaIds });
      }
      if (items.some((item) => item && /video|gif/.test(item.category)) && items.length > 1) throw invalidRequest(config, 'A post may have up to 4 images or 1 GIF or 1 video.', { 'media.media_ids': mediaIds });
    }
    if (text === '' && mediaIds.length === 0) throw invalidRequest(config, 'Post text is required unless media is attached', { text: [text] });
    if (body.poll !== undefined) {
      const poll = isRecord(body.poll) ? body.poll : {};
      const options = poll.options;
      const duration = poll.duration_minutes;
      if (!Array.isArray(options) || options.length < 2 || options.length > 4 || !options.every((o) => typeof o === 'string' && o.length >= 1 && o.length <= 25)) {
        throw invalidRequest(config, '$.poll.options: 2 to 4 options of 1 to 25 characters expected', { 'poll.options': Array.isArray(options) ? options : [options] });
      }
      if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 5 || duration > 10080) throw invalidRequest(config, '$.poll.duration_minutes: 5 to 10080 expected', { 'poll.duration_minutes': [duration] });
    }
    if (body.reply_settings !== undefined && !(typeof body.reply_settings === 'string' && REPLY_SETTINGS.includes(body.reply_settings))) throw invalidRequest(config, '$.reply_settings: not a valid value', { reply_settings: [body.reply_settings] });
    if (body.reply !== undefined) {
      const target = isRecord(body.reply) ? body.reply.in_reply_to_tweet_id : undefined;
      if (typeof target !== 'string' || !tweets.has(target)) throw invalidRequest(config, 'The post you are replying to does not exist', { 'reply.in_reply_to_tweet_id': [target] });
    }
    if (text !== '') {
      const parsed = twitterText.parseTweet(text);
      if (!parsed.valid) {
        throw new Reply(xProblem(config, 400, 'invalid-request', 'Invalid Request', 'One or more parameters to your request was invalid.', { errors: [{ message: 'Your Tweet text is too long. For more information on how Twitter determines text length see https://github.com/twitter/twitter-text.', parameters: { text: [text] } }] }));
      }
    }
    return { text, mediaIds };
  }

  function isDuplicate(user: XUser, text: string): boolean {
    if (text === '') return false;
    return [...tweets.values()].some(
      (t) => t.authorId === user.id && t.text === text && t.createdAt > clock.now() - config.duplicateWindowMs && (config.duplicateIncludesDeleted || t.deletedAt === undefined),
    );
  }

  function issuePair(accountId: string, clientId: string, scopes: string[], family?: string) {
    const access = tokens.issue({ accountId, clientId, scopes, ttlMs: config.accessTtlMs, family });
    const refresh = scopes.includes('offline.access') ? tokens.issue({ kind: 'refresh', accountId, clientId, scopes, ttlMs: config.refreshTtlMs, family: access.family }) : undefined;
    return { token_type: 'bearer', expires_in: Math.round(config.accessTtlMs / 1000), access_token: access.token, scope: scopes.join(' '), ...(refresh ? { refresh_token: refresh.token } : {}) };
  }

  const tokenError = (status: number, error: string, description: string) => new Reply(json(status, { error, error_description: description }));

  function authorize(req: SimRequest) {
    const q = req.query;
    const client = oauth.client(q.get('client_id') ?? undefined);
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!client || !oauth.redirectAllowed(client, redirectUri)) throw tokenError(400, 'invalid_request', 'Something went wrong: the client id or callback URL is not valid for this app.');
    const state = q.get('state') ?? '';
    if (q.get('response_type') !== 'code' || state === '' || state.length > 500) throw tokenError(400, 'invalid_request', 'response_type=code and a state of at most 500 characters are required');
    const challenge = q.get('code_challenge');
    const method = q.get('code_challenge_method') ?? 'plain';
    if (!challenge || !['S256', 'plain'].includes(method)) throw tokenError(400, 'invalid_request', 'code_challenge and code_challenge_method (S256 or plain) are required');
    if (oauth.consent === 'deny') return { status: 302, headers: { location: redirectWith(redirectUri, { error: 'access_denied', state }) } };
    const user = users.get(q.get('sim_account') ?? '') ?? defaultUser();
    const scopes = (q.get('scope') ?? '').split(/\s+/).filter(Boolean);
    const code = oauth.issueCode({ clientId: client.clientId, redirectUri, scopes, accountId: user.id, codeChallenge: challenge, codeChallengeMethod: method, ttlMs: config.codeTtlMs });
    return { status: 302, headers: { location: redirectWith(redirectUri, { state, code: code.code }) } };
  }

  /** Confidential clients authenticate with Basic; public clients send client_id in the body. */
  function tokenClient(req: SimRequest): string {
    const basic = basicCredentials(header(req, 'authorization'));
    if (basic) {
      const client = oauth.client(basic.id);
      if (!client || client.clientSecret !== basic.secret) throw tokenError(401, 'invalid_client', 'Client authentication failed');
      return client.clientId;
    }
    const client = oauth.client(param(req, 'client_id'));
    if (!client) throw tokenError(400, 'invalid_request', 'Missing required parameter [client_id].');
    if (client.flags.confidential) throw tokenError(401, 'unauthorized_client', 'Missing valid authorization header');
    return client.clientId;
  }

  const routes: NetworkDefinition['routes'] = [
    { method: 'GET', pattern: '/i/oauth2/authorize', handler: authorize },
    { method: 'GET', pattern: '/2/oauth2/authorize', handler: authorize },
    {
      method: 'POST',
      pattern: '/2/oauth2/token',
      handler: (req) => {
        const clientId = tokenClient(req);
        const grant = param(req, 'grant_type');
        if (grant === 'authorization_code') {
          const redeemed = oauth.redeem(param(req, 'code'), clientId, param(req, 'redirect_uri'), param(req, 'code_verifier'));
          if (!redeemed.ok) throw tokenError(400, 'invalid_request', 'Value passed for the token was invalid.');
          return json(200, issuePair(redeemed.code.accountId, clientId, redeemed.code.scopes));
        }
        if (grant === 'refresh_token') {
          const check = tokens.check(param(req, 'refresh_token'));
          if (check.status === 'unknown' || check.record.kind !== 'refresh') throw tokenError(400, 'invalid_request', 'Value passed for the token was invalid.');
          if (check.record.used) {
            // Reusing a rotated refresh token invalidates the whole family, as reported in the wild.
            tokens.revokeFamily(check.record.family);
            throw tokenError(400, 'invalid_request', 'Value passed for the token was invalid.');
          }
          if (check.status !== 'valid') throw tokenError(400, 'invalid_request', 'Value passed for the token was invalid.');
          check.record.used = true;
          for (const old of tokens.list()) if (old.family === check.record.family && old.kind === 'access') old.revoked = true;
          return json(200, issuePair(check.record.accountId, clientId, check.record.scopes, check.record.family));
        }
        throw tokenError(400, 'invalid_request', 'Missing required parameter [grant_type].');
      },
    },
    {
      method: 'POST',
      pattern: '/2/oauth2/revoke',
      handler: (req) => {
        tokenClient(req);
        const token = param(req, 'token');
        if (token) tokens.revoke(token);
        return json(200, { revoked: true });
      },
    },
    {
      method: 'POST',
      pattern: '/2/tweets',
      handler: (req) => {
        const { user } = authenticate(req, ['tweet.read', 'tweet.write', 'users.read']);
        if (!user) throw unauthorized(config);
        if (!isRecord(req.json)) throw invalidRequest(config, 'The request body must be a JSON object', {});
        const headers = spend([
          { key: `post15:${user.id}`, rule: { kind: 'fixed', limit: config.postsPerUserPer15Min, windowMs: config.postsWindowMs }, prefix: 'x-rate-limit' },
          { key: `post24:${user.id}`, rule: { kind: 'fixed', limit: config.postsPerUserPer24h, windowMs: DAY }, prefix: 'x-user-limit-24hour' },
          { key: 'post24:app', rule: { kind: 'fixed', limit: config.postsPerAppPer24h, windowMs: DAY }, prefix: 'x-app-limit-24hour' },
        ]);
        const { text, mediaIds } = validateTweet(req.json, user);
        if (isDuplicate(user, text)) throw new Reply(xProblem(config, 403, 'about:blank', 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.', {}, headers));
        const tweet: Tweet = { id: snowflake(clock.now()), authorId: user.id, text, createdAt: clock.now(), mediaIds, extra: {} };
        tweets.set(tweet.id, tweet);
        harness.ledger.record({ network: 'x', account: user.id, id: tweet.id, text, createdAt: tweet.createdAt, ...(mediaIds.length > 0 ? { media: mediaIds.map((id) => media.get(id)?.sha256 ?? '') } : {}) });
        return json(201, { data: { id: tweet.id, text, edit_history_tweet_ids: [tweet.id] } }, headers);
      },
    },
    {
      method: 'DELETE',
      pattern: '/2/tweets/:id',
      handler: (req) => {
        const { user } = authenticate(req, ['tweet.read', 'tweet.write', 'users.read']);
        if (!user) throw unauthorized(config);
        const headers = spend([{ key: `delete15:${user.id}`, rule: { kind: 'fixed', limit: config.deletesPerUserPer15Min, windowMs: FIFTEEN_MIN }, prefix: 'x-rate-limit' }]);
        const tweet = tweets.get(req.params.id ?? '');
        if (!tweet || tweet.deletedAt !== undefined) {
          if (config.deleteUnknown === 'not-found') throw new Reply(xProblem(config, 404, 'resource-not-found', 'Not Found Error', `Could not find tweet with id: [${req.params.id ?? ''}].`, { resource_type: 'tweet', parameter: 'id', value: req.params.id }, headers));
          return json(200, { data: { deleted: false } }, headers);
        }
        if (tweet.authorId !== user.id) throw new Reply(xProblem(config, 403, 'about:blank', 'Forbidden', 'You are not allowed to delete a Tweet that is not yours.', {}, headers));
        tweet.deletedAt = clock.now();
        harness.ledger.markDeleted('x', tweet.id, clock.now());
        return json(200, { data: { deleted: true } }, headers);
      },
    },
    {
      method: 'GET',
      pattern: '/2/tweets/search/recent',
      handler: (req) => {
        const { token } = authenticate(req, ['tweet.read', 'users.read'], { allowApp: true });
        const headers = spend([{ key: `search:${token.accountId}`, rule: { kind: 'fixed', limit: token.meta.app === 'true' ? 450 : 300, windowMs: FIFTEEN_MIN }, prefix: 'x-rate-limit' }]);
        const query = req.query.get('query') ?? '';
        if (query === '' || query.length > 512) throw invalidRequest(config, 'query must be 1 to 512 characters', { query: [query] });
        const max = Number(req.query.get('max_results') ?? 10);
        if (!Number.isInteger(max) || max < 10 || max > 100) throw invalidRequest(config, 'The `max_results` query parameter value [' + String(req.query.get('max_results')) + '] is not between 10 and 100', { max_results: [req.query.get('max_results')] });
        const conversation = /conversation_id:(\d+)/.exec(query)?.[1];
        const root = conversation ? tweets.get(conversation) : undefined;
        const weekAgo = clock.now() - 7 * DAY;
        const replies = root && root.deletedAt === undefined
          ? grownComments(root.id, root.createdAt, clock.now(), root.extra).filter((c) => c.createdAt >= weekAgo).reverse()
          : [];
        const offset = Number(req.query.get('next_token') ?? req.query.get('pagination_token') ?? 0) || 0;
        const page = replies.slice(offset, offset + max);
        const data = page.map((c) => ({ id: replyId(root?.id ?? '0', c.id), text: `@${defaultUser().username} ${c.text}`, author_id: `9${c.author.length}${c.author.charCodeAt(c.author.length - 1)}`, created_at: iso(c.createdAt), conversation_id: root?.id, in_reply_to_user_id: root?.authorId, referenced_tweets: [{ type: 'replied_to', id: c.parentId ?? root?.id }] }));
        const includes = req.query.get('expansions')?.includes('author_id') ? { includes: { users: [...new Set(page.map((c) => c.author))].map((a) => ({ id: `9${a.length}${a.charCodeAt(a.length - 1)}`, username: a, name: a })) } } : {};
        const next = offset + max < replies.length ? { next_token: String(offset + max) } : {};
        return json(200, { ...(data.length > 0 ? { data } : {}), ...includes, meta: { result_count: data.length, ...next } }, headers);
      },
    },
    {
      method: 'GET',
      pattern: '/2/tweets/:id',
      handler: (req) => {
        const { token } = authenticate(req, ['tweet.read', 'users.read'], { allowApp: true });
        const headers = spend([{ key: `lookup:${token.accountId}`, rule: { kind: 'fixed', limit: config.readsPerUserPer15Min, windowMs: FIFTEEN_MIN }, prefix: 'x-rate-limit' }]);
        const tweet = tweets.get(req.params.id ?? '');
        if (!tweet || tweet.deletedAt !== undefined) {
          return json(200, { errors: [{ value: req.params.id, detail: `Could not find tweet with id: [${req.params.id ?? ''}].`, title: 'Not Found Error', resource_type: 'tweet', parameter: 'id', resource_id: req.params.id, type: `${config.problemTypePrefix}/2/problems/resource-not-found` }] }, headers);
        }
        const fields = (req.query.get('tweet.fields') ?? '').split(',');
        return json(200, { data: tweetEntity(tweet, fields, token.accountId) }, headers);
      },
    },
    {
      method: 'GET',
      pattern: '/2/users/me',
      handler: (req) => {
        const { user } = authenticate(req, ['tweet.read', 'users.read']);
        if (!user) throw unauthorized(config);
        const headers = spend([{ key: `me:${user.id}`, rule: { kind: 'fixed', limit: 75, windowMs: FIFTEEN_MIN }, prefix: 'x-rate-limit' }]);
        const count = [...tweets.values()].filter((t) => t.authorId === user.id && t.deletedAt === undefined).length;
        const metrics = (req.query.get('user.fields') ?? '').includes('public_metrics')
          ? { public_metrics: { followers_count: user.followers + Math.floor((clock.now() - user.createdAt) / 3_600_000), following_count: 100, tweet_count: count, listed_count: 3, like_count: 0 } }
          : {};
        return json(200, { data: { id: user.id, name: user.name, username: user.username, ...metrics } }, headers);
      },
    },
    {
      method: 'GET',
      pattern: '/2/users/:id/mentions',
      handler: (req) => {
        const { token } = authenticate(req, ['tweet.read', 'users.read'], { allowApp: true });
        const headers = spend([{ key: `mentions:${token.accountId}`, rule: { kind: 'fixed', limit: token.meta.app === 'true' ? 450 : 300, windowMs: FIFTEEN_MIN }, prefix: 'x-rate-limit' }]);
        const max = Number(req.query.get('max_results') ?? 10);
        if (!Number.isInteger(max) || max < 5 || max > 100) throw invalidRequest(config, 'max_results must be between 5 and 100', { max_results: [req.query.get('max_results')] });
        const user = users.get(req.params.id ?? '');
        // Audience replies mention the account; only the 800 newest are reachable.
        const mentions = user
          ? [...tweets.values()]
              .filter((t) => t.authorId === user.id && t.deletedAt === undefined)
              .flatMap((t) => grownComments(t.id, t.createdAt, clock.now(), t.extra).map((c) => ({ c, t })))
              .sort((a, b) => b.c.createdAt - a.c.createdAt)
              .slice(0, 800)
          : [];
        const offset = Number(req.query.get('pagination_token') ?? 0) || 0;
        const page = mentions.slice(offset, offset + max);
        const data = page.map(({ c, t }) => ({ id: replyId(t.id, c.id), text: `@${user?.username ?? ''} ${c.text}`, author_id: `9${c.author.length}${c.author.charCodeAt(c.author.length - 1)}`, created_at: iso(c.createdAt), conversation_id: t.id }));
        const next = offset + max < mentions.length ? { next_token: String(offset + max) } : {};
        return json(200, { ...(data.length > 0 ? { data } : {}), meta: { result_count: data.length, ...next } }, headers);
      },
    },
    {
      method: 'GET',
      pattern: '/2/users/:id/tweets',
      handler: (req) => {
        const { token } = authenticate(req, ['tweet.read', 'users.read'], { allowApp: true });
        const headers = spend([{ key: `timeline:${token.accountId}`, rule: { kind: 'fixed', limit: config.readsPerUserPer15Min, windowMs: FIFTEEN_MIN }, prefix: 'x-rate-limit' }]);
        const max = Number(req.query.get('max_results') ?? 10);
        if (!Number.isInteger(max) || max < 5 || max > 100) throw invalidRequest(config, 'max_results must be between 5 and 100', { max_results: [req.query.get('max_results')] });
        const startRaw = req.query.get('start_time');
        const start = startRaw === null ? 0 : Date.parse(startRaw);
        if (Number.isNaN(start)) throw invalidRequest(config, 'start_time must be an RFC 3339 date-time', { start_time: [startRaw] });
        const fields = (req.query.get('tweet.fields') ?? '').split(',');
        const own = [...tweets.values()].filter((t) => t.authorId === req.params.id && t.deletedAt === undefined && t.createdAt >= start).reverse().sort((a, b) => b.createdAt - a.createdAt).slice(0, max);
        const meta = { result_count: own.length, ...(own.length > 0 ? { newest_id: own[0]?.id, oldest_id: own.at(-1)?.id } : {}) };
        return json(200, { ...(own.length > 0 ? { data: own.map((t) => tweetEntity(t, fields, token.accountId)) } : {}), meta }, headers);
      },
    },
    ...xMediaRoutes({
      config,
      clock,
      media,
      authorize: (req, endpoint) => {
        const { user } = authenticate(req, ['media.write']);
        if (!user) throw unauthorized(config);
        const headers = spend([{ key: `${endpoint}:${user.id}`, rule: { kind: 'fixed', limit: config.mediaPerUserPer15Min, windowMs: FIFTEEN_MIN }, prefix: 'x-rate-limit' }]);
        return { userId: user.id, headers };
      },
    }),
  ];

  defaultUser();
  return {
    name: 'x',
    config,
    routes,
    errorResponse: (status) => xErrorResponse(config, status),
    rateLimitedResponse: (_req, resetMs = config.postsWindowMs) => {
      const reset = String(Math.ceil((clock.now() + resetMs) / 1000));
      return xProblem(config, 429, 'about:blank', 'Too Many Requests', 'Too Many Requests', {}, { 'x-rate-limit-limit': String(config.postsPerUserPer15Min), 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': reset });
    },
    seedAccount,
    addEngagement: (postId, extra) => {
      const tweet = tweets.get(postId);
      if (!tweet) return false;
      tweet.extra = mergeExtra(tweet.extra, extra);
      return true;
    },
    describe: () => ({ users: [...users.values()], tweets: [...tweets.values()], media: [...media.values()].map((m) => ({ ...m, segments: Object.fromEntries(m.segments) })) }),
    reset: () => {
      users.clear();
      tweets.clear();
      media.clear();
    },
  };
}

/**
 * X rewrites every link in a post's text to a t.co address; the original travels only in
 * `entities.urls[].expanded_url`, so a client matching on the text it sent must expand them.
 */
function shortenLinks(text: string, id: string): { text: string; urls: { start: number; end: number; url: string; expanded_url: string; display_url: string }[] } {
  const urls: { start: number; end: number; url: string; expanded_url: string; display_url: string }[] = [];
  let out = '';
  let last = 0;
  for (const m of text.matchAll(/https?:\/\/[^\s]+/g)) {
    const url = `https://t.co/${id.slice(-6)}${urls.length}`;
    out += text.slice(last, m.index);
    urls.push({ start: [...out].length, end: [...out].length + url.length, url, expanded_url: m[0], display_url: m[0].replace(/^https?:\/\//, '').slice(0, 26) });
    out += url;
    last = m.index + m[0].length;
  }
  return { text: out + text.slice(last), urls };
}

/**
 * An audience reply's post id, the same in search and in mentions: grown replies (4-digit
 * sequence ids) hang off their root's id; seeded ones keep their own snowflake, whose last
 * digits alone could collide with a grown reply's.
 */
function replyId(rootId: string, commentId: string): string {
  return commentId.length > 14 ? commentId : `${rootId}${commentId.slice(-4)}`;
}
