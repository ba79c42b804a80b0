import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Upload } from '@tus/utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HashingFileStore } from './hashing-file-store.js';
import { RECEIVED_HEAD_BYTES } from './running-hashes.js';

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
    const received = store.hashes.take('a', bytes.length);
    expect(received?.sha256).toBe(sha(bytes));
    // The head for sniffing: the first RECEIVED_HEAD_BYTES, across the writes' chunks.
    expect(Buffer.from(received!.head).equals(bytes.subarray(0, RECEIVED_HEAD_BYTES))).toBe(true);
    expect(store.hashes.take('a', bytes.length)).toBeUndefined(); // taken once
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
    expect(store.hashes.take('b', bytes.length)?.sha256).toBeUndefined();

    await store.create(upload('c'));
    await store.write(Readable.from([bytes.subarray(0, 10)]), 'c', 0);
    await store.write(Readable.from([bytes.subarray(5)]), 'c', 5);
    expect(store.hashes.take('c', bytes.length)?.sha256).toBeUndefined();
  });

  it('has no hash for an upload that is not complete', async () => {
    await store.create(upload('d'));
    await store.write(Readable.from([bytes.subarray(0, 10)]), 'd', 0);
    expect(store.hashes.take('d', bytes.length)?.sha256).toBeUndefined();
  });
});
