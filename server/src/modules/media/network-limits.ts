import type { NetworkFit } from './media.tables.js';

/**
 * What each network accepts, from shared/contracts/social-apis.md (sections 1-5). Figures marked
 * there as third-party or "confirm" are used as given; tighten them here when a network says
 * otherwise. Every refusal is a sentence an officer can act on.
 */
export interface RenditionFacts {
  mime: string;
  bytes: number;
  width: number | null;
  height: number | null;
  durationMs?: number | null;
  videoCodec?: string | null;
  audioCodec?: string | null;
  fps?: number | null;
}

const MB = 1024 * 1024;

interface ImageRule {
  formats: string[];
  maxBytes: number;
  minAspect?: number;
  maxAspect?: number;
  maxPixels?: number;
}
interface VideoRule {
  maxBytes: number;
  minSeconds: number;
  maxSeconds: number;
  minAspect?: number;
  maxAspect?: number;
  maxWidth?: number;
  maxHeight?: number;
  codecs: string[];
  audio: string[];
  maxFps?: number;
}

const IMAGE_RULES: Record<string, ImageRule | undefined> = {
  // Instagram: JPEG only via the API, under 8 MiB, aspect 4:5 to 1.91:1 (§2.3).
  instagram: { formats: ['image/jpeg'], maxBytes: 8 * MB, minAspect: 0.8, maxAspect: 1.91 },
  // Facebook Pages: JPEG/PNG/GIF (and BMP/TIFF) up to 10 MB (§1).
  facebook: { formats: ['image/jpeg', 'image/png', 'image/gif'], maxBytes: 10 * MB },
  // X: JPG/PNG/GIF/WEBP up to 5 MB (§3.4).
  x: { formats: ['image/jpeg', 'image/png', 'image/gif', 'image/webp'], maxBytes: 5 * MB },
  // LinkedIn: JPG/PNG/GIF up to 36,152,320 pixels (§4.5).
  linkedin: { formats: ['image/jpeg', 'image/png', 'image/gif'], maxBytes: 100 * MB, maxPixels: 36_152_320 },
  // YouTube takes videos only.
  youtube: undefined,
};

const VIDEO_RULES: Record<string, VideoRule> = {
  // Instagram Reels: MP4 H.264/HEVC + AAC, 3 s to 15 min, at most 300 MB, width up to 1920 (§2.3).
  instagram: { maxBytes: 300 * MB, minSeconds: 3, maxSeconds: 15 * 60, maxWidth: 1920, codecs: ['h264', 'hevc'], audio: ['aac'], maxFps: 60 },
  // Facebook: non-resumable uploads up to 1 GB and 20 min (§1).
  facebook: { maxBytes: 1024 * MB, minSeconds: 1, maxSeconds: 20 * 60, codecs: ['h264', 'hevc'], audio: ['aac'] },
  // X: 512 MB, 0.5-140 s, 32x32 to 1280x1024, aspect 1:3 to 3:1, H.264 + AAC, 60 fps (§3.4).
  x: { maxBytes: 512 * MB, minSeconds: 0.5, maxSeconds: 140, minAspect: 1 / 3, maxAspect: 3, maxWidth: 1280, maxHeight: 1024, codecs: ['h264'], audio: ['aac'], maxFps: 60 },
  // LinkedIn: MP4, 3 s to 30 min, 75 KB to 500 MB (§4.5).
  linkedin: { maxBytes: 500 * MB, minSeconds: 3, maxSeconds: 30 * 60, codecs: ['h264'], audio: ['aac'] },
  // YouTube: anything up to 256 GB (§5).
  youtube: { maxBytes: 256 * 1024 * MB, minSeconds: 1, maxSeconds: 12 * 3600, codecs: ['h264', 'hevc', 'vp9', 'av1'], audio: ['aac', 'opus'] },
};

export const NETWORKS = ['facebook', 'x', 'instagram', 'youtube', 'linkedin'] as const;

const mb = (n: number) => `${Math.round((n / MB) * 10) / 10} MB`;

function imageReasons(rule: ImageRule | undefined, f: RenditionFacts): string[] {
  if (!rule) return ['this network takes videos, not images'];
  const out: string[] = [];
  if (!rule.formats.includes(f.mime)) out.push(`${f.mime.replace('image/', '').toUpperCase()} is not accepted (use ${rule.formats.map((m) => m.replace('image/', '').toUpperCase()).join(', ')})`);
  if (f.bytes > rule.maxBytes) out.push(`the file is ${mb(f.bytes)}; the limit is ${mb(rule.maxBytes)}`);
  if (f.width && f.height) {
    const aspect = f.width / f.height;
    if (rule.minAspect && aspect < rule.minAspect - 0.005) out.push(`the picture is too tall (${f.width}x${f.height}); the tallest accepted is 4:5`);
    if (rule.maxAspect && aspect > rule.maxAspect + 0.005) out.push(`the picture is too wide (${f.width}x${f.height}); the widest accepted is 1.91:1`);
    if (rule.maxPixels && f.width * f.height > rule.maxPixels) out.push(`the picture has more than ${rule.maxPixels.toLocaleString('en')} pixels`);
  }
  return out;
}

function videoReasons(rule: VideoRule, f: RenditionFacts): string[] {
  const out: string[] = [];
  if (f.mime !== 'video/mp4' && f.mime !== 'video/quicktime') out.push('the video must be MP4 or MOV');
  if (f.bytes > rule.maxBytes) out.push(`the file is ${mb(f.bytes)}; the limit is ${mb(rule.maxBytes)}`);
  const seconds = (f.durationMs ?? 0) / 1000;
  if (seconds < rule.minSeconds) out.push(`the video is ${seconds.toFixed(1)} s long; the shortest accepted is ${rule.minSeconds} s`);
  if (seconds > rule.maxSeconds) out.push(`the video is ${Math.round(seconds)} s long; the longest accepted is ${rule.maxSeconds} s`);
  if (f.videoCodec && !rule.codecs.includes(f.videoCodec)) out.push(`video codec ${f.videoCodec} is not supported (use ${rule.codecs.join(' or ')})`);
  if (f.audioCodec && !rule.audio.includes(f.audioCodec)) out.push(`audio codec ${f.audioCodec} is not supported (use ${rule.audio.join(' or ')})`);
  if (f.width && f.height) {
    const aspect = f.width / f.height;
    if (rule.minAspect && aspect < rule.minAspect) out.push(`the video is too tall for this network (${f.width}x${f.height})`);
    if (rule.maxAspect && aspect > rule.maxAspect) out.push(`the video is too wide for this network (${f.width}x${f.height})`);
    if (rule.maxWidth && f.width > rule.maxWidth) out.push(`the video is ${f.width} pixels wide; the limit is ${rule.maxWidth}`);
    if (rule.maxHeight && f.height > rule.maxHeight) out.push(`the video is ${f.height} pixels high; the limit is ${rule.maxHeight}`);
  }
  if (f.fps && rule.maxFps && f.fps > rule.maxFps + 0.01) out.push(`${Math.round(f.fps)} frames per second is above the limit of ${rule.maxFps}`);
  return out;
}

/** Which networks can take a rendition, and why not. */
export function networkFit(f: RenditionFacts): NetworkFit {
  const video = f.mime.startsWith('video/');
  const fit: NetworkFit = {};
  for (const n of NETWORKS) {
    const reasons = video ? videoReasons(VIDEO_RULES[n]!, f) : imageReasons(IMAGE_RULES[n], f);
    fit[n] = { ok: reasons.length === 0, reasons };
  }
  return fit;
}
