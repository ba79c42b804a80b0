import { SeedError } from '../harness/admin.js';
import { grownComments, grownEngagement, mergeExtra, type EngagementExtra } from '../harness/engagement.js';
import { header, isRecord, json, param, Reply, type SimRequest } from '../harness/http.js';
import { numericId, randomToken, snowflake } from '../harness/ids.js';
import { type NetworkContext, type NetworkDefinition } from '../harness/network.js';
import { redirectWith } from '../harness/oauth.js';
import { type TokenRecord } from '../harness/tokens.js';
import { linkedinMediaRoutes, type LiAsset } from './linkedin-media.js';

/**
 * LinkedIn versioned REST (contract §4): `LinkedIn-Version` and `X-Restli-Protocol-Version`
 * required on `/rest`, 60-day tokens, refresh tokens only for partner apps (365 days, not
 * extended), posts created with 201 + `x-restli-id`, 422 DUPLICATE_POST naming the existing URN,
 * daily per-app and per-member quotas resetting at 00:00 UTC with no rate headers, 65600-65602
 * token errors, image and video uploads, finder by author, social actions and delete (204 twice).
 */
interface Member {
  id: string;
  name: string;
  roles: Map<string, string>;
}

interface Org {
  id: string;
  name: string;
  followers: number;
  createdAt: number;
}

interface LiPost {
  urn: string;
  author: string;
  memberId: string;
  commentary: string;
  visibility: string;
  lifecycleState: string;
  content?: Record<string, unknown>;
  createdAt: number;
  deletedAt?: number;
  extra: EngagementExtra;
}

const DAY = 86_400_000;
const ACCESS_TTL = 5_183_999_000;
const REFRESH_TTL = 365 * DAY;
const SCOPES = ['openid', 'profile', 'email', 'w_member_social', 'w_organization_social', 'r_organization_social', 'rw_organization_admin'];
const POSTING_ROLES = ['ADMINISTRATOR', 'DIRECT_SPONSORED_CONTENT_POSTER', 'CONTENT_ADMINISTRATOR'];

