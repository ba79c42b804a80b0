import { createHash, type Hash } from 'node:crypto';
import type http from 'node:http';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileStore } from '@tus/file-store';
import type { Upload } from '@tus/utils';

/** Uploads hashed at once at most; past it the oldest lose their running hash (and are re-read). */
const MAX_RUNNING = 1000;

/**
 * tus's FileStore, hashing the bytes as they arrive: at the end the SHA-256 is known without
 * reading the whole file again (a second full pass over up to 4 GB). Only while every byte went
 * through this process in order: a write that fails, starts at another offset, or lands on
 * another replica drops the running hash, and the finished upload is hashed from disk instead.
 */
export class HashingFileStore extends FileStore {
  private readonly running = new Map<string, { hash: Hash; offset: number }>();

  override async create(file: Upload): Promise<Upload> {
    const created = await super.create(file);
    this.running.set(file.id, { hash: createHash('sha256'), offset: 0 });
    if (this.running.size > MAX_RUNNING) this.running.delete(this.running.keys().next().value!);
    return created;
  }

  override async write(readable: http.IncomingMessage | Readable, id: string, offset: number): Promise<number> {
    const r = this.running.get(id);
    this.running.delete(id); // back only once this write has succeeded
    if (!r || r.offset !== offset) return super.write(readable, id, offset);
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        r.hash.update(chunk);
        done(null, chunk);
      },
    });
    // An aborted request errors `readable`; the pipeline passes that on, and the write fails.
    const [written] = await Promise.all([super.write(hashing, id, offset), pipeline(readable, hashing)]);
    this.running.set(id, { hash: r.hash, offset: written });
    return written;
  }

  /** The SHA-256 (hex) of an upload whose `size` bytes all arrived here in order; else undefined. */
  takeSha256(id: string, size: number): string | undefined {
    const r = this.running.get(id);
    this.running.delete(id);
    return r && r.offset === size ? r.hash.digest('hex') : undefined;
  }

  forgetHash(id: string): void {
    this.running.delete(id);
  }
}
