import { createHash } from 'node:crypto';
import { isRecord, json, Reply, type SimRequest } from '../harness/http.js';
import { numericId, randomToken, sha256Hex } from '../harness/ids.js';
import { type Route } from '../harness/router.js';
import { type SimClock } from '../harness/clock.js';

/**
 * LinkedIn Images and Videos APIs (contract §4.5): initializeUpload → PUT the bytes (video in
 * ~4 MB parts, each answering an ETag) → finalizeUpload → poll WAITING_UPLOAD → PROCESSING →
 * AVAILABLE | PROCESSING_FAILED. A post may only reference AVAILABLE media.
 */
export interface LiAsset {
  urn: string;
  kind: 'image' | 'video';
  owner: string;
  memberId: string;
  status: 'WAITING_UPLOAD' | 'PROCESSING' | 'AVAILABLE' | 'PROCESSING_FAILED';
  pollsLeft: number;
  size: number;
  parts: { firstByte: number; lastByte: number; etag?: string }[];
  uploadToken: string;
  /** SHA-256 of the uploaded bytes (the parts in order, for a video), once complete: the ledger records it. */
  sha256?: string;
}

interface MediaDeps {
  clock: SimClock;
  baseUrl: () => string;
  assets: Map<string, LiAsset>;
  config: { processingPolls: number; videoPartBytes: number };
  /** Checks the token and the versioned-REST headers; returns the member id. */
  restAuth: (req: SimRequest) => { memberId: string };
  /** Checks only the bearer token (upload URLs are not versioned REST). */
  tokenAuth: (req: SimRequest) => { memberId: string };
  mayAct: (memberId: string, owner: string) => boolean;
}

const liError = (status: number, message: string, code?: string) => new Reply(json(status, { status, ...(code ? { code } : {}), message }));