export function linkedin(ctx: NetworkContext): NetworkDefinition {
  const { harness, tokens, oauth, limiter } = ctx;
  const clock = harness.clock;
  const config = {
    /** How many months back a `LinkedIn-Version` stays active (older ones answer 426). */
    activeVersionMonths: 12,
    memberPostsPerDay: 150,
    appCallsPerDay: 100_000,
    maxCommentaryLength: 3000,
    /** Identical commentary by the same author this recent is a 422 DUPLICATE_POST (deleted posts included). */
    duplicateWindowMs: 2 * DAY,
    processingPolls: 1,
    videoPartBytes: 4 * 1024 * 1024,
  };
  const members = new Map<string, Member>();
  const orgs = new Map<string, Org>();
  const posts = new Map<string, LiPost>();
  const assets = new Map<string, LiAsset>();

  const liError = (status: number, body: Record<string, unknown>) => new Reply(json(status, { status, ...body }));

  function seedAccount(input: Record<string, unknown>) {
    const orgName = typeof input.organizationName === 'string' ? input.organizationName : `Sandbox Organisation ${orgs.size + 1}`;
    const role = typeof input.role === 'string' ? input.role : 'ADMINISTRATOR';
    if (!/^[A-Z_]+$/.test(role)) throw new SeedError('role must be an organisation role such as ADMINISTRATOR');
    const member: Member = { id: randomToken('', 7).replace(/[-_]/g, 'Q'), name: typeof input.memberName === 'string' ? input.memberName : 'Sandbox Officer', roles: new Map() };
    const org: Org = { id: numericId(clock.now(), 8), name: orgName, followers: typeof input.followers === 'number' ? input.followers : 40_000, createdAt: clock.now() };
    member.roles.set(org.id, role);
    members.set(member.id, member);
    orgs.set(org.id, org);
    const scopes = Array.isArray(input.scopes) ? input.scopes.map(String) : SCOPES;
    const access = tokens.issue({ accountId: member.id, scopes, ttlMs: ACCESS_TTL, prefix: 'AQV' });
    return { accountId: `urn:li:organization:${org.id}`, organizationUrn: `urn:li:organization:${org.id}`, memberUrn: `urn:li:person:${member.id}`, accessToken: access.token };
  }

  function tokenAuth(req: SimRequest): { token: TokenRecord; member: Member } {
    const raw = /^Bearer\s+(.+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
    const check = tokens.check(raw);
    if (check.status === 'revoked') throw liError(401, { serviceErrorCode: 65601, code: 'REVOKED_ACCESS_TOKEN', message: 'The token used in the request has been revoked by the user' });
    if (check.status === 'expired') throw liError(401, { serviceErrorCode: 65602, code: 'EXPIRED_ACCESS_TOKEN', message: 'The token used in the request has expired' });
    const member = check.status === 'valid' ? members.get(check.record.accountId) : undefined;
    if (check.status !== 'valid' || !member) throw liError(401, { serviceErrorCode: 65600, code: 'INVALID_ACCESS_TOKEN', message: 'Invalid access token' });
    return { token: check.record, member };
  }

  /** Versioned REST: headers first, then token, then the daily app quota (no rate headers, ever). */
  function restAuth(req: SimRequest): { token: TokenRecord; member: Member; memberId: string } {
    const version = header(req, 'linkedin-version');
    if (!version) throw liError(400, { code: 'VERSION_MISSING', message: 'A version must be present. Please specify a version by adding the LinkedIn-Version header.' });
    if (!activeVersion(version)) throw liError(426, { code: 'NONEXISTENT_VERSION', message: `Requested version ${version} is not active` });
    if (header(req, 'x-restli-protocol-version') !== '2.0.0') throw liError(400, { code: 'ILLEGAL_ARGUMENT', message: 'X-Restli-Protocol-Version 2.0.0 is required' });
    const auth = tokenAuth(req);
    const app = limiter.take('app-day', { kind: 'daily', limit: config.appCallsPerDay, utcOffsetMinutes: 0 });
    if (!app.allowed) throw liError(429, { serviceErrorCode: 101, code: 'TOO_MANY_REQUESTS', message: 'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.' });
    return { ...auth, memberId: auth.member.id };
  }

  function activeVersion(version: string): boolean {
    const match = /^(\d{4})(\d{2})(?:\.\d{2})?$/.exec(version);
    if (!match) return false;
    const now = new Date(clock.now());
    const months = (now.getUTCFullYear() - Number(match[1])) * 12 + (now.getUTCMonth() + 1 - Number(match[2]));
    return months >= 0 && months < config.activeVersionMonths;
  }

  function mayAct(memberId: string, author: string, scopes?: string[]): boolean {
    const person = /^urn:li:person:(\w+)$/.exec(author)?.[1];
    if (person !== undefined) return person === memberId && (scopes === undefined || scopes.includes('w_member_social'));
    const org = /^urn:li:organization:(\d+)$/.exec(author)?.[1];
    const role = org === undefined ? undefined : members.get(memberId)?.roles.get(org);
    return role !== undefined && POSTING_ROLES.includes(role) && (scopes === undefined || scopes.includes('w_organization_social'));
  }

  function validatePost(body: Record<string, unknown>, memberId: string): void {
    const missing = ['author', 'commentary', 'visibility', 'distribution', 'lifecycleState'].find((field) => body[field] === undefined);
    if (missing !== undefined) throw liError(422, { message: `ERROR :: /${missing} :: field is required but not found and has no default value\n` });
    if (typeof body.author !== 'string' || !/^urn:li:(person|organization):\w+$/.test(body.author)) throw liError(422, { message: `ERROR :: /author :: "${String(body.author)}" is not a valid person or organization URN\n` });
    if (typeof body.commentary !== 'string') throw liError(422, { message: 'ERROR :: /commentary :: is not a string\n' });
    if (body.commentary.length > config.maxCommentaryLength) throw liError(422, { message: `ERROR :: /commentary :: length ${body.commentary.length} exceeds maximum length of ${config.maxCommentaryLength}\n` });
    if (!['PUBLIC', 'CONNECTIONS', 'LOGGED_IN'].includes(String(body.visibility))) throw liError(422, { message: 'ERROR :: /visibility :: is not a valid enum value\n' });
    if (!['PUBLISHED', 'DRAFT'].includes(String(body.lifecycleState))) throw liError(422, { message: 'ERROR :: /lifecycleState :: is not a valid enum value\n' });
    if (!isRecord(body.distribution) || !['MAIN_FEED', 'NONE'].includes(String(body.distribution.feedDistribution))) throw liError(422, { message: 'ERROR :: /distribution/feedDistribution :: field is required but not found and has no default value\n' });
    if (body.content === undefined) return;
    if (!isRecord(body.content)) throw liError(422, { message: 'ERROR :: /content :: is not a record\n' });
    const ids: unknown[] = [];
    if (isRecord(body.content.media)) ids.push(body.content.media.id);
    if (isRecord(body.content.multiImage)) {
      const images = body.content.multiImage.images;
      if (!Array.isArray(images) || images.length < 2 || images.length > 20) throw liError(422, { message: 'ERROR :: /content/multiImage/images :: must have 2 to 20 images\n' });
      for (const image of images) ids.push(isRecord(image) ? image.id : undefined);
    }
    if (isRecord(body.content.article) && (typeof body.content.article.source !== 'string' || !/^https?:\/\//.test(body.content.article.source))) throw liError(422, { message: 'ERROR :: /content/article/source :: is not a valid URL\n' });
    for (const id of ids) {
      const asset = typeof id === 'string' ? assets.get(id) : undefined;
      if (!asset || !mayAct(memberId, asset.owner)) throw liError(422, { message: `ERROR :: /content/media/id :: ${String(id)} is not a known media URN of this owner\n` });
      if (asset.status !== 'AVAILABLE') throw liError(400, { code: 'INVALID_CONTENT', message: `Media ${asset.urn} is ${asset.status}, not AVAILABLE` });
    }
  }

  function postEntity(post: LiPost) {
    return { id: post.urn, author: post.author, commentary: post.commentary, visibility: post.visibility, lifecycleState: post.lifecycleState, distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] }, ...(post.content ? { content: post.content } : {}), createdAt: post.createdAt, publishedAt: post.createdAt, lastModifiedAt: post.createdAt, isReshareDisabledByAuthor: false };
  }

  function livePost(urn: string | undefined, memberId: string): LiPost {
    const post = urn ? posts.get(urn) : undefined;
    if (!post || post.deletedAt !== undefined) throw liError(404, { code: 'NOT_FOUND', message: 'Not Found' });
    if (!mayAct(memberId, post.author)) throw liError(403, { serviceErrorCode: 100, code: 'ACCESS_DENIED', message: 'Not enough permissions to access: partnerApiPostsExternal.GET' });
    return post;
  }

  const oauthError = (error: string, description: string) => new Reply(json(400, { error, error_description: description }));

  function tokenResponse(token: TokenRecord, refresh?: TokenRecord) {
    return json(200, {
      access_token: token.token,
      expires_in: Math.round(((token.expiresAt ?? clock.now()) - clock.now()) / 1000),
      scope: token.scopes.join(','),
      ...(refresh ? { refresh_token: refresh.token, refresh_token_expires_in: Math.round(((refresh.expiresAt ?? clock.now()) - clock.now()) / 1000) } : {}),
    });
  }

  const routes: NetworkDefinition['routes'] = [
    {
      method: 'GET',
      pattern: '/oauth/v2/authorization',
      handler: (req) => {
        const q = req.query;
        const client = oauth.client(q.get('client_id') ?? undefined);
        const redirectUri = q.get('redirect_uri') ?? '';
        if (!client || !oauth.redirectAllowed(client, redirectUri)) throw oauthError('invalid_request', 'The redirect_uri does not match the registered value');
        if (q.get('response_type') !== 'code') throw oauthError('invalid_request', 'response_type must be code');
        const state = q.get('state') ?? undefined;
        if (oauth.consent === 'deny') return { status: 302, headers: { location: redirectWith(redirectUri, { error: 'user_cancelled_authorize', error_description: 'The user cancelled the authorization', state }) } };
        const member = members.get(q.get('sim_account') ?? '') ?? members.values().next().value;
        if (!member) throw oauthError('invalid_request', 'No member to sign in as; seed one with POST /__sim/accounts');
        const scopes = (q.get('scope') ?? '').split(/[\s,]+/).filter(Boolean);
        const code = oauth.issueCode({ clientId: client.clientId, redirectUri, scopes, accountId: member.id, ttlMs: 30 * 60_000 });
        return { status: 302, headers: { location: redirectWith(redirectUri, { code: code.code, state }) } };
      },
    },
    {
      method: 'POST',
      pattern: '/oauth/v2/accessToken',
      handler: (req) => {
        const client = oauth.client(param(req, 'client_id'));
        if (!client || client.clientSecret !== param(req, 'client_secret')) return json(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
        const grant = param(req, 'grant_type');
        if (grant === 'refresh_token') {
          if (!client.flags.refreshTokens) throw oauthError('unauthorized_client', 'The client is not authorized to use refresh tokens');
          const check = tokens.check(param(req, 'refresh_token'));
          if (check.status !== 'valid' || check.record.kind !== 'refresh') throw oauthError('invalid_request', 'The provided refresh token is invalid or expired');
          // The refresh token keeps its original expiry: refreshing never extends it.
          const access = tokens.issue({ accountId: check.record.accountId, clientId: client.clientId, scopes: check.record.scopes, ttlMs: ACCESS_TTL, prefix: 'AQV', family: check.record.family });
          return tokenResponse(access, check.record);
        }
        if (grant !== 'authorization_code') throw oauthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
        const redeemed = oauth.redeem(param(req, 'code'), client.clientId, param(req, 'redirect_uri'), undefined);
        if (!redeemed.ok) throw oauthError('invalid_request', 'Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired.');
        const access = tokens.issue({ accountId: redeemed.code.accountId, clientId: client.clientId, scopes: redeemed.code.scopes, ttlMs: ACCESS_TTL, prefix: 'AQV' });
        const refresh = client.flags.refreshTokens ? tokens.issue({ kind: 'refresh', accountId: redeemed.code.accountId, clientId: client.clientId, scopes: redeemed.code.scopes, ttlMs: REFRESH_TTL, prefix: 'AQX', family: access.family }) : undefined;
        return tokenResponse(access, refresh);
      },
    },
    {
      method: 'POST',
      pattern: '/oauth/v2/introspectToken',
      handler: (req) => {
        const check = tokens.check(param(req, 'token'));
        if (check.status === 'unknown') return json(200, { active: false });
        const record = check.record;
        return json(200, { active: check.status === 'valid', status: check.status === 'valid' ? 'active' : check.status, client_id: record.clientId, authorized_at: Math.floor(record.issuedAt / 1000), created_at: Math.floor(record.issuedAt / 1000), expires_at: record.expiresAt === null ? null : Math.floor(record.expiresAt / 1000), scope: record.scopes.join(','), auth_type: '3L' });
      },
    },
    {
      method: 'GET',
      pattern: '/v2/userinfo',
      handler: (req) => {
        const { token, member } = tokenAuth(req);
        if (!token.scopes.includes('openid')) throw liError(403, { serviceErrorCode: 100, code: 'ACCESS_DENIED', message: 'Not enough permissions to access: userinfo.GET.NO_VERSION' });
        return json(200, { sub: member.id, name: member.name, given_name: member.name.split(' ')[0], family_name: member.name.split(' ').slice(1).join(' '), email: `${member.id.toLowerCase()}@example.gov.test`, email_verified: true, locale: { country: 'IN', language: 'en' } });
      },
    },
    {
      method: 'GET',
      pattern: '/rest/organizationAcls',
      handler: (req) => {
        const { member } = restAuth(req);
        const elements = [...member.roles].map(([org, role]) => ({ organization: `urn:li:organization:${org}`, role, roleAssignee: `urn:li:person:${member.id}`, state: 'APPROVED' }));
        return json(200, { elements, paging: { start: 0, count: elements.length, total: elements.length } });
      },
    },
    {
      method: 'POST',
      pattern: '/rest/posts',
      handler: (req) => {
        const { token, member } = restAuth(req);
        if (!isRecord(req.json)) throw liError(400, { code: 'ILLEGAL_ARGUMENT', message: 'Request body could not be converted to data map' });
        const body = req.json;
        validatePost(body, member.id);
        const author = body.author as string;
        if (!mayAct(member.id, author, token.scopes)) throw liError(403, { serviceErrorCode: 100, code: 'ACCESS_DENIED', message: 'Not enough permissions to access: partnerApiPostsExternal.CREATE.20250601' });
        const quota = limiter.take(`member-posts:${member.id}`, { kind: 'daily', limit: config.memberPostsPerDay, utcOffsetMinutes: 0 });
        if (!quota.allowed) throw liError(429, { serviceErrorCode: 101, code: 'TOO_MANY_REQUESTS', message: 'Resource level throttle MEMBER DAY limit for calls to this resource is reached.' });
        const commentary = body.commentary as string;
        const existing = [...posts.values()].find((p) => p.author === author && p.commentary === commentary && commentary !== '' && p.createdAt > clock.now() - config.duplicateWindowMs);
        if (existing) {
          throw new Reply(json(422, { errorDetailType: 'com.linkedin.common.error.BadRequest', message: `com.linkedin.content.common.exception.BadRequestResponseException: Content is a duplicate of ${existing.urn}`, errorDetails: { inputErrors: [{ description: 'Duplicate post is detected', input: {}, code: 'DUPLICATE_POST' }] }, status: 422 }));
        }
        const post: LiPost = { urn: `urn:li:share:${snowflake(clock.now())}`, author, memberId: member.id, commentary, visibility: String(body.visibility), lifecycleState: String(body.lifecycleState), content: isRecord(body.content) ? body.content : undefined, createdAt: clock.now(), extra: {} };
        posts.set(post.urn, post);
        const media = mediaUrnsOf(post.content).map((urn) => assets.get(urn)?.sha256 ?? '');
        harness.ledger.record({ network: 'linkedin', account: author, id: post.urn, text: commentary, createdAt: post.createdAt, ...(media.length > 0 ? { media } : {}) });
        return { status: 201, headers: { 'x-restli-id': post.urn, 'x-linkedin-id': post.urn } };
      },
    },
    {
      method: 'GET',
      pattern: '/rest/posts',
      handler: (req) => {
        const { member } = restAuth(req);
        if (req.query.get('q') !== 'author') throw liError(400, { code: 'ILLEGAL_ARGUMENT', message: 'Unsupported finder: use q=author' });
        const author = req.query.get('author') ?? '';
        if (!mayAct(member.id, author)) throw liError(403, { serviceErrorCode: 100, code: 'ACCESS_DENIED', message: 'Not enough permissions to access: partnerApiPostsExternal.FINDER-author' });
        const count = Math.min(100, Math.max(1, Number(req.query.get('count') ?? 10) || 10));
        const start = Math.max(0, Number(req.query.get('start') ?? 0) || 0);
        const own = [...posts.values()].filter((p) => p.author === author && p.deletedAt === undefined).reverse().sort((a, b) => b.createdAt - a.createdAt);
        return json(200, { elements: own.slice(start, start + count).map(postEntity), paging: { start, count, total: own.length, links: [] } });
      },
    },
    { method: 'GET', pattern: '/rest/posts/:urn', handler: (req) => json(200, postEntity(livePost(req.params.urn, restAuth(req).member.id))) },
    {
      method: 'DELETE',
      pattern: '/rest/posts/:urn',
      handler: (req) => {
        const { member } = restAuth(req);
        const post = posts.get(req.params.urn ?? '');
        if (!post) throw liError(404, { code: 'NOT_FOUND', message: 'Not Found' });
        if (!mayAct(member.id, post.author)) throw liError(403, { serviceErrorCode: 100, code: 'ACCESS_DENIED', message: 'Not enough permissions to access: partnerApiPostsExternal.DELETE' });
        // Deleting an already deleted post answers 204 again.
        if (post.deletedAt === undefined) {
          post.deletedAt = clock.now();
          harness.ledger.markDeleted('linkedin', post.urn, clock.now());
        }
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      pattern: '/rest/socialActions/:urn',
      handler: (req) => {
        const post = livePost(req.params.urn, restAuth(req).member.id);
        const counts = grownEngagement(post.createdAt, clock.now(), post.extra);
        return json(200, { target: post.urn, likesSummary: { totalLikes: counts.likes, likedByCurrentUser: false }, commentsSummary: { aggregatedTotalComments: counts.comments, totalFirstLevelComments: counts.comments } });
      },
    },
    {
      method: 'GET',
      pattern: '/rest/socialActions/:urn/comments',
      handler: (req) => {
        const { token, member } = restAuth(req);
        const post = livePost(req.params.urn, member.id);
        const needed = post.author.startsWith('urn:li:organization:') ? 'r_organization_social' : 'r_member_social';
        if (!token.scopes.includes(needed)) throw liError(403, { serviceErrorCode: 100, code: 'ACCESS_DENIED', message: `Not enough permissions to access: comments.GET (needs ${needed})` });
        const count = Math.min(100, Math.max(1, Number(req.query.get('count') ?? 10) || 10));
        const start = Math.max(0, Number(req.query.get('start') ?? 0) || 0);
        const all = grownComments(post.urn, post.createdAt, clock.now(), post.extra);
        const activity = post.urn.split(':').pop() ?? '0';
        const elements = all.slice(start, start + count).map((c) => ({
          id: c.id,
          commentUrn: `urn:li:comment:(urn:li:activity:${activity},${c.id})`,
          actor: `urn:li:person:${c.author}`,
          created: { actor: `urn:li:person:${c.author}`, time: c.createdAt },
          lastModified: { actor: `urn:li:person:${c.author}`, time: c.createdAt },
          message: { text: c.text, attributes: [] },
          object: post.urn,
        }));
        return json(200, { elements, paging: { start, count, total: all.length } });
      },
    },
    {
      method: 'GET',
      pattern: '/rest/organizationalEntityShareStatistics',
      handler: (req) => {
        const { member } = restAuth(req);
        const org = req.query.get('organizationalEntity') ?? '';
        if (!mayAct(member.id, org)) throw liError(403, { serviceErrorCode: 100, code: 'ACCESS_DENIED', message: 'Not enough permissions to access: organizationalEntityShareStatistics' });
        const listed = [...(req.query.get('shares') ?? '').matchAll(/urn:li:(?:share|ugcPost):\d+/g)].map((m) => m[0]);
        // A deleted post has no statistics, as every other read path agrees (contract, cross-cutting).
        const own = [...posts.values()].filter((p) => p.author === org && p.deletedAt === undefined && (listed.length === 0 || listed.includes(p.urn)));
        const elements = own.map((p) => {
          const c = grownEngagement(p.createdAt, clock.now(), p.extra);
          return { organizationalEntity: org, share: p.urn, totalShareStatistics: { impressionCount: c.views, uniqueImpressionsCount: Math.floor(c.views * 0.8), clickCount: Math.floor(c.views / 25), likeCount: c.likes, commentCount: c.comments, shareCount: c.shares, engagement: c.views === 0 ? 0 : (c.likes + c.comments + c.shares) / c.views } };
        });
        return json(200, { elements, paging: { start: 0, count: elements.length, total: elements.length } });
      },
    },
    {
      method: 'GET',
      pattern: '/rest/networkSizes/:urn',
      handler: (req) => {
        restAuth(req);
        const org = orgs.get(/^urn:li:organization:(\d+)$/.exec(req.params.urn ?? '')?.[1] ?? '');
        if (!org) throw liError(404, { code: 'NOT_FOUND', message: 'Not Found' });
        return json(200, { firstDegreeSize: org.followers + Math.floor((clock.now() - org.createdAt) / 3_600_000) });
      },
    },
    ...linkedinMediaRoutes({ clock, baseUrl: () => ctx.baseUrl(), assets, config, restAuth, tokenAuth: (req) => ({ memberId: tokenAuth(req).member.id }), mayAct: (memberId, owner) => mayAct(memberId, owner) }),
  ];

  seedAccount({ organizationName: 'Guddu Sandbox Organisation' });
  return {
    name: 'linkedin',
    config,
    routes,
    errorResponse: (status) => json(status, { status, ...(LI_ERRORS[status] ?? { message: status >= 500 ? 'Internal Server Error' : 'Request failed' }) }),
    rateLimitedResponse: () => json(429, { status: 429, serviceErrorCode: 101, code: 'TOO_MANY_REQUESTS', message: 'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.' }),
    seedAccount,
    addEngagement: (postId, extra) => {
      const post = posts.get(postId);
      if (!post) return false;
      post.extra = mergeExtra(post.extra, extra);
      return true;
    },
    describe: () => ({ members: [...members.values()].map((m) => ({ ...m, roles: Object.fromEntries(m.roles) })), organizations: [...orgs.values()], posts: [...posts.values()], assets: [...assets.values()] }),
    reset: () => {
      for (const map of [members, orgs, posts, assets]) map.clear();
      seedAccount({ organizationName: 'Guddu Sandbox Organisation' });
    },
  };
}

const LI_ERRORS: Record<number, Record<string, unknown>> = {
  400: { code: 'ILLEGAL_ARGUMENT', message: 'Request body could not be converted to data map' },
  401: { serviceErrorCode: 65600, code: 'INVALID_ACCESS_TOKEN', message: 'Invalid access token' },
  403: { serviceErrorCode: 100, code: 'ACCESS_DENIED', message: 'Not enough permissions to access this resource' },
  404: { code: 'NOT_FOUND', message: 'Not Found' },
  405: { code: 'METHOD_NOT_ALLOWED', message: 'Method not allowed' },
  429: { serviceErrorCode: 101, code: 'TOO_MANY_REQUESTS', message: 'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.' },
  500: { code: 'INTERNAL_SERVER_ERROR', message: 'Internal Server Error' },
  503: { code: 'SERVICE_UNAVAILABLE', message: 'Service Unavailable' },
};

/** The image and video URNs a post's content carries (`media`, or `multiImage.images`), in order. */
function mediaUrnsOf(content: Record<string, unknown> | undefined): string[] {
  if (!content) return [];
  if (isRecord(content.media) && typeof content.media.id === 'string') return [content.media.id];
  const images = isRecord(content.multiImage) && Array.isArray(content.multiImage.images) ? content.multiImage.images : [];
  return images.flatMap((image) => (isRecord(image) && typeof image.id === 'string' ? [image.id] : []));
}
