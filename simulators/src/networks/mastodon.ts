import { SeedError } from '../harness/admin.js';
import { grownComments, grownEngagement, mergeExtra, type EngagementExtra } from '../harness/engagement.js';
import { header, json, param, params, Reply, type SimRequest, type SimResponse } from '../harness/http.js';
import { numericId, randomToken, sha256Hex } from '../harness/ids.js';
import { type NetworkContext, type NetworkDefinition } from '../harness/network.js';
import { redirectWith } from '../harness/oauth.js';
import { type WindowRule, type WindowState } from '../harness/rate-limiter.js';
import { escapeHtml, graphemeLength, iso, URL_PATTERN } from '../harness/text.js';
import { type TokenRecord } from '../harness/tokens.js';

/**
 * Mastodon (contract §8): per-instance app registration, OAuth with S256-only PKCE and tokens
 * that never expire, statuses with `Idempotency-Key` replay for an hour, v2 media with async
 * processing (202, then 206 until ready), `X-RateLimit-*` headers with ISO 8601 resets.
 */
interface Account {
  id: string;
  username: string;
  displayName: string;
  followers: number;
  createdAt: number;
}

interface Status {
  id: string;
  accountId: string;
  text: string;
  visibility: string;
  language: string | null;
  spoilerText: string;
  sensitive: boolean;
  inReplyToId: string | null;
  mediaIds: string[];
  createdAt: number;
  deletedAt?: number;
  extra: EngagementExtra;
}

interface Media {
  id: string;
  accountId: string;
  type: 'image' | 'video' | 'gifv' | 'audio' | 'unknown';
  description: string | null;
  bytes: number;
  /** SHA-256 of the uploaded file: the ledger records it with the status that carries it. */
  sha256: string;
  createdAt: number;
  /** Polls left before the media is ready; processing happens as the client polls. */
  pollsLeft: number;
  failed: boolean;
}

const VISIBILITIES = ['public', 'unlisted', 'private', 'direct'];
const FIVE_MIN = 5 * 60_000;
const THIRTY_MIN = 30 * 60_000;

