import { createHash } from 'node:crypto';
import { SeedError } from '../harness/admin.js';
import { grownComments, grownEngagement, mergeExtra, type EngagementExtra } from '../harness/engagement.js';
import { header, isRecord, json, type SimRequest, type SimResponse } from '../harness/http.js';
import { randomToken, youtubeId } from '../harness/ids.js';
import { type NetworkContext, type NetworkDefinition } from '../harness/network.js';
import { type WindowRule } from '../harness/rate-limiter.js';
import { iso } from '../harness/text.js';
import { type TokenRecord } from '../harness/tokens.js';
import { googleError, youtubeErrorForStatus } from './youtube-errors.js';
import { YOUTUBE_SCOPES, youtubeOAuthRoutes } from './youtube-oauth.js';

/**
 * YouTube Data API v3 (contract §5): the resumable upload protocol (session URI in `Location`,
 * 308 + `Range` for partial uploads, `bytes *\/N` status queries that reveal a finished upload
 * after a lost answer), a quota engine with both models and a midnight-Pacific reset, processing
 * (uploaded → processed | failed | rejected, duplicate uploads rejected), statistics as strings,
 * uploads playlist, comment threads and delete.
 */
interface Channel {
  id: string;
  title: string;
  subscribers: number;
  createdAt: number;
}

interface Video {
  id: string;
  channelId: string;
  snippet: { title: string; description: string; tags: string[]; categoryId: string };
  status: { privacyStatus: string; publishAt?: string; selfDeclaredMadeForKids: boolean; embeddable: boolean; license: string };
  createdAt: number;
  listPolls: number;
  digest: string;
  duplicateOf?: string;
  deletedAt?: number;
  extra: EngagementExtra;
}

interface UploadSession {
  id: string;
  channelId: string;
  metadata: Pick<Video, 'snippet' | 'status'>;
  total: number;
  contentType: string;
  received: number;
  hash: ReturnType<typeof createHash>;
  createdAt: number;
  videoId?: string;
}

const CHUNK_MULTIPLE = 262_144;
const DAY = 86_400_000;
const PACIFIC_STANDARD_OFFSET = -8 * 60;

