import { param, json, type SimRequest } from '../harness/http.js';
import { numericId, sha256Hex } from '../harness/ids.js';
import { pullMedia } from '../harness/media-pull.js';
import { type NetworkContext } from '../harness/network.js';
import { type Route } from '../harness/router.js';
import { type TokenRecord } from '../harness/tokens.js';
import { graphError } from './meta-graph.js';
import { type FbPage } from './facebook.js';

/**
 * Facebook Page video (contract §1.3): hosted `file_url` or multipart `source`, the chunked
 * `upload_phase` start/transfer/finish protocol with offsets, and Reels (start, rupload with
 * `offset`/`file_size` headers, finish), each ending in a post once processing succeeds.
 */
export interface FbVideo {
  id: string;
  pageId: string;
  kind: 'video' | 'reel';
  sessionId?: string;
  fileSize: number;
  received: number;
  finished: boolean;
  polls: number;
  failed: boolean;
  postId?: string;
}

const CHUNK_BYTES = 1_048_576;

interface VideoDeps {
  ctx: NetworkContext;
  config: { failVideoNamed: string };
  videos: Map<string, FbVideo>;
  pageFor: (req: SimRequest, pageId: string | undefined, task: string) => { page: FbPage; token: TokenRecord; headers: Record<string, string> };
  authenticate: (req: SimRequest, pageId?: string) => { token: TokenRecord; headers: Record<string, string> };
  /** `media`: SHA-256 of the video's bytes when the simulator saw them (the ledger records it). */
  createVideoPost: (page: FbPage, req: SimRequest, headers: Record<string, string>, media?: string[]) => { id: string };
}

