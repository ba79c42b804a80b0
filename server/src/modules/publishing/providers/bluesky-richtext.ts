import { createHash } from 'node:crypto';
import twitterText from 'twitter-text';

/**
 * Bluesky's servers detect nothing in text: a link is clickable only through a facet, whose
 * range is in UTF-8 bytes (JS strings index UTF-16 units, so every offset is re-encoded).
 */
export interface LinkFacet {
  index: { byteStart: number; byteEnd: number };
  features: [{ $type: 'app.bsky.richtext.facet#link'; uri: string }];
}

const utf8 = new TextEncoder();
const bytes = (s: string) => utf8.encode(s).byteLength;

export function linkFacets(text: string): LinkFacet[] {
  return twitterText.extractUrlsWithIndices(text).map(({ url, indices: [start, end] }) => ({
    index: { byteStart: bytes(text.slice(0, start)), byteEnd: bytes(text.slice(0, end)) },
    // A facet needs a complete URI; text may show "example.org/x" without its scheme.
    features: [{ $type: 'app.bsky.richtext.facet#link', uri: /^https?:\/\//i.test(url) ? url : `https://${url}` }],
  }));
}

const B32_SORTABLE = '234567abcdefghijklmnopqrstuvwxyz';

/**
 * A record key (TID syntax: 13 base32-sortable characters, top bit clear) derived from the
 * delivery's idempotency key: every attempt of one delivery writes the same record, and the
 * PDS refuses a second create at that key, so a retry cannot duplicate the post.
 */
export function recordKeyFor(idempotencyKey: string): string {
  const digest = createHash('sha256').update(`guddu:bluesky:${idempotencyKey}`).digest();
  let value = digest.readBigUInt64BE(0) & ((1n << 63n) - 1n);
  let out = '';
  for (let i = 0; i < 13; i += 1) {
    out = B32_SORTABLE[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}