export function linkedinMediaRoutes(deps: MediaDeps): Route[] {
  // The parts' bytes until finalize (kept out of the asset, which the admin API lists).
  const partBytes = new Map<string, Buffer>();
  const { clock, assets, config } = deps;

  function initialize(req: SimRequest, kind: LiAsset['kind']) {
    const { memberId } = deps.restAuth(req);
    const action = req.query.get('action');
    if (action !== 'initializeUpload') return undefined;
    const request = isRecord(req.json) && isRecord(req.json.initializeUploadRequest) ? req.json.initializeUploadRequest : undefined;
    const owner = request?.owner;
    if (typeof owner !== 'string' || !/^urn:li:(person|organization):\w+$/.test(owner)) throw liError(422, 'ERROR :: /initializeUploadRequest/owner :: field is required but not found and has no default value\n');
    if (!deps.mayAct(memberId, owner)) throw liError(403, `Not enough permissions to access: ${kind}s.initializeUpload`, 'ACCESS_DENIED');
    const size = kind === 'video' ? Number(request?.fileSizeBytes) : 0;
    if (kind === 'video' && (!Number.isInteger(size) || size < 1 || size > 500 * 1024 * 1024)) throw liError(422, 'ERROR :: /initializeUploadRequest/fileSizeBytes :: must be between 1 and 524288000\n');
    const id = `C4${kind === 'image' ? 'E' : 'D'}10AQ${randomToken('', 9).replace(/[-_]/g, 'x')}`;
    const parts: LiAsset['parts'] = [];
    for (let first = 0; first < size; first += config.videoPartBytes) parts.push({ firstByte: first, lastByte: Math.min(size, first + config.videoPartBytes) - 1 });
    const asset: LiAsset = { urn: `urn:li:${kind}:${id}`, kind, owner, memberId, status: 'WAITING_UPLOAD', pollsLeft: config.processingPolls, size, parts, uploadToken: kind === 'video' ? randomToken('', 12) : '' };
    assets.set(asset.urn, asset);
    const expiresAt = clock.now() + 24 * 3_600_000;
    if (kind === 'image') return json(200, { value: { uploadUrlExpiresAt: expiresAt, uploadUrl: `${deps.baseUrl()}/dms-uploads/image/${id}`, image: asset.urn } });
    return json(200, {
      value: {
        uploadUrlsExpireAt: expiresAt,
        video: asset.urn,
        uploadInstructions: parts.map((part, i) => ({ uploadUrl: `${deps.baseUrl()}/dms-uploads/video/${id}/${i}`, firstByte: part.firstByte, lastByte: part.lastByte })),
        uploadToken: asset.uploadToken,
      },
    });
  }

  function poll(urn: string | undefined, memberId: string) {
    const asset = urn ? assets.get(urn) : undefined;
    if (!asset || !deps.mayAct(memberId, asset.owner)) throw liError(404, 'Not Found', 'NOT_FOUND');
    if (asset.status === 'PROCESSING') {
      if (asset.pollsLeft > 0) asset.pollsLeft -= 1;
      else asset.status = 'AVAILABLE';
    }
    const download = asset.status === 'AVAILABLE' ? { downloadUrl: `${deps.baseUrl()}/dms/${asset.kind}/${encodeURIComponent(asset.urn)}`, downloadUrlExpiresAt: clock.now() + 3_600_000 } : {};
    return json(200, { id: asset.urn, owner: asset.owner, status: asset.status, ...download });
  }

  return [
    {
      method: 'POST',
      pattern: '/rest/images',
      handler: (req) => initialize(req, 'image') ?? json(400, { status: 400, code: 'ILLEGAL_ARGUMENT', message: 'action must be initializeUpload' }),
    },
    {
      method: 'POST',
      pattern: '/rest/videos',
      handler: (req) => {
        if (req.query.get('action') !== 'finalizeUpload') return initialize(req, 'video') ?? json(400, { status: 400, code: 'ILLEGAL_ARGUMENT', message: 'action must be initializeUpload or finalizeUpload' });
        const { memberId } = deps.restAuth(req);
        const request = isRecord(req.json) && isRecord(req.json.finalizeUploadRequest) ? req.json.finalizeUploadRequest : {};
        const asset = typeof request.video === 'string' ? assets.get(request.video) : undefined;
        if (!asset || asset.kind !== 'video' || !deps.mayAct(memberId, asset.owner)) throw liError(404, 'Not Found', 'NOT_FOUND');
        if (request.uploadToken !== asset.uploadToken) throw liError(400, 'Upload token does not match', 'ILLEGAL_ARGUMENT');
        const etags = Array.isArray(request.uploadedPartIds) ? request.uploadedPartIds : [];
        if (asset.parts.some((part, i) => part.etag === undefined || etags[i] !== part.etag)) throw liError(400, 'uploadedPartIds do not match the uploaded parts', 'ILLEGAL_ARGUMENT');
        asset.status = 'PROCESSING';
        asset.sha256 = sha256Hex(Buffer.concat(asset.parts.map((_, i) => partBytes.get(`${asset.urn}#${i}`) ?? Buffer.alloc(0))));
        asset.parts.forEach((_, i) => partBytes.delete(`${asset.urn}#${i}`));
        return json(200, {});
      },
    },
    { method: 'GET', pattern: '/rest/images/:urn', handler: (req) => poll(req.params.urn, deps.restAuth(req).memberId) },
    { method: 'GET', pattern: '/rest/videos/:urn', handler: (req) => poll(req.params.urn, deps.restAuth(req).memberId) },
    {
      method: 'PUT',
      pattern: '/dms-uploads/image/:id',
      handler: (req) => {
        const { memberId } = deps.tokenAuth(req);
        const asset = assets.get(`urn:li:image:${req.params.id ?? ''}`);
        if (!asset || asset.memberId !== memberId) throw liError(404, 'Not Found');
        if (req.raw.length === 0) throw liError(400, 'Empty upload');
        // A body that is not an image fails processing, as a corrupt upload does.
        const looksLikeImage = /^image\//.test(String(req.headers['content-type'] ?? 'image/')) || req.headers['content-type'] === 'application/octet-stream';
        asset.status = looksLikeImage ? 'PROCESSING' : 'PROCESSING_FAILED';
        asset.size = req.raw.length;
        asset.sha256 = sha256Hex(req.raw);
        return { status: 201 };
      },
    },
    {
      method: 'PUT',
      pattern: '/dms-uploads/video/:id/:part',
      handler: (req) => {
        const { memberId } = deps.tokenAuth(req);
        const asset = assets.get(`urn:li:video:${req.params.id ?? ''}`);
        const part = asset?.parts[Number(req.params.part)];
        if (!asset || !part || asset.memberId !== memberId) throw liError(404, 'Not Found');
        if (req.raw.length !== part.lastByte - part.firstByte + 1) throw liError(400, `Part must be exactly ${part.lastByte - part.firstByte + 1} bytes`);
        partBytes.set(`${asset.urn}#${req.params.part}`, Buffer.from(req.raw));
        part.etag = `/ambry-video/signedId/${createHash('md5').update(req.raw).digest('hex')}${numericId(clock.now(), 6)}`;
        return { status: 200, headers: { etag: part.etag } };
      },
    },
  ];
}
