import { header, isRecord, json, param, type SimRequest, type SimResponse } from '../harness/http.js';
import { sha256Hex, snowflake } from '../harness/ids.js';
import { type Route } from '../harness/router.js';
import { type SimClock } from '../harness/clock.js';
import { invalidRequest, type ProblemPrefix } from './x-problems.js';

/**
 * X media upload (contract §3.4): the dedicated initialize/append/finalize endpoints, the
 * command-style INIT/APPEND/FINALIZE/STATUS on `/2/media/upload`, and one-shot uploads. Video
 * and GIF go through `processing_info` (pending → in_progress → succeeded | failed), one step
 * per STATUS poll.
 */
export interface XMedia {
  id: string;
  mediaKey: string;
  ownerId: string;
  mediaType: string;
  category: string;
  totalBytes: number;
  segments: Map<number, number>;
  /** The segments' bytes until finalize, then their SHA-256 (what the ledger records with the post). */
  chunks: Map<number, Buffer>;
  sha256?: string;
  finalized: boolean;
  polls: number;
  expiresAt: number;
  /** Decided at initialize from `videoOutcome`, so a config change does not alter media in flight. */
  outcome: string;
}

export interface XMediaConfig extends ProblemPrefix {
  imageMaxBytes: number;
  gifMaxBytes: number;
  videoMaxBytes: number;
  /** How async media ends: `succeeded` or `failed`. */
  videoOutcome: string;
}

const CATEGORIES = ['tweet_image', 'tweet_gif', 'tweet_video', 'amplify_video', 'dm_image', 'dm_gif', 'dm_video', 'subtitles'];

export function isAsync(media: XMedia): boolean {
  return /video|gif/.test(media.category);
}

export function mediaState(media: XMedia): 'pending' | 'in_progress' | 'succeeded' | 'failed' {
  if (!isAsync(media)) return 'succeeded';
  if (media.polls === 0) return 'pending';
  if (media.polls < 3) return 'in_progress';
  return media.outcome === 'failed' ? 'failed' : 'succeeded';
}