export function facebookVideoRoutes(deps: VideoDeps): Route[] {
  const { ctx, config, videos } = deps;
  const clock = ctx.harness.clock;

  function newVideo(page: FbPage, kind: FbVideo['kind'], fileSize: number, name: string): FbVideo {
    const video: FbVideo = { id: numericId(clock.now(), 16), pageId: page.id, kind, fileSize, received: 0, finished: false, polls: 0, failed: config.failVideoNamed !== '' && name.includes(config.failVideoNamed) };
    videos.set(video.id, video);
    return video;
  }

  function offsets(video: FbVideo) {
    return { start_offset: String(video.received), end_offset: String(Math.min(video.fileSize, video.received + CHUNK_BYTES)) };
  }

  return [
    {
      method: 'POST',
      pattern: '/:node/videos',
      handler: async (req) => {
        const { page, token, headers } = deps.pageFor(req, req.params.node, 'CREATE_CONTENT');
        if (!token.scopes.includes('publish_video')) throw graphError(403, 10, '(#10) Requires publish_video permission', { headers });
        const phase = param(req, 'upload_phase');
        if (phase === 'start') {
          const size = Number(param(req, 'file_size'));
          if (!Number.isInteger(size) || size <= 0) throw graphError(400, 100, '(#100) file_size must be a positive integer', { headers });
          const video = newVideo(page, 'video', size, param(req, 'title') ?? '');
          video.sessionId = numericId(clock.now(), 15);
          return json(200, { video_id: video.id, upload_session_id: video.sessionId, ...offsets(video) }, headers);
        }
        if (phase === 'transfer' || phase === 'finish' || phase === 'cancel') {
          const video = [...videos.values()].find((v) => v.sessionId !== undefined && v.sessionId === param(req, 'upload_session_id') && v.pageId === page.id);
          if (!video) throw graphError(400, 100, '(#100) Invalid upload_session_id', { subcode: 1363020, headers });
          if (phase === 'cancel') {
            videos.delete(video.id);
            return json(200, { success: true }, headers);
          }
          if (phase === 'transfer') {
            const chunk = req.files.get('video_file_chunk');
            if (Number(param(req, 'start_offset')) !== video.received) throw graphError(400, 100, '(#100) start_offset does not match the bytes received', { subcode: 1363037, headers });
            if (!chunk || chunk.data.length === 0) throw graphError(400, 100, '(#100) video_file_chunk is required', { headers });
            video.received = Math.min(video.fileSize, video.received + chunk.data.length);
            return json(200, offsets(video), headers);
          }
          if (video.received !== video.fileSize) throw graphError(400, 100, `(#100) Upload incomplete: ${video.received} of ${video.fileSize} bytes`, { subcode: 1363030, headers });
          video.finished = true;
          video.postId = deps.createVideoPost(page, req, headers).id;
          return json(200, { success: true }, headers);
        }
        if (phase !== undefined) throw graphError(400, 100, '(#100) upload_phase must be one of start, transfer, finish, cancel', { headers });
        const fileUrl = param(req, 'file_url');
        const source = req.files.get('source');
        if (!fileUrl && !source) throw graphError(400, 100, '(#100) file_url or source is required', { headers });
        if (fileUrl !== undefined && !/^https?:\/\/\S+$/.test(fileUrl)) throw graphError(400, 100, '(#100) file_url should represent a valid URL', { headers });
        const pulled = fileUrl !== undefined ? await pullMedia(fileUrl) : source ? sha256Hex(source.data) : undefined;
        if (pulled === null) throw graphError(400, 100, '(#100) The video file could not be fetched from file_url', { subcode: 1363019, headers });
        const video = newVideo(page, 'video', source?.data.length ?? 1, fileUrl ?? source?.filename ?? '');
        video.received = video.fileSize;
        video.finished = true;
        video.postId = deps.createVideoPost(page, req, headers, pulled ? [pulled] : []).id;
        return json(200, { id: video.id }, headers);
      },
    },
    {
      method: 'POST',
      pattern: '/:node/video_reels',
      handler: (req) => {
        const { page, headers } = deps.pageFor(req, req.params.node, 'CREATE_CONTENT');
        const phase = param(req, 'upload_phase');
        if (phase === 'start') {
          const video = newVideo(page, 'reel', 0, '');
          return json(200, { video_id: video.id, upload_url: `${ctx.baseUrl()}/video-upload/v24.0/${video.id}` }, headers);
        }
        if (phase === 'finish') {
          const video = videos.get(param(req, 'video_id') ?? '');
          if (!video || video.pageId !== page.id || video.kind !== 'reel') throw graphError(400, 100, '(#100) Invalid video_id', { headers });
          if (video.received === 0) throw graphError(400, 100, '(#100) The video has not been uploaded', { subcode: 1363030, headers });
          const state = param(req, 'video_state') ?? 'PUBLISHED';
          if (!['PUBLISHED', 'DRAFT', 'SCHEDULED'].includes(state)) throw graphError(400, 100, '(#100) video_state must be PUBLISHED, DRAFT or SCHEDULED', { headers });
          video.finished = true;
          if (state === 'PUBLISHED') video.postId = deps.createVideoPost(page, req, headers).id;
          return json(200, { success: true }, headers);
        }
        throw graphError(400, 100, '(#100) upload_phase must be start or finish', { headers });
      },
    },
    {
      method: 'POST',
      pattern: '/video-upload/:version/:id',
      handler: (req) => {
        const video = videos.get(req.params.id ?? '');
        if (!video) throw graphError(400, 100, '(#100) Invalid video id');
        const { headers } = deps.authenticate(req, video.pageId);
        const size = Number(req.headers.file_size ?? req.headers['file-size'] ?? 0);
        const offset = Number(req.headers.offset ?? 0);
        const fileUrl = req.headers.file_url ?? req.headers['file-url'];
        if (fileUrl === undefined && (!Number.isInteger(size) || size <= 0 || offset !== video.received || req.raw.length === 0)) {
          return json(400, { debug_info: { type: 'ProcessingFailedError', message: 'Request processing failed: offset and file_size headers must describe the bytes sent' } }, headers);
        }
        video.fileSize = fileUrl !== undefined ? 1 : size;
        video.received = fileUrl !== undefined ? 1 : Math.min(size, offset + req.raw.length);
        return json(200, { success: true }, headers);
      },
    },
  ];
}
