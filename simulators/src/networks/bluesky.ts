import { SeedError } from '../harness/admin.js';
import { grownComments, grownEngagement, mergeExtra, type EngagementExtra } from '../harness/engagement.js';
import { header, isRecord, json, Reply, type SimRequest } from '../harness/http.js';
import { cid, randomToken, sha256Hex, stableTid, tid, TID_PATTERN } from '../harness/ids.js';
import { type NetworkContext, type NetworkDefinition } from '../harness/network.js';
import { type WindowState } from '../harness/rate-limiter.js';
import { iso } from '../harness/text.js';
import { type TokenRecord } from '../harness/tokens.js';
import { validatePostRecord } from './bluesky-lexicon.js';

/**
 * Bluesky / AT Protocol PDS (contract §7): app-password sessions (access 120 min, refresh 90 days,
 * rotating), expired access tokens as 400 ExpiredToken, createRecord with a client-chosen TID rkey
 * (the idempotency key: a reused rkey fails), lexicon validation of app.bsky.feed.post with UTF-8
 * facets, blobs garbage-collected when unreferenced, the video service job machine, and the
 * points-based write limiter with IETF `RateLimit-*` headers.
 */
export interface BskyAccount {
  did: string;
  handle: string;
  appPasswords: Set<string>;
  emailConfirmed: boolean;
  emailAuthFactor: boolean;
  takendown: boolean;
  followers: number;
  createdAt: number;
}

interface StoredRecord {
  uri: string;
  cid: string;
  did: string;
  collection: string;
  rkey: string;
  value: Record<string, unknown>;
  createdAt: number;
  deletedAt?: number;
  extra: EngagementExtra;
}

export interface Blob {
  cid: string;
  did: string;
  mimeType: string;
  size: number;
  uploadedAt: number;
  referenced: boolean;
  /** SHA-256 of the bytes uploaded: the ledger records it with the post that embeds the blob. */
  sha256?: string;
}

interface VideoJob {
  jobId: string;
  did: string;
  name: string;
  size: number;
  sha256: string;
  pollsDone: number;
  blob?: Blob;
}

