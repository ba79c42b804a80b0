import { createHash, type Hash } from 'node:crypto';
import type http from 'node:http';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Uploads hashed at once at most; past it the oldest lose their running hash (and are re-read). */
const MAX_RUNNING = 1000;

/** Bytes kept from the start of an upload: enough for file-type to recognise every format we take. */
export const RECEIVED_HEAD_BYTES = 4100;

/** What the store saw of a finished upload: its SHA-256 (hex) and its first bytes. */
export interface Received {
  sha256: string;
  head: Uint8Array;
}

interface Running {
  hash: Hash;
  offset: number;
  head: Buffer[];
  headLength: number;
}

/**
 * The SHA-256 and the head of each upload, computed as its bytes pass through a tus store, so a
 * finished upload need not be read again (a second pass over up to 4 GB, from disk or from S3).
 * Only while every byte went through this process in order: a write that fails, starts at another
 * offset, or lands on another replica (or after a restart) drops the running hash, and the
 * finished upload is then hashed by streaming the stored object.
 */
export class RunningHashes {
  private readonly running = new Map<string, Running>();

  start(id: string): void {
    this.running.set(id, { hash: createHash('sha256'), offset: 0, head: [], headLength: 0 });
    if (this.running.size > MAX_RUNNING) this.running.delete(this.running.keys().next().value!);
  }

  /**
   * Runs one store write over the request's bytes, hashing them on the way when this write
   * continues the running hash; otherwise the write runs as it would have.
   */
  async through(id: string, offset: number, readable: http.IncomingMessage | Readable, write: (source: Readable) => Promise<number>): Promise<number> {
    const r = this.running.get(id);
    this.running.delete(id); // back only once this write has succeeded
    if (!r || r.offset !== offset) return write(readable);
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        r.hash.update(chunk);
        if (r.headLength < RECEIVED_HEAD_BYTES) {
          const part = chunk.subarray(0, RECEIVED_HEAD_BYTES - r.headLength);
          r.head.push(Buffer.from(part));
          r.headLength += part.length;
        }
        done(null, chunk);
      },
    });
    // An aborted request errors `readable`; the pipeline passes that on, and the write fails.
    const [written] = await Promise.all([write(hashing), pipeline(readable, hashing)]);
    this.running.set(id, { ...r, offset: written });
    return written;
  }

  /** What arrived of an upload whose `size` bytes all came through here in order; else undefined. Taken once. */
  take(id: string, size: number): Received | undefined {
    const r = this.running.get(id);
    this.running.delete(id);
    return r && r.offset === size ? { sha256: r.hash.digest('hex'), head: new Uint8Array(Buffer.concat(r.head)) } : undefined;
  }

  forget(id: string): void {
    this.running.delete(id);
  }
}