export function mastodon(ctx: NetworkContext): NetworkDefinition {
  const { harness, tokens, oauth, limiter } = ctx;
  const clock = harness.clock;
  const config = {
    maxCharacters: 500,
    maxMediaAttachments: 4,
    charactersReservedPerUrl: 23,
    requestsPer5Min: 300,
    /** The request window (5 minutes on Mastodon); a test may shorten it so a burst of 429s clears in seconds. */
    requestsWindowMs: FIVE_MIN,
    mediaPer30Min: 30,
    deletesPer30Min: 30,
    idempotencyTtlMs: 3_600_000,
    imageSizeLimit: 16_777_216,
    videoSizeLimit: 103_809_024,
    /** How many `GET /api/v1/media/:id` polls an async (video) upload answers 206 before it is ready. */
    videoProcessingPolls: 2,
    /** Uploads whose file name contains this fail processing (422 on poll). */
    failMediaNamed: 'fail',
  };
  const accounts = new Map<string, Account>();
  const statuses = new Map<string, Status>();
  const media = new Map<string, Media>();
  const idempotency = new Map<string, { at: number; response: SimResponse }>();
  const scheduled = new Map<string, { id: string; accountId: string; scheduledAt: string; params: Record<string, unknown> }>();

  const error = (status: number, message: string, headers: Record<string, string> = {}): Reply => new Reply(json(status, { error: message }, headers));

  function seedAccount(input: Record<string, unknown>) {
    const username = typeof input.username === 'string' ? input.username : `sandbox${accounts.size + 1}`;
    if (!/^[a-zA-Z0-9_]{1,30}$/.test(username)) throw new SeedError('username must be 1-30 letters, digits or underscores');
    const account: Account = { id: numericId(clock.now(), 18), username, displayName: typeof input.displayName === 'string' ? input.displayName : username, followers: typeof input.followers === 'number' ? input.followers : 1200, createdAt: clock.now() };
    accounts.set(account.id, account);
    const token = tokens.issue({ accountId: account.id, scopes: ['read', 'write', 'follow', 'push'], ttlMs: null });
    return { accountId: account.id, username, accessToken: token.token };
  }

  function defaultAccount(): Account {
    const first = accounts.values().next();
    if (!first.done) return first.value;
    seedAccount({ username: 'guddu_sandbox' });
    return accounts.values().next().value as Account;
  }

  function window(key: string, rule: WindowRule): WindowState {
    return limiter.take(key, rule);
  }

  function rateHeaders(state: WindowState): Record<string, string> {
    return { 'x-ratelimit-limit': String(state.limit), 'x-ratelimit-remaining': String(state.remaining), 'x-ratelimit-reset': iso(state.resetAt) };
  }

  /** Checks the token and the per-account request budget; returns the token and the rate headers. */
  function authenticate(req: SimRequest, scope?: string): { token: TokenRecord; account: Account; headers: Record<string, string> } {
    const raw = /^Bearer\s+(.+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
    const check = tokens.check(raw);
    if (check.status === 'unknown') throw error(401, 'The access token is invalid');
    if (check.status === 'revoked') throw error(401, 'The access token was revoked');
    if (check.status === 'expired') throw error(401, 'The access token expired');
    const account = accounts.get(check.record.accountId);
    if (!account) throw error(401, 'This method requires an authenticated user');
    const state = window(`account:${account.id}`, { kind: 'fixed', limit: config.requestsPer5Min, windowMs: config.requestsWindowMs });
    const headers = rateHeaders(state);
    if (!state.allowed) throw error(429, 'Too many requests', headers);
    if (scope && !hasScope(check.record.scopes, scope)) throw error(403, 'This action is outside the authorized scopes', headers);
    return { token: check.record, account, headers };
  }

  function accountEntity(account: Account) {
    const base = ctx.baseUrl();
    const posts = [...statuses.values()].filter((s) => s.accountId === account.id && s.deletedAt === undefined).length;
    return {
      id: account.id,
      username: account.username,
      acct: account.username,
      display_name: account.displayName,
      locked: false,
      bot: false,
      created_at: iso(account.createdAt),
      note: '',
      url: `${base}/@${account.username}`,
      avatar: `${base}/avatars/original/missing.png`,
      followers_count: account.followers + Math.floor((clock.now() - account.createdAt) / 3_600_000),
      following_count: 12,
      statuses_count: posts,
    };
  }

  function mediaEntity(item: Media) {
    const ready = item.pollsLeft <= 0 && !item.failed;
    const url = `${ctx.baseUrl()}/system/media_attachments/files/${item.id}/original`;
    return { id: item.id, type: item.type, url: ready ? url : null, preview_url: `${url}?preview=1`, remote_url: null, text_url: null, meta: {}, description: item.description, blurhash: 'UFBWY:8_0Jxv%MofWBf7~qtRfQWB' };
  }

  function statusEntity(status: Status) {
    const account = accounts.get(status.accountId) ?? defaultAccount();
    const base = ctx.baseUrl();
    const counts = grownEngagement(status.createdAt, clock.now(), status.extra);
    return {
      id: status.id,
      created_at: iso(status.createdAt),
      in_reply_to_id: status.inReplyToId,
      in_reply_to_account_id: null,
      sensitive: status.sensitive,
      spoiler_text: status.spoilerText,
      visibility: status.visibility,
      language: status.language,
      uri: `${base}/users/${account.username}/statuses/${status.id}`,
      url: `${base}/@${account.username}/${status.id}`,
      replies_count: counts.comments,
      reblogs_count: counts.shares,
      favourites_count: counts.likes,
      quotes_count: 0,
      edited_at: null,
      content: `<p>${escapeHtml(status.text).replace(/\n/g, '<br />')}</p>`,
      reblog: null,
      application: { name: 'Guddu', website: null },
      account: accountEntity(account),
      media_attachments: status.mediaIds.map((id) => media.get(id)).filter((m) => m !== undefined).map(mediaEntity),
      mentions: [],
      tags: [],
      emojis: [],
      card: null,
      poll: null,
    };
  }

  function countCharacters(text: string): number {
    return graphemeLength(text.replace(URL_PATTERN, 'x'.repeat(config.charactersReservedPerUrl)));
  }

  function findOwnStatus(id: string | undefined, account: Account): Status {
    const status = id ? statuses.get(id) : undefined;
    if (!status || status.deletedAt !== undefined || status.accountId !== account.id) throw error(404, 'Record not found');
    return status;
  }

  function createStatus(req: SimRequest, account: Account, headers: Record<string, string>): SimResponse {
    const text = param(req, 'status') ?? '';
    const mediaIds = params(req, 'media_ids');
    const visibility = param(req, 'visibility') ?? 'public';
    const language = param(req, 'language') ?? null;
    const scheduledAt = param(req, 'scheduled_at');
    // 1. Validate the way Rails does: every failure is a 422 "Validation failed: ...".
    if (text.trim() === '' && mediaIds.length === 0) throw error(422, "Validation failed: Text can't be blank", headers);
    if (countCharacters(text) > config.maxCharacters) throw error(422, `Validation failed: Text character limit of ${config.maxCharacters} exceeded`, headers);
    if (!VISIBILITIES.includes(visibility)) throw error(422, 'Validation failed: Visibility is not included in the list', headers);
    if (language !== null && !/^[a-z]{2,3}$/.test(language)) throw error(422, 'Validation failed: Language is not a valid ISO 639 code', headers);
    if (mediaIds.length > config.maxMediaAttachments) throw error(422, `Validation failed: Media attachments must be at most ${config.maxMediaAttachments}`, headers);
    for (const id of mediaIds) {
      const item = media.get(id);
      if (!item || item.accountId !== account.id) throw error(422, 'Validation failed: Media attachments are invalid', headers);
      if (item.failed || item.pollsLeft > 0) throw error(422, 'Validation failed: Media attachments are still being processed', headers);
    }
    const inReplyToId = param(req, 'in_reply_to_id') ?? null;
    if (inReplyToId !== null && !statuses.has(inReplyToId)) throw error(404, 'Record not found', headers);
    // 2. A scheduled status is not a status yet.
    if (scheduledAt !== undefined) {
      const at = Date.parse(scheduledAt);
      if (Number.isNaN(at)) throw error(422, 'Validation failed: Scheduled at is not a valid date', headers);
      if (at < clock.now() + FIVE_MIN) throw error(422, 'Validation failed: Scheduled at The scheduled date must be in the future', headers);
      const entry = { id: numericId(clock.now(), 6), accountId: account.id, scheduledAt: iso(at), params: { text, visibility, language, media_ids: mediaIds, idempotency: header(req, 'idempotency-key') ?? null } };
      scheduled.set(entry.id, entry);
      return json(200, { id: entry.id, scheduled_at: entry.scheduledAt, params: entry.params, media_attachments: mediaIds.map((id) => mediaEntity(media.get(id) as Media)) }, headers);
    }
    // 3. Create, and record the post where duplicates are counted.
    const status: Status = {
      id: numericId(clock.now(), 18),
      accountId: account.id,
      text,
      visibility,
      language,
      spoilerText: param(req, 'spoiler_text') ?? '',
      sensitive: param(req, 'sensitive') === 'true',
      inReplyToId,
      mediaIds,
      createdAt: clock.now(),
      extra: {},
    };
    statuses.set(status.id, status);
    harness.ledger.record({ network: 'mastodon', account: account.id, id: status.id, text, createdAt: status.createdAt, ...(mediaIds.length > 0 ? { media: mediaIds.map((id) => media.get(id)?.sha256 ?? '') } : {}) });
    return json(200, statusEntity(status), headers);
  }

  defaultAccount();
  return {
    name: 'mastodon',
    config,
    routes: [
      {
        method: 'POST',
        pattern: '/api/v1/apps',
        handler: (req) => {
          const name = param(req, 'client_name');
          const redirects = (params(req, 'redirect_uris').join('\n') || '').split(/\s+/).filter(Boolean);
          if (!name) throw error(422, "Validation failed: Application name can't be blank");
          if (redirects.length === 0 || !redirects.every((uri) => uri === 'urn:ietf:wg:oauth:2.0:oob' || /^https?:\/\/\S+$/.test(uri))) {
            throw error(422, 'Validation failed: Redirect URI must be an absolute URI.');
          }
          const scopes = (param(req, 'scopes') ?? 'read').split(/\s+/).filter(Boolean);
          const client = oauth.register({ clientId: randomToken('', 32), clientSecret: randomToken('', 32), redirectUris: redirects, scopes });
          return json(200, {
            id: numericId(clock.now(), 6),
            name,
            website: param(req, 'website') ?? null,
            scopes,
            redirect_uri: redirects.join('\n'),
            redirect_uris: redirects,
            client_id: client.clientId,
            client_secret: client.clientSecret,
            client_secret_expires_at: 0,
          });
        },
      },
      {
        method: 'GET',
        pattern: '/.well-known/oauth-authorization-server',
        handler: () => {
          const base = ctx.baseUrl();
          return json(200, {
            issuer: `${base}/`,
            authorization_endpoint: `${base}/oauth/authorize`,
            token_endpoint: `${base}/oauth/token`,
            revocation_endpoint: `${base}/oauth/revoke`,
            app_registration_endpoint: `${base}/api/v1/apps`,
            scopes_supported: ['read', 'write', 'write:statuses', 'write:media', 'read:statuses', 'read:accounts', 'read:notifications', 'follow', 'push', 'profile'],
            response_types_supported: ['code'],
            grant_types_supported: ['authorization_code', 'client_credentials'],
            code_challenge_methods_supported: ['S256'],
            token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          });
        },
      },
      {
        method: 'GET',
        pattern: '/oauth/authorize',
        handler: (req) => {
          const q = req.query;
          const client = oauth.client(q.get('client_id') ?? undefined);
          const redirectUri = q.get('redirect_uri') ?? '';
          if (!client) throw new Reply(json(401, { error: 'invalid_client', error_description: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.' }));
          if (!oauth.redirectAllowed(client, redirectUri) && !(Array.isArray(client.redirectUris) && client.redirectUris.includes(redirectUri))) {
            throw new Reply(json(400, { error: 'invalid_redirect_uri', error_description: 'The redirect uri included is not valid.' }));
          }
          if (q.get('response_type') !== 'code') throw new Reply(json(400, { error: 'unsupported_response_type', error_description: 'The authorization server does not support this response type.' }));
          const scopes = (q.get('scope') ?? 'read').split(/\s+/).filter(Boolean);
          if (client.scopes && !scopes.every((scope) => client.scopes?.some((granted) => scope === granted || scope.startsWith(`${granted}:`)))) {
            throw new Reply(json(400, { error: 'invalid_scope', error_description: 'The requested scope is invalid, unknown, or malformed.' }));
          }
          const method = q.get('code_challenge_method');
          const challenge = q.get('code_challenge') ?? undefined;
          if (challenge !== undefined && method !== 'S256') throw new Reply(json(400, { error: 'invalid_request', error_description: 'Code challenge method must be S256.' }));
          const state = q.get('state') ?? undefined;
          if (oauth.consent === 'deny') return { status: 302, headers: { location: redirectWith(redirectUri, { error: 'access_denied', error_description: 'The resource owner or authorization server denied the request.', state }) } };
          const account = accounts.get(q.get('sim_account') ?? '') ?? defaultAccount();
          const code = oauth.issueCode({ clientId: client.clientId, redirectUri, scopes, accountId: account.id, codeChallenge: challenge, codeChallengeMethod: 'S256', ttlMs: 10 * 60_000 });
          if (redirectUri === 'urn:ietf:wg:oauth:2.0:oob') return json(200, { code: code.code });
          return { status: 302, headers: { location: redirectWith(redirectUri, { code: code.code, state }) } };
        },
      },
      {
        method: 'POST',
        pattern: '/oauth/token',
        handler: (req) => {
          const client = oauth.client(param(req, 'client_id'));
          if (!client || client.clientSecret !== param(req, 'client_secret')) {
            throw new Reply(json(401, { error: 'invalid_client', error_description: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.' }));
          }
          const grant = param(req, 'grant_type');
          if (grant === 'client_credentials') {
            const token = tokens.issue({ accountId: `app:${client.clientId}`, clientId: client.clientId, scopes: (param(req, 'scope') ?? 'read').split(/\s+/), ttlMs: null });
            return json(200, { access_token: token.token, token_type: 'Bearer', scope: token.scopes.join(' '), created_at: Math.floor(token.issuedAt / 1000) });
          }
          if (grant !== 'authorization_code') throw new Reply(json(400, { error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported by the authorization server.' }));
          const redeemed = oauth.redeem(param(req, 'code'), client.clientId, param(req, 'redirect_uri'), param(req, 'code_verifier'));
          if (!redeemed.ok) {
            throw new Reply(json(400, { error: 'invalid_grant', error_description: 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.' }));
          }
          const token = tokens.issue({ accountId: redeemed.code.accountId, clientId: client.clientId, scopes: redeemed.code.scopes, ttlMs: null });
          return json(200, { access_token: token.token, token_type: 'Bearer', scope: token.scopes.join(' '), created_at: Math.floor(token.issuedAt / 1000) });
        },
      },
      {
        method: 'POST',
        pattern: '/oauth/revoke',
        handler: (req) => {
          const client = oauth.client(param(req, 'client_id'));
          if (!client || client.clientSecret !== param(req, 'client_secret')) throw new Reply(json(403, { error: 'unauthorized_client', error_description: 'You are not authorized to revoke this token' }));
          const token = param(req, 'token');
          if (token) tokens.revoke(token);
          return json(200, {});
        },
      },
      {
        method: 'GET',
        pattern: '/api/v1/accounts/verify_credentials',
        handler: (req) => {
          const { account, headers } = authenticate(req, 'read:accounts');
          return json(200, { ...accountEntity(account), source: { privacy: 'public', sensitive: false, language: '', note: '' } }, headers);
        },
      },
      {
        method: 'GET',
        pattern: '/api/v1/accounts/:id/statuses',
        handler: (req) => {
          const { headers } = authenticate(req, 'read:statuses');
          const limit = Math.min(40, Math.max(1, Number(req.query.get('limit') ?? 20) || 20));
          const own = [...statuses.values()].filter((s) => s.accountId === req.params.id && s.deletedAt === undefined).reverse().sort((a, b) => b.createdAt - a.createdAt);
          return json(200, own.slice(0, limit).map(statusEntity), headers);
        },
      },
      {
        method: 'GET',
        pattern: '/api/v2/instance',
        handler: () =>
          json(200, {
            domain: new URL(ctx.baseUrl()).host,
            title: 'Guddu sandbox Mastodon',
            version: '4.4.0',
            source_url: 'https://github.com/mastodon/mastodon',
            description: 'A simulated instance: nothing posted here leaves this machine.',
            configuration: {
              statuses: { max_characters: config.maxCharacters, max_media_attachments: config.maxMediaAttachments, characters_reserved_per_url: config.charactersReservedPerUrl },
              media_attachments: {
                supported_mime_types: ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'video/mp4', 'video/quicktime', 'video/webm'],
                image_size_limit: config.imageSizeLimit,
                image_matrix_limit: 33_177_600,
                video_size_limit: config.videoSizeLimit,
                video_frame_rate_limit: 120,
                video_matrix_limit: 8_294_400,
              },
            },
          }),
      },
      {
        method: 'POST',
        pattern: '/api/v1/statuses',
        handler: (req) => {
          const { account, headers } = authenticate(req, 'write:statuses');
          const key = header(req, 'idempotency-key');
          const slot = key === undefined ? undefined : `${account.id}:${key}`;
          const replay = slot === undefined ? undefined : idempotency.get(slot);
          if (replay && replay.at + config.idempotencyTtlMs > clock.now()) return { ...replay.response, headers: { ...replay.response.headers, ...headers } };
          const response = createStatus(req, account, headers);
          if (slot !== undefined) idempotency.set(slot, { at: clock.now(), response });
          return response;
        },
      },
      {
        method: 'GET',
        pattern: '/api/v1/statuses/:id',
        handler: (req) => {
          const status = statuses.get(req.params.id ?? '');
          if (!status || status.deletedAt !== undefined) throw error(404, 'Record not found');
          return json(200, statusEntity(status));
        },
      },
      {
        method: 'GET',
        pattern: '/api/v1/statuses/:id/context',
        handler: (req) => {
          const status = statuses.get(req.params.id ?? '');
          if (!status || status.deletedAt !== undefined) throw error(404, 'Record not found');
          const descendants = grownComments(status.id, status.createdAt, clock.now(), status.extra).map((comment) => ({
            id: comment.id,
            created_at: iso(comment.createdAt),
            in_reply_to_id: comment.parentId ?? status.id,
            in_reply_to_account_id: status.accountId,
            visibility: 'public',
            content: replyContent(accounts.get(status.accountId)?.username ?? '', comment.text),
            account: { id: `9${comment.author.length}${comment.author.charCodeAt(comment.author.length - 1)}`, username: comment.author, acct: `${comment.author}@example.social` },
          }));
          return json(200, { ancestors: [], descendants });
        },
      },
      {
        method: 'DELETE',
        pattern: '/api/v1/statuses/:id',
        handler: (req) => {
          const { account } = authenticate(req, 'write:statuses');
          const state = window(`delete:${account.id}`, { kind: 'fixed', limit: config.deletesPer30Min, windowMs: THIRTY_MIN });
          const headers = rateHeaders(state);
          if (!state.allowed) throw error(429, 'Too many requests', headers);
          const status = findOwnStatus(req.params.id, account);
          status.deletedAt = clock.now();
          harness.ledger.markDeleted('mastodon', status.id, clock.now());
          return json(200, { ...statusEntity(status), text: status.text }, headers);
        },
      },
      {
        method: 'POST',
        pattern: '/api/v2/media',
        handler: (req) => {
          const { account } = authenticate(req, 'write:media');
          const state = window(`media:${account.id}`, { kind: 'fixed', limit: config.mediaPer30Min, windowMs: THIRTY_MIN });
          const headers = rateHeaders(state);
          if (!state.allowed) throw error(429, 'Too many requests', headers);
          const file = req.files.get('file');
          if (!file || file.data.length === 0) throw error(422, "Validation failed: File can't be blank", headers);
          const type = file.contentType.startsWith('image/') ? (file.contentType === 'image/gif' ? 'gifv' : 'image') : file.contentType.startsWith('video/') ? 'video' : file.contentType.startsWith('audio/') ? 'audio' : 'unknown';
          if (type === 'unknown') throw error(422, 'Validation failed: File content type is invalid, File is invalid', headers);
          const limit = type === 'image' ? config.imageSizeLimit : config.videoSizeLimit;
          if (file.data.length > limit) throw error(422, `Validation failed: File file size must be less than ${Math.floor(limit / 1_048_576)} MB`, headers);
          const item: Media = {
            id: numericId(clock.now(), 18),
            accountId: account.id,
            type,
            description: req.form.get('description'),
            bytes: file.data.length,
            sha256: sha256Hex(file.data),
            createdAt: clock.now(),
            pollsLeft: type === 'image' ? 0 : config.videoProcessingPolls,
            failed: config.failMediaNamed !== '' && file.filename.includes(config.failMediaNamed),
          };
          media.set(item.id, item);
          return json(item.pollsLeft > 0 || item.failed ? 202 : 200, mediaEntity(item), headers);
        },
      },
      {
        method: 'GET',
        pattern: '/api/v1/media/:id',
        handler: (req) => {
          const { account, headers } = authenticate(req, 'write:media');
          const item = media.get(req.params.id ?? '');
          if (!item || item.accountId !== account.id) throw error(404, 'Record not found', headers);
          if (item.pollsLeft > 0) {
            item.pollsLeft -= 1;
            return json(206, mediaEntity(item), headers);
          }
          if (item.failed) throw error(422, 'Validation failed: File content type is invalid, File is invalid', headers);
          return json(200, mediaEntity(item), headers);
        },
      },
      {
        method: 'GET',
        pattern: '/api/v1/notifications',
        handler: (req) => {
          const { account, headers } = authenticate(req, 'read:notifications');
          const limit = Math.min(80, Math.max(1, Number(req.query.get('limit') ?? 40) || 40));
          const types = params(req, 'types');
          if (types.length > 0 && !types.includes('mention')) return json(200, [], headers);
          const mentions = [...statuses.values()]
            .filter((s) => s.accountId === account.id && s.deletedAt === undefined)
            .flatMap((s) => grownComments(s.id, s.createdAt, clock.now(), s.extra).map((c) => ({ c, s })))
            .sort((a, b) => b.c.createdAt - a.c.createdAt)
            .slice(0, limit)
            .map(({ c, s }) => ({ id: c.id, type: 'mention', created_at: iso(c.createdAt), account: { id: c.author, username: c.author, acct: `${c.author}@example.social` }, status: { id: c.id, in_reply_to_id: s.id, content: replyContent(accounts.get(s.accountId)?.username ?? '', c.text) } }));
          return json(200, mentions, headers);
        },
      },
    ],
    errorResponse: (status) => json(status, { error: ERRORS[status] ?? (status >= 500 ? "We're sorry, but something went wrong." : 'Error') }),
    rateLimitedResponse: (_req, resetMs = config.requestsWindowMs) => json(429, { error: 'Too many requests' }, { 'x-ratelimit-limit': String(config.requestsPer5Min), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': iso(clock.now() + resetMs) }),
    seedAccount,
    addEngagement: (postId, extra) => {
      const status = statuses.get(postId);
      if (!status) return false;
      status.extra = mergeExtra(status.extra, extra);
      return true;
    },
    describe: () => ({ accounts: [...accounts.values()], statuses: [...statuses.values()], media: [...media.values()], scheduled: [...scheduled.values()] }),
    reset: () => {
      accounts.clear();
      statuses.clear();
      media.clear();
      idempotency.clear();
      scheduled.clear();
    },
  };
}

const ERRORS: Record<number, string> = {
  400: 'Error while parsing request body',
  401: 'The access token is invalid',
  403: 'This action is not allowed',
  404: 'Record not found',
  405: 'Method not allowed',
  422: 'Validation failed',
  429: 'Too many requests',
};

/**
 * A reply as Mastodon renders it: the account replied to is mentioned first, as an h-card
 * link, and the same HTML comes back from a status's context and from the mention notification.
 */
function replyContent(username: string, text: string): string {
  const mention = username === '' ? '' : `<span class="h-card" translate="no"><a href="https://mastodon.example/@${escapeHtml(username)}" class="u-url mention">@<span>${escapeHtml(username)}</span></a></span> `;
  return `<p>${mention}${escapeHtml(text)}</p>`;
}

function hasScope(granted: string[], needed: string): boolean {
  const [family] = needed.split(':');
  return granted.includes(needed) || (family !== undefined && granted.includes(family));
}
