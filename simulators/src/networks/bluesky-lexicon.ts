import { isRecord } from '../harness/http.js';
import { graphemeLength, utf8Length } from '../harness/text.js';

/**
 * The checks the PDS makes on an `app.bsky.feed.post` record (lexicons app/bsky/feed/post.json,
 * richtext/facet.json, embed/*.json). Returns the first problem in the PDS's wording, or nothing.
 */
export interface BlobInfo {
  mimeType: string;
  size: number;
}

export interface PostLimits {
  imageMaxBytes: number;
  thumbMaxBytes: number;
  videoMaxBytes: number;
}

type ResolveBlob = (ref: unknown) => BlobInfo | undefined;

const FACET_FEATURES = ['app.bsky.richtext.facet#link', 'app.bsky.richtext.facet#mention', 'app.bsky.richtext.facet#tag'];

export function validatePostRecord(record: Record<string, unknown>, resolveBlob: ResolveBlob, limits: PostLimits): string | undefined {
  if (record.$type !== undefined && record.$type !== 'app.bsky.feed.post') return 'Record/$type must be app.bsky.feed.post';
  const text = record.text ?? '';
  if (typeof text !== 'string') return 'Record/text must be a string';
  if (graphemeLength(text) > 300) return 'Record/text must not be longer than 300 graphemes';
  if (utf8Length(text) > 3000) return 'Record/text must not be longer than 3000 characters';
  if (typeof record.createdAt !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(record.createdAt)) {
    return 'Record/createdAt must be an valid atproto datetime (both RFC-3339 and ISO-8601)';
  }
  if (text === '' && record.embed === undefined) return 'Record/text must not be empty without an embed';
  if (record.langs !== undefined && (!Array.isArray(record.langs) || record.langs.length > 3 || !record.langs.every((l) => typeof l === 'string'))) {
    return 'Record/langs must not have more than 3 elements';
  }
  if (record.tags !== undefined && (!Array.isArray(record.tags) || record.tags.length > 8)) return 'Record/tags must not have more than 8 elements';
  const facets = validateFacets(record.facets, utf8Length(text));
  if (facets) return facets;
  if (record.reply !== undefined) {
    if (!isRecord(record.reply) || !isStrongRef(record.reply.root) || !isStrongRef(record.reply.parent)) return 'Record/reply must have root and parent strong refs';
  }
  return record.embed === undefined ? undefined : validateEmbed(record.embed, resolveBlob, limits);
}

function validateFacets(facets: unknown, textBytes: number): string | undefined {
  if (facets === undefined) return undefined;
  if (!Array.isArray(facets)) return 'Record/facets must be an array';
  for (const [i, facet] of facets.entries()) {
    if (!isRecord(facet) || !isRecord(facet.index)) return `Record/facets/${i} must have the property "index"`;
    const { byteStart, byteEnd } = facet.index;
    if (!Number.isInteger(byteStart) || !Number.isInteger(byteEnd)) return `Record/facets/${i}/index must have integer byteStart and byteEnd`;
    if ((byteStart as number) < 0 || (byteEnd as number) < (byteStart as number) || (byteEnd as number) > textBytes) {
      return `Record/facets/${i}/index is outside the UTF-8 bytes of the text`;
    }
    if (!Array.isArray(facet.features) || facet.features.length === 0) return `Record/facets/${i}/features must not be empty`;
    for (const feature of facet.features) {
      if (!isRecord(feature) || typeof feature.$type !== 'string' || !FACET_FEATURES.includes(feature.$type)) return `Record/facets/${i}/features has an unknown feature type`;
      if (feature.$type.endsWith('#link') && (typeof feature.uri !== 'string' || !/^[a-z][a-z0-9+.-]*:\S+$/i.test(feature.uri))) return `Record/facets/${i}/features/uri must be a valid uri`;
      if (feature.$type.endsWith('#mention') && (typeof feature.did !== 'string' || !feature.did.startsWith('did:'))) return `Record/facets/${i}/features/did must be a valid did`;
      if (feature.$type.endsWith('#tag') && (typeof feature.tag !== 'string' || feature.tag.length === 0 || graphemeLength(feature.tag) > 64)) return `Record/facets/${i}/features/tag must be 1-64 graphemes`;
    }
  }
  return undefined;
}

function validateEmbed(embed: unknown, resolveBlob: ResolveBlob, limits: PostLimits): string | undefined {
  if (!isRecord(embed) || typeof embed.$type !== 'string') return 'Record/embed must be an object which includes the "$type" property';
  switch (embed.$type) {
    case 'app.bsky.embed.images': {
      if (!Array.isArray(embed.images) || embed.images.length === 0 || embed.images.length > 4) return 'Record/embed/images must have 1-4 elements';
      for (const [i, image] of embed.images.entries()) {
        if (!isRecord(image) || typeof image.alt !== 'string') return `Record/embed/images/${i} must have the property "alt"`;
        const problem = checkBlob(image.image, resolveBlob, 'image/', limits.imageMaxBytes, `Record/embed/images/${i}/image`);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'app.bsky.embed.video':
      return checkBlob(embed.video, resolveBlob, 'video/mp4', limits.videoMaxBytes, 'Record/embed/video');
    case 'app.bsky.embed.external': {
      if (!isRecord(embed.external) || typeof embed.external.uri !== 'string' || typeof embed.external.title !== 'string' || typeof embed.external.description !== 'string') {
        return 'Record/embed/external must have uri, title and description';
      }
      return embed.external.thumb === undefined ? undefined : checkBlob(embed.external.thumb, resolveBlob, 'image/', limits.thumbMaxBytes, 'Record/embed/external/thumb');
    }
    case 'app.bsky.embed.record':
      return isRecord(embed.record) && isStrongRef(embed.record) ? undefined : 'Record/embed/record must be a strong ref';
    case 'app.bsky.embed.recordWithMedia':
      if (!isRecord(embed.record) || !isRecord(embed.record.record) || !isStrongRef(embed.record.record)) return 'Record/embed/record must be a strong ref';
      return validateEmbed(embed.media, resolveBlob, limits);
    default:
      return `Record/embed $type ${embed.$type} is not one of the allowed embeds`;
  }
}

function checkBlob(ref: unknown, resolveBlob: ResolveBlob, mime: string, maxBytes: number, where: string): string | undefined {
  if (!isRecord(ref) || ref.$type !== 'blob') return `${where} should be a blob ref`;
  const blob = resolveBlob(ref);
  if (!blob) return `Could not find blob: ${isRecord(ref.ref) ? String(ref.ref.$link) : 'unknown'}`;
  if (!blob.mimeType.startsWith(mime)) return `${where} has the wrong mime type (${blob.mimeType})`;
  if (blob.size > maxBytes) return `${where} is too big (max ${maxBytes} bytes)`;
  return undefined;
}

function isStrongRef(value: unknown): boolean {
  return isRecord(value) && typeof value.uri === 'string' && value.uri.startsWith('at://') && typeof value.cid === 'string' && value.cid.length > 8;
}