export function xMediaRoutes(options: {
  config: XMediaConfig;
  clock: SimClock;
  media: Map<string, XMedia>;
  /** Authenticates with `media.write` and applies the endpoint's limit; returns the user and rate headers. */
  authorize: (req: SimRequest, endpoint: string) => { userId: string; headers: Record<string, string> };
}): Route[] {
  const { config, clock, media } = options;

  function limitFor(category: string): number {
    if (category.includes('video')) return config.videoMaxBytes;
    if (category.includes('gif')) return config.gifMaxBytes;
    return config.imageMaxBytes;
  }

  function initialize(userId: string, mediaType: string | undefined, totalBytes: number, category: string | undefined): XMedia {
    const resolved = category ?? (mediaType?.startsWith('video/') ? 'tweet_video' : mediaType === 'image/gif' ? 'tweet_gif' : 'tweet_image');
    if (!mediaType || !/^(image|video|text)\//.test(mediaType)) throw invalidRequest(config, 'media_type must be a supported MIME type', { media_type: [mediaType ?? null] });
    if (!CATEGORIES.includes(resolved)) throw invalidRequest(config, 'media_category is not valid', { media_category: [resolved] });
    if (!Number.isInteger(totalBytes) || totalBytes <= 0 || totalBytes > limitFor(resolved)) {
      throw invalidRequest(config, `total_bytes must be between 1 and ${limitFor(resolved)} for ${resolved}`, { total_bytes: [totalBytes] });
    }
    const id = snowflake(clock.now());
    const item: XMedia = { id, mediaKey: `${resolved.includes('video') ? 7 : resolved.includes('gif') ? 16 : 3}_${id}`, ownerId: userId, mediaType, category: resolved, totalBytes, segments: new Map<number, number>(), chunks: new Map<number, Buffer>(), finalized: false, polls: 0, expiresAt: clock.now() + 86_400_000, outcome: config.videoOutcome };
    media.set(id, item);
    return item;
  }

  function owned(id: string | undefined, userId: string): XMedia {
    const item = id ? media.get(id) : undefined;
    if (!item || item.ownerId !== userId || item.expiresAt <= clock.now()) throw invalidRequest(config, 'media_id is not valid', { media_id: [id ?? null] });
    return item;
  }

  function append(item: XMedia, req: SimRequest, segmentRaw: string | undefined): void {
    const segment = Number(segmentRaw);
    if (!Number.isInteger(segment) || segment < 0 || segment > 999) throw invalidRequest(config, 'segment_index must be an integer between 0 and 999', { segment_index: [segmentRaw ?? null] });
    if (item.finalized) throw invalidRequest(config, 'media is already finalized', { media_id: [item.id] });
    const file = req.files.get('media');
    const base64 = isRecord(req.json) && typeof req.json.media === 'string' ? req.json.media : req.form.get('media_data') ?? undefined;
    const data = file ? file.data : base64 !== undefined ? Buffer.from(base64, 'base64') : Buffer.alloc(0);
    const bytes = data.length;
    if (bytes === 0) throw invalidRequest(config, 'media is required', { media: [null] });
    item.segments.set(segment, bytes);
    item.chunks.set(segment, Buffer.from(data));
  }

  function finalize(item: XMedia): SimResponse['body'] {
    const received = [...item.segments.values()].reduce((sum, n) => sum + n, 0);
    if (received !== item.totalBytes) throw invalidRequest(config, `File size mismatch: received ${received} of ${item.totalBytes} bytes`, { total_bytes: [item.totalBytes] });
    item.finalized = true;
    item.sha256 = sha256Hex(Buffer.concat([...item.chunks.entries()].sort(([a], [b]) => a - b).map(([, b]) => b)));
    item.chunks.clear();
    return { data: entity(item) };
  }

  function entity(item: XMedia) {
    const state = mediaState(item);
    const processing = isAsync(item)
      ? { processing_info: { state, ...(state === 'pending' || state === 'in_progress' ? { check_after_secs: 1, progress_percent: Math.min(99, item.polls * 40) } : {}), ...(state === 'failed' ? { error: { code: 1, name: 'InvalidMedia', message: 'Unsupported video format' } } : {}) } }
      : {};
    return { id: item.id, media_key: item.mediaKey, size: item.totalBytes, expires_after_secs: Math.max(0, Math.floor((item.expiresAt - clock.now()) / 1000)), ...processing };
  }

  function status(req: SimRequest): SimResponse {
    const { userId, headers } = options.authorize(req, 'media-status');
    const item = owned(req.query.get('media_id') ?? undefined, userId);
    if (!item.finalized) throw invalidRequest(config, 'media is not finalized', { media_id: [item.id] });
    if (isAsync(item)) item.polls += 1;
    return json(200, { data: entity(item) }, headers);
  }

  return [
    {
      method: 'POST',
      pattern: '/2/media/upload/initialize',
      handler: (req) => {
        const { userId, headers } = options.authorize(req, 'media-initialize');
        const item = initialize(userId, param(req, 'media_type'), Number(param(req, 'total_bytes')), param(req, 'media_category'));
        return json(200, { data: { id: item.id, media_key: item.mediaKey, expires_after_secs: 86_399 } }, headers);
      },
    },
    {
      method: 'POST',
      pattern: '/2/media/upload/:id/append',
      handler: (req) => {
        const { userId, headers } = options.authorize(req, 'media-append');
        append(owned(req.params.id, userId), req, param(req, 'segment_index'));
        return json(200, { data: { expires_at: Math.floor((clock.now() + 86_400_000) / 1000) } }, headers);
      },
    },
    {
      method: 'POST',
      pattern: '/2/media/upload/:id/finalize',
      handler: (req) => {
        const { userId, headers } = options.authorize(req, 'media-finalize');
        return json(200, finalize(owned(req.params.id, userId)), headers);
      },
    },
    { method: 'GET', pattern: '/2/media/upload', handler: status },
    {
      method: 'POST',
      pattern: '/2/media/upload',
      handler: (req) => {
        const command = param(req, 'command')?.toUpperCase();
        if (command === 'STATUS') return status(req);
        const { userId, headers } = options.authorize(req, 'media-upload');
        switch (command) {
          case 'INIT': {
            const item = initialize(userId, param(req, 'media_type'), Number(param(req, 'total_bytes')), param(req, 'media_category'));
            return json(200, { data: { id: item.id, media_key: item.mediaKey, expires_after_secs: 86_399 } }, headers);
          }
          case 'APPEND':
            append(owned(param(req, 'media_id'), userId), req, param(req, 'segment_index'));
            return json(200, {}, headers);
          case 'FINALIZE':
            return json(200, finalize(owned(param(req, 'media_id'), userId)), headers);
          case undefined: {
            // One-shot upload of a small file.
            const file = req.files.get('media');
            const bytes = file?.data.length ?? (isRecord(req.json) && typeof req.json.media === 'string' ? Buffer.from(req.json.media, 'base64').length : 0);
            const type = file?.contentType ?? param(req, 'media_type') ?? header(req, 'x-media-type') ?? 'image/jpeg';
            const item = initialize(userId, type, bytes, param(req, 'media_category'));
            item.segments.set(0, bytes);
            return json(200, finalize(item), headers);
          }
          default:
            throw invalidRequest(config, 'command must be one of INIT, APPEND, FINALIZE, STATUS', { command: [command] });
        }
      },
    },
  ];
}