const JOB_STATES = ['JOB_STATE_CREATED', 'JOB_STATE_ENCODING', 'JOB_STATE_SCANNING', 'JOB_STATE_UPLOADED', 'JOB_STATE_COMPLETED'];
const WRITE_COST = { create: 3, update: 2, delete: 1 } as const;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function bluesky(ctx: NetworkContext): NetworkDefinition {
  const { harness, tokens, limiter } = ctx;
  const clock = harness.clock;
  const config = {
    accessTtlMs: 120 * 60_000,
    refreshTtlMs: 90 * DAY,
    writePointsPerHour: 5000,
    /** The hourly write-points window; a test may shorten it so a burst of 429s clears in seconds. */
    writeWindowMs: HOUR,
    writePointsPerDay: 35_000,
    sessionsPer5Min: 30,
    sessionsPerDay: 300,
    /** An uploaded blob nobody references is collected after this long. */
    blobGcMs: 10 * 60_000,
    imageMaxBytes: 2_000_000,
    thumbMaxBytes: 1_000_000,
    videoMaxBytes: 300_000_000,
    dailyVideos: 25,
    /** How long a deleted post stays visible through the AppView reads. */
    appViewLagMs: 0,
    /** Video uploads whose name contains this end in JOB_STATE_FAILED. */
    failVideoNamed: 'fail',
  };
  const accounts = new Map<string, BskyAccount>();
  const records = new Map<string, StoredRecord>();
  const blobs = new Map<string, Blob>();
  const jobs = new Map<string, VideoJob>();
  const serviceTokens = new Map<string, { did: string; aud: string; lxm: string; exp: number }>();
  const videosToday = new Map<string, number>();

  const xrpcError = (status: number, error: string, message: string, headers: Record<string, string> = {}): Reply => new Reply(json(status, { error, message }, headers));

  function seedAccount(input: Record<string, unknown>) {
    const name = typeof input.handle === 'string' ? input.handle : `sandbox${accounts.size + 1}.bsky.social`;
    if (!/^[a-z0-9][a-z0-9.-]{0,251}\.[a-z]{2,}$/i.test(name)) throw new SeedError('handle must look like name.bsky.social');
    const password = typeof input.appPassword === 'string' ? input.appPassword : randomAppPassword();
    const did = `did:plc:${cid(`${name}${clock.now()}${accounts.size}`).slice(7, 31)}`;
    const account: BskyAccount = {
      did,
      handle: name.toLowerCase(),
      appPasswords: new Set([password]),
      emailConfirmed: input.emailConfirmed !== false,
      emailAuthFactor: input.emailAuthFactor === true,
      takendown: false,
      followers: typeof input.followers === 'number' ? input.followers : 800,
      createdAt: clock.now(),
    };
    accounts.set(did, account);
    const session = issueSession(account);
    return { accountId: did, did, handle: account.handle, appPassword: password, accessToken: session.accessJwt, refreshToken: session.refreshJwt };
  }

  function issueSession(account: BskyAccount, family?: string) {
    const access = tokens.issue({ accountId: account.did, scopes: ['com.atproto.access'], ttlMs: config.accessTtlMs, prefix: 'eyJ0eXAiOiJhdCtqd3QifQ.', family });
    const refresh = tokens.issue({ kind: 'refresh', accountId: account.did, scopes: ['com.atproto.refresh'], ttlMs: config.refreshTtlMs, prefix: 'eyJ0eXAiOiJyZWZyZXNoK2p3dCJ9.', family: access.family });
    return { accessJwt: access.token, refreshJwt: refresh.token, handle: account.handle, did: account.did, email: `${account.handle.split('.')[0] ?? 'user'}@example.test`, emailConfirmed: account.emailConfirmed, emailAuthFactor: account.emailAuthFactor, active: true };
  }

  function findAccount(identifier: string | undefined): BskyAccount | undefined {
    if (!identifier) return undefined;
    const lower = identifier.toLowerCase().replace(/^@/, '');
    return [...accounts.values()].find((a) => a.did === identifier || a.handle === lower || `${a.handle.split('.')[0] ?? ''}@example.test` === lower);
  }

  function rateHeaders(state: WindowState): Record<string, string> {
    return {
      'ratelimit-limit': String(state.limit),
      'ratelimit-remaining': String(state.remaining),
      'ratelimit-reset': String(Math.ceil(state.resetAt / 1000)),
      'ratelimit-policy': `${state.limit};w=${Math.round(state.windowMs / 1000)}`,
    };
  }

  /** Spends write points from both the hourly and the daily budget; reports the tighter one. */
  function spendWritePoints(did: string, cost: number): Record<string, string> {
    const hourly = limiter.peek(`points-hour:${did}`, { kind: 'fixed', limit: config.writePointsPerHour, windowMs: config.writeWindowMs });
    const daily = limiter.peek(`points-day:${did}`, { kind: 'fixed', limit: config.writePointsPerDay, windowMs: DAY });
    const tighter = daily.remaining < hourly.remaining ? daily : hourly;
    if (hourly.remaining < cost || daily.remaining < cost) throw xrpcError(429, 'RateLimitExceeded', 'Rate Limit Exceeded', rateHeaders({ ...tighter, remaining: 0 }));
    limiter.take(`points-hour:${did}`, { kind: 'fixed', limit: config.writePointsPerHour, windowMs: config.writeWindowMs }, cost);
    limiter.take(`points-day:${did}`, { kind: 'fixed', limit: config.writePointsPerDay, windowMs: DAY }, cost);
    return rateHeaders({ ...tighter, remaining: tighter.remaining - cost });
  }

  function authenticate(req: SimRequest, kind: 'access' | 'refresh' = 'access'): { token: TokenRecord; account: BskyAccount } {
    const raw = /^Bearer\s+(.+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
    if (!raw) throw xrpcError(401, 'AuthenticationRequired', 'Authentication Required');
    const check = tokens.check(raw);
    if (check.status === 'unknown') throw xrpcError(400, 'InvalidToken', 'Token could not be verified');
    if (check.record.kind !== kind) throw xrpcError(400, 'InvalidToken', 'Invalid token type');
    if (check.status === 'expired') throw xrpcError(400, 'ExpiredToken', 'Token has expired');
    if (check.status === 'revoked') throw xrpcError(400, 'ExpiredToken', 'Token has been revoked');
    const account = accounts.get(check.record.accountId);
    if (!account) throw xrpcError(400, 'InvalidToken', 'Token could not be verified');
    if (account.takendown) throw xrpcError(400, 'AccountTakedown', 'Account has been taken down');
    return { token: check.record, account };
  }

  function body(req: SimRequest): Record<string, unknown> {
    if (!isRecord(req.json)) throw xrpcError(400, 'InvalidRequest', 'Input must be an object');
    return req.json;
  }

  function requireString(input: Record<string, unknown>, name: string): string {
    const value = input[name];
    if (typeof value !== 'string' || value === '') throw xrpcError(400, 'InvalidRequest', `Input must have the property "${name}"`);
    return value;
  }

  function liveBlob(ref: unknown, did: string): Blob | undefined {
    if (!isRecord(ref) || !isRecord(ref.ref) || typeof ref.ref.$link !== 'string') return undefined;
    const blob = blobs.get(ref.ref.$link);
    if (!blob || blob.did !== did) return undefined;
    if (!blob.referenced && blob.uploadedAt + config.blobGcMs <= clock.now()) {
      blobs.delete(blob.cid);
      return undefined;
    }
    return blob;
  }

  function visible(record: StoredRecord): boolean {
    return record.deletedAt === undefined || record.deletedAt + config.appViewLagMs > clock.now();
  }

  function postView(record: StoredRecord) {
    const account = accounts.get(record.did);
    const counts = grownEngagement(record.createdAt, clock.now(), record.extra);
    return {
      uri: record.uri,
      cid: record.cid,
      author: { did: record.did, handle: account?.handle ?? 'handle.invalid', displayName: account?.handle.split('.')[0] ?? '' },
      record: record.value,
      replyCount: counts.comments,
      repostCount: counts.shares,
      likeCount: counts.likes,
      quoteCount: 0,
      bookmarkCount: 0,
      indexedAt: iso(record.createdAt),
      labels: [],
    };
  }

  function jobStatus(job: VideoJob) {
    const failed = config.failVideoNamed !== '' && job.name.includes(config.failVideoNamed);
    const index = Math.min(job.pollsDone, JOB_STATES.length - 1);
    if (failed && index >= 2) return { jobId: job.jobId, did: job.did, state: 'JOB_STATE_FAILED', error: 'encoding_failure', message: 'Video could not be encoded' };
    const state = JOB_STATES[index] ?? 'JOB_STATE_COMPLETED';
    if (state === 'JOB_STATE_COMPLETED' && !job.blob) {
      job.blob = { cid: cid(`${job.jobId}video`, 'blob'), did: job.did, mimeType: 'video/mp4', size: job.size, uploadedAt: clock.now(), referenced: false, sha256: job.sha256 };
      blobs.set(job.blob.cid, job.blob);
    }
    return {
      jobId: job.jobId,
      did: job.did,
      state,
      progress: Math.round((index / (JOB_STATES.length - 1)) * 100),
      ...(job.blob ? { blob: blobRef(job.blob) } : {}),
    };
  }

  const routes: NetworkDefinition['routes'] = [
    {
      method: 'POST',
      pattern: '/xrpc/com.atproto.server.createSession',
      handler: (req) => {
        const input = body(req);
        const identifier = requireString(input, 'identifier');
        const password = requireString(input, 'password');
        const five = limiter.take(`session5:${identifier.toLowerCase()}`, { kind: 'fixed', limit: config.sessionsPer5Min, windowMs: 5 * 60_000 });
        const day = limiter.take(`sessionDay:${identifier.toLowerCase()}`, { kind: 'fixed', limit: config.sessionsPerDay, windowMs: DAY });
        if (!five.allowed || !day.allowed) throw xrpcError(429, 'RateLimitExceeded', 'Rate Limit Exceeded', rateHeaders(five.allowed ? day : five));
        const account = findAccount(identifier);
        if (!account || !account.appPasswords.has(password)) throw xrpcError(401, 'AuthenticationRequired', 'Invalid identifier or password');
        if (account.takendown) throw xrpcError(401, 'AccountTakedown', 'Account has been taken down');
        if (account.emailAuthFactor && input.authFactorToken !== '000000') throw xrpcError(401, 'AuthFactorTokenRequired', 'A sign in code has been sent to your email address');
        return json(200, issueSession(account), rateHeaders(five));
      },
    },
    {
      method: 'POST',
      pattern: '/xrpc/com.atproto.server.refreshSession',
      handler: (req) => {
        const { token, account } = authenticate(req, 'refresh');
        // Rotation: the old refresh token and the access tokens issued with it stop working.
        tokens.revokeFamily(token.family);
        return json(200, issueSession(account));
      },
    },
    {
      method: 'GET',
      pattern: '/xrpc/com.atproto.server.getSession',
      handler: (req) => {
        const { account } = authenticate(req);
        return json(200, { handle: account.handle, did: account.did, email: `${account.handle.split('.')[0] ?? 'user'}@example.test`, emailConfirmed: account.emailConfirmed, active: true });
      },
    },
    {
      method: 'POST',
      pattern: '/xrpc/com.atproto.server.deleteSession',
      handler: (req) => {
        const { token } = authenticate(req, 'refresh');
        tokens.revokeFamily(token.family);
        return { status: 200 };
      },
    },
    {
      method: 'GET',
      pattern: '/xrpc/com.atproto.identity.resolveHandle',
      handler: (req) => {
        const account = findAccount(req.query.get('handle') ?? undefined);
        if (!account) throw xrpcError(400, 'HandleNotFound', 'Unable to resolve handle');
        return json(200, { did: account.did });
      },
    },
    {
      method: 'POST',
      pattern: '/xrpc/com.atproto.repo.uploadBlob',
      handler: (req) => {
        const { account } = authenticate(req);
        if (req.raw.length === 0) throw xrpcError(400, 'InvalidRequest', 'Request body is empty');
        const mimeType = (header(req, 'content-type') ?? '*/*').split(';')[0]?.trim() ?? '*/*';
        const blob: Blob = { cid: cid(req.raw, 'blob'), did: account.did, mimeType, size: req.raw.length, uploadedAt: clock.now(), referenced: false, sha256: sha256Hex(req.raw) };
        blobs.set(blob.cid, blob);
        return json(200, { blob: blobRef(blob) });
      },
    },
    {
      method: 'POST',
      pattern: '/xrpc/com.atproto.repo.createRecord',
      handler: (req) => {
        const { account } = authenticate(req);
        const input = body(req);
        const repo = requireString(input, 'repo');
        const collection = requireString(input, 'collection');
        if (repo !== account.did && repo !== account.handle) throw xrpcError(401, 'AuthenticationRequired', 'Authentication Required');
        if (!/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+\.[a-zA-Z][a-zA-Z0-9]*$/.test(collection)) throw xrpcError(400, 'InvalidRequest', 'Invalid collection NSID');
        if (!isRecord(input.record)) throw xrpcError(400, 'InvalidRequest', 'Input must have the property "record"');
        const rkey = input.rkey === undefined ? tid(clock.now()) : input.rkey;
        if (typeof rkey !== 'string' || (collection === 'app.bsky.feed.post' && !TID_PATTERN.test(rkey))) throw xrpcError(400, 'InvalidRequest', 'Invalid rkey: must be a TID');
        const uri = `at://${account.did}/${collection}/${rkey}`;
        // The rkey makes a create idempotent: the same key never makes a second record.
        if (records.has(uri)) throw xrpcError(400, 'InvalidRequest', `Record already exists at ${uri}`);
        if (collection === 'app.bsky.feed.post' && input.validate !== false) {
          const problem = validatePostRecord(input.record, (ref) => liveBlob(ref, account.did), config);
          if (problem) throw xrpcError(400, 'InvalidRequest', `Invalid app.bsky.feed.post record: ${problem}`);
        }
        const headers = spendWritePoints(account.did, WRITE_COST.create);
        const recordCid = cid(JSON.stringify(input.record));
        const stored: StoredRecord = { uri, cid: recordCid, did: account.did, collection, rkey, value: input.record, createdAt: clock.now(), extra: {} };
        records.set(uri, stored);
        const embedded = markReferenced(input.record, account.did);
        if (collection === 'app.bsky.feed.post') {
          const media = embedded.flatMap((b) => (b.sha256 ? [b.sha256] : []));
          harness.ledger.record({ network: 'bluesky', account: account.did, id: uri, text: typeof input.record.text === 'string' ? input.record.text : '', createdAt: stored.createdAt, ...(media.length > 0 ? { media } : {}) });
        }
        return json(200, { uri, cid: recordCid, commit: { cid: cid(`${uri}commit`), rev: tid(clock.now()) }, validationStatus: input.validate === false ? 'unknown' : 'valid' }, headers);
      },
    },
    {
      method: 'GET',
      pattern: '/xrpc/com.atproto.repo.getRecord',
      handler: (req) => {
        const repo = req.query.get('repo') ?? '';
        const did = findAccount(repo)?.did ?? repo;
        const uri = `at://${did}/${req.query.get('collection') ?? ''}/${req.query.get('rkey') ?? ''}`;
        const record = records.get(uri);
        if (!record || record.deletedAt !== undefined) throw xrpcError(400, 'RecordNotFound', `Could not locate record: ${uri}`);
        return json(200, { uri, cid: record.cid, value: record.value });
      },
    },
    {
      method: 'POST',
      pattern: '/xrpc/com.atproto.repo.deleteRecord',
      handler: (req) => {
        const { account } = authenticate(req);
        const input = body(req);
        const repo = requireString(input, 'repo');
        if (repo !== account.did && repo !== account.handle) throw xrpcError(401, 'AuthenticationRequired', 'Authentication Required');
        const uri = `at://${account.did}/${requireString(input, 'collection')}/${requireString(input, 'rkey')}`;
        const record = records.get(uri);
        if (typeof input.swapRecord === 'string' && input.swapRecord !== record?.cid) throw xrpcError(400, 'InvalidSwap', 'Record was at ' + (record?.cid ?? 'null'));
        const headers = spendWritePoints(account.did, WRITE_COST.delete);
        if (!record || record.deletedAt !== undefined) return json(200, {}, headers);
        record.deletedAt = clock.now();
        harness.ledger.markDeleted('bluesky', uri, clock.now());
        return json(200, { commit: { cid: cid(`${uri}delete`), rev: tid(clock.now()) } }, headers);
      },
    },
    {
      method: 'GET',
      pattern: '/xrpc/app.bsky.feed.getPosts',
      handler: (req) => {
        const uris = req.query.getAll('uris');
        if (uris.length > 25) throw xrpcError(400, 'InvalidRequest', 'uris must not have more than 25 elements');
        const posts = uris.map((uri) => records.get(uri)).filter((r): r is StoredRecord => r !== undefined && visible(r)).map(postView);
        return json(200, { posts });
      },
    },
    {
      method: 'GET',
      pattern: '/xrpc/app.bsky.feed.getAuthorFeed',
      handler: (req) => {
        const account = findAccount(req.query.get('actor') ?? undefined);
        if (!account) throw xrpcError(400, 'InvalidRequest', 'Profile not found');
        const limit = Math.min(100, Math.max(1, Number(req.query.get('limit') ?? 50) || 50));
        const cursor = req.query.get('cursor');
        const own = [...records.values()]
          .filter((r) => r.did === account.did && r.collection === 'app.bsky.feed.post' && visible(r))
          .reverse().sort((a, b) => b.createdAt - a.createdAt)
          .filter((r) => cursor === null || r.createdAt < Date.parse(cursor));
        const page = own.slice(0, limit);
        const last = page.at(-1);
        return json(200, { feed: page.map((r) => ({ post: postView(r) })), ...(own.length > limit && last ? { cursor: iso(last.createdAt) } : {}) });
      },
    },
    {
      method: 'GET',
      pattern: '/xrpc/app.bsky.feed.getPostThread',
      handler: (req) => {
        const uri = req.query.get('uri') ?? '';
        const depth = Number(req.query.get('depth') ?? 6);
        if (!Number.isInteger(depth) || depth < 0 || depth > 1000) throw xrpcError(400, 'InvalidRequest', 'depth must be an integer between 0 and 1000');
        const root = records.get(uri);
        if (!root || !visible(root)) throw xrpcError(400, 'NotFound', `Post not found: ${uri}`);
        const replies = depth === 0 ? [] : grownComments(root.rkey, root.createdAt, clock.now(), root.extra).map((comment) => ({
          $type: 'app.bsky.feed.defs#threadViewPost',
          post: {
            uri: `at://did:plc:audience${comment.author}/app.bsky.feed.post/${stableTid(comment.createdAt, comment.id)}`,
            cid: cid(comment.id),
            author: { did: `did:plc:audience${comment.author}`, handle: `${comment.author}.bsky.social` },
            record: { $type: 'app.bsky.feed.post', text: comment.text, createdAt: iso(comment.createdAt), reply: { root: { uri, cid: root.cid }, parent: { uri, cid: root.cid } } },
            indexedAt: iso(comment.createdAt),
            replyCount: 0,
            repostCount: 0,
            likeCount: 0,
          },
          replies: [],
        }));
        return json(200, { thread: { $type: 'app.bsky.feed.defs#threadViewPost', post: postView(root), replies } });
      },
    },
    {
      method: 'GET',
      pattern: '/xrpc/app.bsky.notification.listNotifications',
      handler: (req) => {
        const { account } = authenticate(req);
        const limit = Number(req.query.get('limit') ?? 50);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw xrpcError(400, 'InvalidRequest', 'limit must be an integer between 1 and 100');
        const reasons = req.query.getAll('reasons');
        if (reasons.length > 0 && !reasons.includes('reply')) return json(200, { notifications: [], seenAt: iso(clock.now()) });
        const cursor = req.query.get('cursor');
        // Audience replies are the notifications: newest first, paged by their time.
        const replies = [...records.values()]
          .filter((r) => r.did === account.did && r.collection === 'app.bsky.feed.post' && r.deletedAt === undefined)
          .flatMap((r) => grownComments(r.rkey, r.createdAt, clock.now(), r.extra).map((c) => ({ c, r })))
          .filter(({ c }) => cursor === null || c.createdAt < Date.parse(cursor))
          .sort((a, b) => b.c.createdAt - a.c.createdAt);
        const page = replies.slice(0, limit);
        const last = page.at(-1);
        return json(200, {
          notifications: page.map(({ c, r }) => ({
            uri: `at://did:plc:audience${c.author}/app.bsky.feed.post/${stableTid(c.createdAt, c.id)}`,
            cid: cid(c.id),
            author: { did: `did:plc:audience${c.author}`, handle: `${c.author}.bsky.social` },
            reason: 'reply',
            reasonSubject: r.uri,
            record: { $type: 'app.bsky.feed.post', text: c.text, createdAt: iso(c.createdAt), reply: { root: { uri: r.uri, cid: r.cid }, parent: { uri: r.uri, cid: r.cid } } },
            isRead: false,
            indexedAt: iso(c.createdAt),
            labels: [],
          })),
          ...(replies.length > limit && last ? { cursor: iso(last.c.createdAt) } : {}),
          seenAt: iso(clock.now()),
        });
      },
    },
    {
      method: 'GET',
      pattern: '/xrpc/app.bsky.actor.getProfile',
      handler: (req) => {
        const account = findAccount(req.query.get('actor') ?? undefined);
        if (!account) throw xrpcError(400, 'InvalidRequest', 'Profile not found');
        const posts = [...records.values()].filter((r) => r.did === account.did && r.collection === 'app.bsky.feed.post' && r.deletedAt === undefined).length;
        return json(200, { did: account.did, handle: account.handle, displayName: account.handle.split('.')[0], followersCount: account.followers + Math.floor((clock.now() - account.createdAt) / HOUR), followsCount: 10, postsCount: posts, indexedAt: iso(account.createdAt) });
      },
    },
    {
      method: 'GET',
      pattern: '/xrpc/com.atproto.server.getServiceAuth',
      handler: (req) => {
        const { account } = authenticate(req);
        const aud = req.query.get('aud');
        if (!aud?.startsWith('did:')) throw xrpcError(400, 'InvalidRequest', 'aud must be a DID');
        const expSeconds = Number(req.query.get('exp') ?? clock.nowSeconds() + 60);
        if (!Number.isFinite(expSeconds) || expSeconds * 1000 <= clock.now() || expSeconds * 1000 > clock.now() + HOUR) throw xrpcError(400, 'BadExpiration', 'expiration must be within the next hour');
        const token = randomToken('eyJ0eXAiOiJKV1QifQ.svc.');
        serviceTokens.set(token, { did: account.did, aud, lxm: req.query.get('lxm') ?? '', exp: expSeconds * 1000 });
        return json(200, { token });
      },
    },
    {
      method: 'GET',
      pattern: '/xrpc/app.bsky.video.getUploadLimits',
      handler: (req) => {
        const { account } = authenticate(req);
        const used = videosToday.get(account.did) ?? 0;
        if (!account.emailConfirmed) return json(200, { canUpload: false, remainingDailyVideos: 0, remainingDailyBytes: 0, error: 'unconfirmed_email', message: 'Confirm your email address to upload videos' });
        return json(200, { canUpload: used < config.dailyVideos, remainingDailyVideos: config.dailyVideos - used, remainingDailyBytes: 10_000_000_000 });
      },
    },
    {
      method: 'POST',
      pattern: '/xrpc/app.bsky.video.uploadVideo',
      handler: (req) => {
        const raw = /^Bearer\s+(.+)$/i.exec(header(req, 'authorization') ?? '')?.[1] ?? '';
        const service = serviceTokens.get(raw);
        if (!service || service.exp <= clock.now() || service.lxm !== 'com.atproto.repo.uploadBlob') throw xrpcError(401, 'AuthenticationRequired', 'Service token is invalid, expired or not scoped to com.atproto.repo.uploadBlob');
        const account = accounts.get(service.did);
        if (!account?.emailConfirmed) throw xrpcError(401, 'unconfirmed_email', 'Confirm your email address to upload videos');
        if (req.raw.length === 0) throw xrpcError(400, 'InvalidRequest', 'Request body is empty');
        if (req.raw.length > config.videoMaxBytes) throw xrpcError(413, 'PayloadTooLarge', 'Video is too large');
        const used = videosToday.get(service.did) ?? 0;
        if (used >= config.dailyVideos) throw xrpcError(429, 'RateLimitExceeded', 'Daily video upload limit reached');
        videosToday.set(service.did, used + 1);
        const job: VideoJob = { jobId: randomToken('', 12), did: service.did, name: req.query.get('name') ?? 'video.mp4', size: req.raw.length, sha256: sha256Hex(req.raw), pollsDone: 0 };
        jobs.set(job.jobId, job);
        return json(200, { jobStatus: jobStatus(job) });
      },
    },
    {
      method: 'GET',
      pattern: '/xrpc/app.bsky.video.getJobStatus',
      handler: (req) => {
        const job = jobs.get(req.query.get('jobId') ?? '');
        if (!job) throw xrpcError(400, 'InvalidRequest', 'Job not found');
        job.pollsDone += 1;
        return json(200, { jobStatus: jobStatus(job) });
      },
    },
  ];

  /** Marks the blobs a record embeds as referenced (kept from collection); returns them in order. */
  function markReferenced(value: unknown, did: string, found: Blob[] = []): Blob[] {
    if (Array.isArray(value)) value.forEach((item) => markReferenced(item, did, found));
    else if (isRecord(value)) {
      if (value.$type === 'blob') {
        const blob = liveBlob(value, did);
        if (blob) {
          blob.referenced = true;
          found.push(blob);
        }
      } else Object.values(value).forEach((item) => markReferenced(item, did, found));
    }
    return found;
  }

  seedAccount({ handle: 'guddu-sandbox.bsky.social', appPassword: 'sand-box0-app0-pass' });
  return {
    name: 'bluesky',
    config,
    routes,
    errorResponse: (status) => json(status, { error: XRPC_ERRORS[status] ?? (status >= 500 ? 'InternalServerError' : 'InvalidRequest'), message: XRPC_MESSAGES[status] ?? 'Request failed' }),
    rateLimitedResponse: (_req, resetMs = config.writeWindowMs) => json(429, { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, rateHeaders({ allowed: false, limit: config.writePointsPerHour, remaining: 0, resetAt: clock.now() + resetMs, windowMs: config.writeWindowMs })),
    seedAccount,
    addEngagement: (postId, extra) => {
      const record = records.get(postId);
      if (!record) return false;
      record.extra = mergeExtra(record.extra, extra);
      return true;
    },
    describe: () => ({
      accounts: [...accounts.values()].map((a) => ({ did: a.did, handle: a.handle, emailConfirmed: a.emailConfirmed })),
      records: [...records.values()],
      blobs: [...blobs.values()],
      jobs: [...jobs.values()],
    }),
    reset: () => {
      for (const map of [accounts, records, blobs, jobs, serviceTokens, videosToday]) map.clear();
      seedAccount({ handle: 'guddu-sandbox.bsky.social', appPassword: 'sand-box0-app0-pass' });
    },
  };
}

export function blobRef(blob: Blob) {
  return { $type: 'blob', ref: { $link: blob.cid }, mimeType: blob.mimeType, size: blob.size };
}

function randomAppPassword(): string {
  return randomToken('', 12).toLowerCase().replace(/[^a-z0-9]/g, 'x').slice(0, 16).replace(/(.{4})(?=.)/g, '$1-');
}

const XRPC_ERRORS: Record<number, string> = {
  400: 'InvalidRequest',
  401: 'AuthenticationRequired',
  403: 'Forbidden',
  404: 'MethodNotImplemented',
  405: 'InvalidRequest',
  413: 'PayloadTooLarge',
  429: 'RateLimitExceeded',
  500: 'InternalServerError',
  502: 'UpstreamFailure',
  503: 'NotEnoughResources',
  504: 'UpstreamTimeout',
};

const XRPC_MESSAGES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Authentication Required',
  404: 'Method Not Implemented',
  429: 'Rate Limit Exceeded',
  500: 'Internal Server Error',
};

