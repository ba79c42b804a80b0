import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import type { ByteRange, ObjectStorage } from '../../platform/storage/object-storage.js';
import { OBJECT_STORAGE } from '../../platform/storage/storage.factory.js';
import { MediaLinks } from './media-links.js';
import { mediaError } from './media.errors.js';

export interface Delivery {
  status: 200 | 206;
  headers: Record<string, string>;
  body: Readable;
}

/**
 * Serves a signed link: the whole object or one byte range (video players seek with ranges).
 * An object never changes under its key while the link lives, so the answer may be cached
 * privately for as long as the link is valid.
 */
@Injectable()
export class MediaDelivery {
  constructor(
    private readonly links: MediaLinks,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  async open(token: string, rangeHeader: string | undefined): Promise<Delivery> {
    const target = this.links.resolve(token);
    // Expired, forged and deleted all look alike to whoever holds the link.
    if (!target) throw mediaError('link_invalid', 'This download link is invalid or has expired');
    const size = await this.storage.size(target.storageKey);
    if (size === undefined) throw mediaError('link_invalid', 'This download link is invalid or has expired');
    const headers: Record<string, string> = {
      'content-type': target.mime,
      'accept-ranges': 'bytes',
      'cache-control': 'private, max-age=60',
      'x-content-type-options': 'nosniff',
      'content-disposition': 'inline',
    };
    const range = rangeHeader ? parseRange(rangeHeader, size) : undefined;
    if (range === 'unsatisfiable') {
      throw mediaError('range_not_satisfiable', 'The requested range is outside the file', { size }, { headers: { 'content-range': `bytes */${size}` } });
    }
    if (!range) return { status: 200, headers: { ...headers, 'content-length': String(size) }, body: await this.storage.read(target.storageKey) };
    return {
      status: 206,
      headers: { ...headers, 'content-length': String(range.end - range.start + 1), 'content-range': `bytes ${range.start}-${range.end}/${size}` },
      body: await this.storage.read(target.storageKey, range),
    };
  }
}

/**
 * One range of `bytes=a-b`, `bytes=a-` or `bytes=-n`. Several ranges are answered with the whole
 * object (allowed by RFC 9110; players ask for one).
 */
export function parseRange(header: string, size: number): ByteRange | 'unsatisfiable' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}
