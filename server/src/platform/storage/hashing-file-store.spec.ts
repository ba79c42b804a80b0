import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Upload } from '@tus/utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HashingFileStore } from './hashing-file-store.js';

/** What tus hands the store on creation (its Upload, as a plain object). */
const upload = (id: string) => ({ id, size: bytes.length, offset: 0, metadata: {} }) as unknown as Upload;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31) % 251));

describe('HashingFileStore', () => {
  let dir: string;
  let store: HashingFileStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'guddu-hashing-store-'));
    store = new HashingFileStore({ directory: dir });
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('knows the SHA-256 of an upload written in order, in several writes', async () => {
    await store.create(upload('a'));
    let offset = await store.write(Readable.from([bytes.subarray(0, 100_000)]), 'a', 0);
    offset = await store.write(Readable.from([bytes.subarray(100_000, 250_000), bytes.subarray(250_000)]), 'a', offset);
    expect(offset).toBe(bytes.length);
    expect((await readFile(join(dir, 'a'))).equals(bytes)).toBe(true);
    expect(store.takeSha256('a', bytes.length)).toBe(sha(bytes));
    expect(store.takeSha256('a', bytes.length)).toBeUndefined(); // taken once
  });

  it('gives up the running hash after a failed write or a write at another offset', async () => {
    await store.create(upload('b'));
    const failing = new Readable({
      read() {
        this.push(bytes.subarray(0, 1000));
        this.destroy(new Error('connection dropped'));
      },
    });
    await expect(store.write(failing, 'b', 0)).rejects.toBeDefined();
    await store.write(Readable.from([bytes]), 'b', 0);
    expect(store.takeSha256('b', bytes.length)).toBeUndefined();

    await store.create(upload('c'));
    await store.write(Readable.from([bytes.subarray(0, 10)]), 'c', 0);
    await store.write(Readable.from([bytes.subarray(5)]), 'c', 5);
    expect(store.takeSha256('c', bytes.length)).toBeUndefined();
  });

  it('has no hash for an upload that is not complete', async () => {
    await store.create(upload('d'));
    await store.write(Readable.from([bytes.subarray(0, 10)]), 'd', 0);
    expect(store.takeSha256('d', bytes.length)).toBeUndefined();
  });
});