export function youtube(ctx: NetworkContext): NetworkDefinition {
  const { harness, tokens, limiter } = ctx;
  const clock = harness.clock;
  const config = {
    /** `buckets` (current: 100 inserts/day in their own bucket) or `units1600` (older: inserts cost 1,600 of 10,000 units). */
    quotaModel: 'buckets',
    unitsPerDay: 10_000,
    insertsPerDay: 100,
    uploadsPerChannelPerDay: 50,
    /** Unverified API projects get every upload locked to private. */
    projectVerified: true,
    /** How many `videos.list` calls a new upload stays `uploaded` before processing ends. */
    processingPolls: 1,
    /** How processing ends for a non-duplicate upload: `processed`, `failed` or `rejected`. */
    processingOutcome: 'processed',
    sessionTtlMs: 7 * DAY,
    enforceChunkMultiple: true,
  };
  const channels = new Map<string, Channel>();
  const videos = new Map<string, Video>();
  const sessions = new Map<string, UploadSession>();

  function seedAccount(input: Record<string, unknown>) {
    const title = typeof input.title === 'string' ? input.title : `Sandbox Channel ${channels.size + 1}`;
    if (title.length === 0 || title.length > 100) throw new SeedError('title must be 1-100 characters');
    const channel: Channel = { id: `UC${randomToken('', 16).slice(0, 22)}`, title, subscribers: typeof input.subscribers === 'number' ? input.subscribers : 3000, createdAt: clock.now() };
    channels.set(channel.id, channel);
    const access = tokens.issue({ accountId: channel.id, scopes: YOUTUBE_SCOPES, ttlMs: 3_599_000, prefix: 'ya29.' });
    const refresh = tokens.issue({ kind: 'refresh', accountId: channel.id, scopes: YOUTUBE_SCOPES, ttlMs: null, prefix: '1//', family: access.family });
    return { accountId: channel.id, channelId: channel.id, accessToken: access.token, refreshToken: refresh.token };
  }

  /** Quota belongs to the API project; every request costs, invalid ones included, so the charge comes before validation. */
  function charge(kind: 'insert' | 'units', units: number): void {
    const rule = (limit: number): WindowRule => ({ kind: 'daily', limit, utcOffsetMinutes: PACIFIC_STANDARD_OFFSET });
    const exceeded = () => googleError(403, 'quotaExceeded', 'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.', 'youtube.quota');
    if (kind === 'insert' && config.quotaModel === 'buckets') {
      if (!limiter.take('insert-bucket', rule(config.insertsPerDay)).allowed) throw exceeded();
      return;
    }
    const cost = kind === 'insert' ? 1600 : units;
    if (!limiter.take('units', rule(config.unitsPerDay), cost).allowed) throw exceeded();
  }

  function authenticate(req: SimRequest, scopes: string[]): { token: TokenRecord; channel: Channel } {
    const raw = /^Bearer\s+(.+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
    const check = tokens.check(raw);
    const channel = check.status === 'valid' ? channels.get(check.record.accountId) : undefined;
    if (check.status !== 'valid' || check.record.kind !== 'access' || !channel) {
      throw googleError(401, 'authError', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', 'global', { location: 'Authorization', locationType: 'header' });
    }
    if (!scopes.some((scope) => check.record.scopes.includes(`https://www.googleapis.com/auth/${scope}`))) {
      throw googleError(403, 'insufficientPermissions', 'Request had insufficient authentication scopes.', 'global');
    }
    return { token: check.record, channel };
  }

  function validateMetadata(body: unknown): Pick<Video, 'snippet' | 'status'> {
    const snippet = isRecord(body) && isRecord(body.snippet) ? body.snippet : {};
    const status = isRecord(body) && isRecord(body.status) ? body.status : {};
    const title = typeof snippet.title === 'string' ? snippet.title : '';
    if (title.trim() === '') throw googleError(400, 'invalidTitle', 'The request metadata specifies an invalid or empty video title.', 'youtube.video');
    if (title.length > 100 || /[<>]/.test(title)) throw googleError(400, 'invalidTitle', 'The request metadata specifies an invalid video title.', 'youtube.video');
    const description = typeof snippet.description === 'string' ? snippet.description : '';
    if (Buffer.byteLength(description) > 5000 || /[<>]/.test(description)) throw googleError(400, 'invalidDescription', 'The request metadata specifies an invalid video description.', 'youtube.video');
    const tags = Array.isArray(snippet.tags) ? snippet.tags.map(String) : [];
    if (tags.join(',').length > 500) throw googleError(400, 'invalidTags', 'The request metadata specifies invalid video keywords.', 'youtube.video');
    const categoryId = typeof snippet.categoryId === 'string' ? snippet.categoryId : '22';
    if (!/^\d{1,3}$/.test(categoryId)) throw googleError(400, 'invalidCategoryId', 'The snippet.categoryId property specifies an invalid category ID.', 'youtube.video');
    const privacy = typeof status.privacyStatus === 'string' ? status.privacyStatus : 'private';
    if (!['public', 'unlisted', 'private'].includes(privacy)) throw googleError(400, 'invalidVideoMetadata', 'The request metadata is invalid: status.privacyStatus', 'youtube.video');
    const publishAt = typeof status.publishAt === 'string' ? status.publishAt : undefined;
    if (publishAt !== undefined && (privacy !== 'private' || Number.isNaN(Date.parse(publishAt)))) throw googleError(400, 'invalidPublishAt', 'The request metadata specifies an invalid scheduled publishing time.', 'youtube.video');
    return {
      snippet: { title, description, tags, categoryId },
      status: { privacyStatus: config.projectVerified ? privacy : 'private', publishAt, selfDeclaredMadeForKids: status.selfDeclaredMadeForKids === true, embeddable: status.embeddable !== false, license: typeof status.license === 'string' ? status.license : 'youtube' },
    };
  }

  function uploadStatus(video: Video): { uploadStatus: string; failureReason?: string; rejectionReason?: string } {
    if (video.listPolls < config.processingPolls) return { uploadStatus: 'uploaded' };
    if (video.duplicateOf !== undefined) return { uploadStatus: 'rejected', rejectionReason: 'duplicate' };
    if (config.processingOutcome === 'failed') return { uploadStatus: 'failed', failureReason: 'codec' };
    if (config.processingOutcome === 'rejected') return { uploadStatus: 'rejected', rejectionReason: 'inappropriate' };
    return { uploadStatus: 'processed' };
  }

  function videoResource(video: Video, parts: string[]) {
    const channel = channels.get(video.channelId);
    const counts = grownEngagement(video.createdAt, clock.now(), video.extra);
    const state = uploadStatus(video);
    return {
      kind: 'youtube#video',
      etag: createHash('md5').update(video.id + String(video.listPolls)).digest('base64url'),
      id: video.id,
      ...(parts.includes('snippet') ? { snippet: { publishedAt: iso(video.createdAt), channelId: video.channelId, title: video.snippet.title, description: video.snippet.description, tags: video.snippet.tags, categoryId: video.snippet.categoryId, channelTitle: channel?.title ?? '', liveBroadcastContent: 'none' } } : {}),
      ...(parts.includes('status') ? { status: { ...state, privacyStatus: video.status.privacyStatus, ...(video.status.publishAt ? { publishAt: video.status.publishAt } : {}), license: video.status.license, embeddable: video.status.embeddable, publicStatsViewable: true, madeForKids: video.status.selfDeclaredMadeForKids, selfDeclaredMadeForKids: video.status.selfDeclaredMadeForKids } } : {}),
      ...(parts.includes('processingDetails') ? { processingDetails: { processingStatus: state.uploadStatus === 'uploaded' ? 'processing' : state.uploadStatus === 'processed' ? 'succeeded' : 'failed' } } : {}),
      ...(parts.includes('statistics') ? { statistics: { viewCount: String(counts.views), likeCount: String(counts.likes), favoriteCount: '0', commentCount: String(counts.comments) } } : {}),
    };
  }

  function parts(req: SimRequest): string[] {
    const value = req.query.get('part');
    if (!value) throw googleError(400, 'required', 'Required parameter: part', 'global', { location: 'part', locationType: 'parameter' });
    return value.split(',').map((p) => p.trim());
  }

  function startSession(req: SimRequest): SimResponse {
    const { channel } = authenticate(req, ['youtube.upload', 'youtube', 'youtube.force-ssl']);
    charge('insert', 1);
    if (req.query.get('uploadType') !== 'resumable' && !req.path.startsWith('/resumable/')) throw googleError(400, 'badRequest', 'Only uploadType=resumable is simulated; use the resumable protocol.', 'global');
    parts(req);
    const total = Number(header(req, 'x-upload-content-length'));
    if (!Number.isInteger(total) || total <= 0) throw googleError(400, 'badRequest', 'X-Upload-Content-Length must be the size of the file in bytes.', 'global');
    const contentType = header(req, 'x-upload-content-type') ?? 'video/*';
    if (!/^(video\/|application\/octet-stream)/.test(contentType)) throw googleError(400, 'invalidContentType', 'Media type is not supported. Valid media types: [video/*, application/octet-stream]', 'global');
    const metadata = validateMetadata(req.json);
    const today = limiter.take(`uploads:${channel.id}`, { kind: 'daily', limit: config.uploadsPerChannelPerDay, utcOffsetMinutes: PACIFIC_STANDARD_OFFSET });
    if (!today.allowed) throw googleError(400, 'uploadLimitExceeded', 'The user has exceeded the number of videos they may upload.', 'youtube.video');
    const session: UploadSession = { id: randomToken('ADPycd', 24), channelId: channel.id, metadata, total, contentType, received: 0, hash: createHash('sha256'), createdAt: clock.now() };
    sessions.set(session.id, session);
    return { status: 200, headers: { location: `${ctx.baseUrl()}/upload/youtube/v3/videos?uploadType=resumable&upload_id=${session.id}`, 'x-guploader-uploadid': session.id } };
  }

  function putBytes(req: SimRequest): SimResponse {
    const session = sessions.get(req.query.get('upload_id') ?? '');
    if (!session || session.createdAt + config.sessionTtlMs <= clock.now()) throw googleError(404, 'notFound', 'The upload session was not found or has expired.', 'global');
    const { channel } = authenticate(req, ['youtube.upload', 'youtube', 'youtube.force-ssl']);
    if (channel.id !== session.channelId) throw googleError(403, 'forbidden', 'The upload session belongs to another channel.', 'global');
    const range = header(req, 'content-range');
    const done = () => json(session.videoId ? 200 : 201, videoResource(videos.get(session.videoId ?? '') as Video, ['snippet', 'status']));
    const incomplete = (): SimResponse => ({ status: 308, headers: session.received > 0 ? { range: `bytes=0-${session.received - 1}` } : {} });
    // A status query (`bytes */N`, empty body): how a client learns an upload finished after a lost answer.
    if (range !== undefined && /^bytes \*\/\d+$/.test(range)) return session.videoId ? done() : incomplete();
    if (session.videoId) return done();
    let start = 0;
    if (range !== undefined) {
      const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(range);
      if (!match || Number(match[3]) !== session.total || Number(match[2]) - Number(match[1]) + 1 !== req.raw.length) throw googleError(400, 'badRequest', 'Invalid Content-Range header.', 'global');
      start = Number(match[1]);
    } else if (req.raw.length !== session.total) {
      throw googleError(400, 'badRequest', 'Without Content-Range the body must be the whole file.', 'global');
    }
    if (start !== session.received) return incomplete();
    const final = start + req.raw.length === session.total;
    if (!final && config.enforceChunkMultiple && req.raw.length % CHUNK_MULTIPLE !== 0) {
      throw googleError(400, 'badRequest', `Invalid request. The number of bytes uploaded is required to be a multiple of ${CHUNK_MULTIPLE}, except for the final request.`, 'global');
    }
    session.hash.update(req.raw);
    session.received += req.raw.length;
    if (!final) return incomplete();
    return json(201, videoResource(finishUpload(session), ['snippet', 'status']));
  }

  function finishUpload(session: UploadSession): Video {
    const digest = session.hash.digest('hex');
    const earlier = [...videos.values()].find((v) => v.channelId === session.channelId && v.digest === digest && v.deletedAt === undefined);
    const video: Video = { id: youtubeId(), channelId: session.channelId, ...session.metadata, createdAt: clock.now(), listPolls: 0, digest, duplicateOf: earlier?.id, extra: {} };
    videos.set(video.id, video);
    session.videoId = video.id;
    harness.ledger.record({ network: 'youtube', account: video.channelId, id: video.id, text: video.snippet.title, createdAt: video.createdAt, media: [digest] });
    return video;
  }

  const readScopes = ['youtube', 'youtube.readonly', 'youtube.force-ssl', 'youtube.upload'];

  const routes: NetworkDefinition['routes'] = [
    ...youtubeOAuthRoutes(ctx, () => channels.keys().next().value),
    { method: 'POST', pattern: '/upload/youtube/v3/videos', handler: startSession },
    { method: 'POST', pattern: '/resumable/upload/youtube/v3/videos', handler: startSession },
    { method: 'PUT', pattern: '/upload/youtube/v3/videos', handler: putBytes },
    { method: 'PUT', pattern: '/resumable/upload/youtube/v3/videos', handler: putBytes },
    {
      method: 'GET',
      pattern: '/youtube/v3/videos',
      handler: (req) => {
        const { channel } = authenticate(req, readScopes);
        charge('units', 1);
        const wanted = parts(req);
        const ids = (req.query.get('id') ?? '').split(',').filter(Boolean);
        if (ids.length === 0 && req.query.get('myRating') === null && req.query.get('chart') === null) throw googleError(400, 'missingRequiredParameter', 'No filter selected. Expected one of: id, myRating, chart', 'youtube.parameter');
        const items = ids.map((id) => videos.get(id)).filter((v): v is Video => v !== undefined && v.deletedAt === undefined && (v.channelId === channel.id || v.status.privacyStatus !== 'private'));
        const resources = items.map((v) => videoResource(v, wanted));
        // Processing moves on with each look, so a client polls until it ends.
        for (const item of items) item.listPolls += 1;
        return json(200, { kind: 'youtube#videoListResponse', etag: 'sim', items: resources, pageInfo: { totalResults: items.length, resultsPerPage: items.length } });
      },
    },
    {
      method: 'PUT',
      pattern: '/youtube/v3/videos',
      handler: (req) => {
        const { channel } = authenticate(req, ['youtube', 'youtube.force-ssl']);
        charge('units', 50);
        const wanted = parts(req);
        const body = isRecord(req.json) ? req.json : {};
        const video = typeof body.id === 'string' ? videos.get(body.id) : undefined;
        if (!video || video.deletedAt !== undefined) throw googleError(404, 'videoNotFound', 'The video that you are trying to update cannot be found.', 'youtube.video');
        if (video.channelId !== channel.id) throw googleError(403, 'forbidden', 'The video that you are trying to update cannot be updated by this channel.', 'youtube.video');
        const next = validateMetadata({ snippet: wanted.includes('snippet') ? body.snippet : video.snippet, status: wanted.includes('status') ? body.status : video.status });
        video.snippet = next.snippet;
        video.status = next.status;
        return json(200, videoResource(video, wanted));
      },
    },
    {
      method: 'DELETE',
      pattern: '/youtube/v3/videos',
      handler: (req) => {
        const { channel } = authenticate(req, ['youtube', 'youtube.force-ssl']);
        charge('units', 50);
        const video = videos.get(req.query.get('id') ?? '');
        if (!video || video.deletedAt !== undefined) throw googleError(404, 'videoNotFound', 'The video that you are trying to delete cannot be found.', 'youtube.video');
        if (video.channelId !== channel.id) throw googleError(403, 'forbidden', 'The video that you are trying to delete cannot be deleted. The request might not be properly authorized.', 'youtube.video');
        video.deletedAt = clock.now();
        harness.ledger.markDeleted('youtube', video.id, clock.now());
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      pattern: '/youtube/v3/channels',
      handler: (req) => {
        const { channel } = authenticate(req, readScopes);
        charge('units', 1);
        const wanted = parts(req);
        if (req.query.get('mine') !== 'true' && req.query.get('id') === null) throw googleError(400, 'missingRequiredParameter', 'No filter selected. Expected one of: mine, id, forHandle', 'youtube.parameter');
        const target = req.query.get('mine') === 'true' ? channel : channels.get(req.query.get('id') ?? '');
        if (!target) return json(200, { kind: 'youtube#channelListResponse', items: [], pageInfo: { totalResults: 0, resultsPerPage: 0 } });
        const own = [...videos.values()].filter((v) => v.channelId === target.id && v.deletedAt === undefined);
        const views = own.reduce((sum, v) => sum + grownEngagement(v.createdAt, clock.now(), v.extra).views, 0);
        const item = {
          kind: 'youtube#channel',
          id: target.id,
          ...(wanted.includes('snippet') ? { snippet: { title: target.title, description: '', publishedAt: iso(target.createdAt) } } : {}),
          ...(wanted.includes('contentDetails') ? { contentDetails: { relatedPlaylists: { likes: '', uploads: `UU${target.id.slice(2)}` } } } : {}),
          ...(wanted.includes('statistics') ? { statistics: { viewCount: String(views), subscriberCount: String(target.subscribers + Math.floor((clock.now() - target.createdAt) / 3_600_000)), hiddenSubscriberCount: false, videoCount: String(own.length) } } : {}),
        };
        return json(200, { kind: 'youtube#channelListResponse', items: [item], pageInfo: { totalResults: 1, resultsPerPage: 1 } });
      },
    },
    {
      method: 'GET',
      pattern: '/youtube/v3/playlistItems',
      handler: (req) => {
        authenticate(req, readScopes);
        charge('units', 1);
        parts(req);
        const playlist = req.query.get('playlistId') ?? '';
        const owner = channels.get(`UC${playlist.slice(2)}`);
        if (!playlist.startsWith('UU') || !owner) throw googleError(404, 'playlistNotFound', 'The playlist identified with the request\'s playlistId parameter cannot be found.', 'youtube.playlistItem');
        const max = Math.min(50, Math.max(0, Number(req.query.get('maxResults') ?? 5) || 5));
        const items = [...videos.values()].filter((v) => v.channelId === owner.id && v.deletedAt === undefined).reverse().sort((a, b) => b.createdAt - a.createdAt).slice(0, max);
        return json(200, {
          kind: 'youtube#playlistItemListResponse',
          items: items.map((v) => ({ kind: 'youtube#playlistItem', id: `PI${v.id}`, snippet: { publishedAt: iso(v.createdAt), channelId: owner.id, title: v.snippet.title, description: v.snippet.description, playlistId: playlist, resourceId: { kind: 'youtube#video', videoId: v.id } }, contentDetails: { videoId: v.id, videoPublishedAt: iso(v.createdAt) } })),
          pageInfo: { totalResults: items.length, resultsPerPage: max },
        });
      },
    },
    {
      method: 'GET',
      pattern: '/youtube/v3/commentThreads',
      handler: (req) => {
        authenticate(req, readScopes);
        charge('units', 1);
        parts(req);
        const filters = ['videoId', 'allThreadsRelatedToChannelId', 'id'].filter((f) => req.query.get(f) !== null);
        if (filters.length !== 1) throw googleError(400, 'incompatibleParameters', 'Exactly one of videoId, allThreadsRelatedToChannelId or id must be given.', 'youtube.parameter');
        const max = Number(req.query.get('maxResults') ?? 20);
        if (!Number.isInteger(max) || max < 1 || max > 100) throw googleError(400, 'invalidValue', 'maxResults must be between 1 and 100.', 'youtube.parameter');
        const video = videos.get(req.query.get('videoId') ?? '');
        if (req.query.get('videoId') !== null && (!video || video.deletedAt !== undefined)) throw googleError(404, 'videoNotFound', 'The video identified by the videoId parameter could not be found.', 'youtube.commentThread');
        const all = video ? grownComments(video.id, video.createdAt, clock.now(), video.extra) : [];
        const ordered = req.query.get('order') === 'relevance' ? all : [...all].reverse();
        const offset = Number(req.query.get('pageToken') ?? 0) || 0;
        const page = ordered.slice(offset, offset + max);
        return json(200, {
          kind: 'youtube#commentThreadListResponse',
          ...(offset + max < ordered.length ? { nextPageToken: String(offset + max) } : {}),
          pageInfo: { totalResults: page.length, resultsPerPage: max },
          items: page.map((c) => ({
            kind: 'youtube#commentThread',
            id: `Ug${c.id}`,
            snippet: {
              channelId: video?.channelId,
              videoId: video?.id,
              canReply: true,
              totalReplyCount: 0,
              isPublic: true,
              topLevelComment: { kind: 'youtube#comment', id: `Ug${c.id}`, snippet: { textDisplay: c.text, textOriginal: c.text, authorDisplayName: `@${c.author}`, authorChannelId: { value: `UC${c.author.padEnd(22, 'x')}` }, likeCount: 0, publishedAt: iso(c.createdAt), updatedAt: iso(c.createdAt), videoId: video?.id } },
            },
          })),
        });
      },
    },
    {
      method: 'GET',
      pattern: '/youtube/v3/comments',
      handler: (req) => {
        authenticate(req, readScopes);
        charge('units', 1);
        parts(req);
        if (req.query.get('parentId') === null && req.query.get('id') === null) throw googleError(400, 'missingRequiredParameter', 'No filter selected. Expected one of: parentId, id', 'youtube.parameter');
        return json(200, { kind: 'youtube#commentListResponse', items: [], pageInfo: { totalResults: 0, resultsPerPage: 20 } });
      },
    },
  ];

  seedAccount({ title: 'Guddu Sandbox Channel' });
  return {
    name: 'youtube',
    config,
    routes,
    errorResponse: (status) => youtubeErrorForStatus(status),
    rateLimitedResponse: () => youtubeErrorForStatus(429),
    seedAccount,
    addEngagement: (postId, extra) => {
      const video = videos.get(postId);
      if (!video) return false;
      video.extra = mergeExtra(video.extra, extra);
      return true;
    },
    describe: () => ({ channels: [...channels.values()], videos: [...videos.values()], sessions: [...sessions.values()].map(({ hash: _hash, ...rest }) => rest) }),
    reset: () => {
      for (const map of [channels, videos, sessions]) map.clear();
      seedAccount({ title: 'Guddu Sandbox Channel' });
    },
  };
}
