import { createHash, randomBytes } from 'node:crypto';

// Opaque ids in each network's real format, so adapters cannot take shortcuts (contract §0.1).

let sequence = 0;

/** A 19-digit numeric id, snowflake-like: grows with time, unique within the process. */
export function snowflake(nowMs: number): string {
  sequence = (sequence + 1) % 4096;
  const value = (BigInt(nowMs - 1288834974657) << 22n) | BigInt(sequence);
  return value.toString();
}

/** A shorter numeric id (Graph API object ids, Mastodon ids). */
export function numericId(nowMs: number, digits = 17): string {
  return snowflake(nowMs).slice(-digits).replace(/^0+/, '1');
}

export function randomToken(prefix: string, bytes = 24): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

const B32_SORTABLE = '234567abcdefghijklmnopqrstuvwxyz';
let lastTidMicros = 0;

/** An AT Protocol TID: 13 base32-sortable characters (53-bit microseconds + 10-bit clock id). */
export function tid(nowMs: number): string {
  let micros = nowMs * 1000;
  if (micros <= lastTidMicros) micros = lastTidMicros + 1;
  lastTidMicros = micros;
  let value = (BigInt(micros) << 10n) | BigInt(Math.floor(Math.random() * 1024));
  let out = '';
  for (let i = 0; i < 13; i += 1) {
    out = B32_SORTABLE[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

/**
 * A TID that is the same on every read of the same thing (an audience reply's record key):
 * `tid()` moves forward on every call, so a reply read twice would look like two replies.
 */
export function stableTid(nowMs: number, key: string): string {
  const h = createHash('sha256').update(key).digest();
  let value = (BigInt(nowMs * 1000 + (h.readUInt16BE(0) % 1000)) << 10n) | BigInt(h.readUInt16BE(2) % 1024);
  let out = '';
  for (let i = 0; i < 13; i += 1) {
    out = B32_SORTABLE[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

export const TID_PATTERN = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;

/** A CID-looking content hash (base32 "bafyrei..." for records, "bafkrei..." for blobs). */
export function cid(content: Buffer | string, kind: 'record' | 'blob' = 'record'): string {
  const digest = createHash('sha256').update(content).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += 'abcdefghijklmnopqrstuvwxyz234567'[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return `${kind === 'record' ? 'bafyrei' : 'bafkrei'}${out.slice(0, 52)}`;
}

/** YouTube video ids: 11 URL-safe base64 characters. */
export function youtubeId(): string {
  return randomBytes(8).toString('base64url').slice(0, 11);
}

/** SHA-256 of bytes, hex: how the ledger names the media a post carries. */
export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
