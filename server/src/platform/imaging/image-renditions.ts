import { join } from 'node:path';
import { encode } from 'blurhash';
import sharp from 'sharp';

/**
 * Biggest picture we decode: 100 megapixels (a 12,000 x 8,000 scan). A "decompression bomb"
 * (a small PNG that inflates to gigapixels) is refused before its pixels are allocated.
 */
export const MAX_INPUT_PIXELS = 100_000_000;

export interface ImageTarget {
  name: string;
  /** Exact output frame; the crop centres on the focal point. Omitted: keep the aspect, fit `width`. */
  width: number;
  height?: number;
  format: 'jpeg' | 'webp' | 'avif';
}

/** Feed square and portrait, story, link preview (the networks' preferred sizes), and console previews. */
export const IMAGE_TARGETS: ImageTarget[] = [
  { name: 'square', width: 1080, height: 1080, format: 'jpeg' },
  { name: 'portrait_4_5', width: 1080, height: 1350, format: 'jpeg' },
  { name: 'story_9_16', width: 1080, height: 1920, format: 'jpeg' },
  { name: 'link_1_91', width: 1200, height: 628, format: 'jpeg' },
  { name: 'console_webp', width: 1024, format: 'webp' },
  { name: 'console_avif', width: 1024, format: 'avif' },
];

export interface ImageOutput {
  name: string;
  path: string;
  mime: string;
  width: number;
  height: number;
  bytes: number;
}

export interface ImageFacts {
  /** Upright size (after EXIF orientation). */
  width: number;
  height: number;
  blurhash: string;
  dominantColor: string;
}

export class ImageInputError extends Error {
  override name = 'ImageInputError';
}

const MIME = { jpeg: 'image/jpeg', webp: 'image/webp', avif: 'image/avif' } as const;

function open(input: string) {
  // failOn 'error': a truncated or corrupt file is refused rather than half decoded.
  return sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', sequentialRead: true });
}

/** Upright size, placeholder hash and dominant colour; refuses what sharp cannot or must not decode. */
export async function describeImage(input: string): Promise<ImageFacts> {
  try {
    const meta = await open(input).metadata();
    if (!meta.width || !meta.height) throw new ImageInputError('the file is not a picture we can read');
    if (meta.width * meta.height > MAX_INPUT_PIXELS) throw new ImageInputError(`the picture is too large to process (${meta.width}x${meta.height}, over ${MAX_INPUT_PIXELS / 1e6} megapixels)`);
    const swap = (meta.orientation ?? 1) >= 5;
    const [width, height] = swap ? [meta.height, meta.width] : [meta.width, meta.height];
    const { data, info } = await open(input).rotate().resize(32, 32, { fit: 'inside' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const blurhash = encode(new Uint8ClampedArray(data), info.width, info.height, 4, 3);
    const { dominant } = await open(input).stats();
    const hex = (n: number) => n.toString(16).padStart(2, '0');
    return { width, height, blurhash, dominantColor: `#${hex(dominant.r)}${hex(dominant.g)}${hex(dominant.b)}` };
  } catch (err) {
    if (err instanceof ImageInputError) throw err;
    throw new ImageInputError(humanSharpError(err as Error), { cause: err });
  }
}

/** The crop window of `target`'s aspect inside a w x h picture, centred on the focal point as far as the edges allow. */
export function focalCrop(w: number, h: number, aspect: number, fx: number, fy: number) {
  if (w / h > aspect) {
    const cw = Math.max(1, Math.round(h * aspect));
    const left = Math.min(Math.max(Math.round(fx * w - cw / 2), 0), w - cw);
    return { left, top: 0, width: cw, height: h };
  }
  const ch = Math.max(1, Math.round(w / aspect));
  const top = Math.min(Math.max(Math.round(fy * h - ch / 2), 0), h - ch);
  return { left: 0, top, width: w, height: ch };
}

/**
 * Every rendition of one picture, written into `dir`. EXIF orientation is applied (pixels turned
 * upright) and metadata is not copied: location never leaves, and with `keepMetadata` only the
 * colour profile and the credit/copyright the officer entered are written. Never enlarges.
 */
export async function renderImages(
  input: string,
  dir: string,
  opts: { facts: ImageFacts; focal: { x: number; y: number }; keepMetadata: boolean; credit: string; copyright: string; targets?: ImageTarget[] },
): Promise<ImageOutput[]> {
  const { width: w, height: h } = opts.facts;
  // Decode once (upright); each target works from the same pixels.
  const upright = await open(input).rotate().toBuffer({ resolveWithObject: false }).catch((err: Error) => {
    throw new ImageInputError(humanSharpError(err), { cause: err });
  });
  const outputs: ImageOutput[] = [];
  for (const t of opts.targets ?? IMAGE_TARGETS) {
    let img = sharp(upright, { limitInputPixels: MAX_INPUT_PIXELS });
    if (t.height) {
      const crop = focalCrop(w, h, t.width / t.height, opts.focal.x, opts.focal.y);
      img = img.extract(crop).resize({ width: Math.min(t.width, crop.width), height: Math.min(t.height, crop.height), fit: 'fill' });
    } else {
      img = img.resize({ width: t.width, withoutEnlargement: true });
    }
    if (opts.keepMetadata) {
      img = img.keepIccProfile().withExif({ IFD0: { ...(opts.credit ? { Artist: opts.credit } : {}), ...(opts.copyright ? { Copyright: opts.copyright } : {}) } });
    }
    img = t.format === 'jpeg' ? img.jpeg({ quality: 85, mozjpeg: true }) : t.format === 'webp' ? img.webp({ quality: 80 }) : img.avif({ quality: 50, effort: 2 });
    const path = join(dir, `${t.name}.${t.format === 'jpeg' ? 'jpg' : t.format}`);
    const info = await img.toFile(path);
    outputs.push({ name: t.name, path, mime: MIME[t.format], width: info.width, height: info.height, bytes: info.size });
  }
  return outputs;
}

function humanSharpError(err: Error): string {
  const m = err.message;
  if (/pixel limit/i.test(m)) return `the picture is too large to process (over ${MAX_INPUT_PIXELS / 1e6} megapixels)`;
  if (/unsupported image format/i.test(m)) return 'the file is not a picture we can read';
  return `the picture could not be read (${m.slice(0, 160)})`;
}
