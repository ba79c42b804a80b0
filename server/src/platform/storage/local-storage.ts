import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertKey, type ByteRange, type ObjectStorage } from './object-storage.js';

/** Objects as files under one directory (the embedded default: `GUDDU_DATA_DIR/media`). */
export class LocalStorage implements ObjectStorage {
  readonly kind = 'local';

  constructor(readonly root: string) {}

  pathOf(key: string): string {
    assertKey(key);
    return join(this.root, key);
  }

  async put(key: string, body: Readable | Buffer): Promise<void> {
    const target = this.pathOf(key);
    await this.atomically(target, async (tmp) => {
      await pipeline(Buffer.isBuffer(body) ? [body][Symbol.iterator]() : body, createWriteStream(tmp));
    });
  }

  async putFile(key: string, path: string): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    try {
      await rename(path, target);
    } catch (err) {
      // Another file system (a temp dir on tmpfs): copy under a temporary name, then rename.
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await this.atomically(target, (tmp) => copyFile(path, tmp));
      await rm(path, { force: true });
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const path = this.pathOf(key);
    // Open first, so a missing object fails here rather than on the first read of the stream.
    await stat(path);
    return createReadStream(path, range ? { start: range.start, end: range.end } : {});
  }

  async size(key: string): Promise<number | undefined> {
    try {
      return (await stat(this.pathOf(key))).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async download(key: string, path: string): Promise<void> {
    await copyFile(this.pathOf(key), path);
  }

  async localFile(key: string): Promise<string> {
    const path = this.pathOf(key);
    await stat(path); // a missing object fails here, not inside ffmpeg
    return path;
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async close(): Promise<void> {}

  private async atomically(target: string, write: (tmp: string) => Promise<void>): Promise<void> {
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.partial-${randomUUID()}`;
    try {
      await write(tmp);
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }
}
