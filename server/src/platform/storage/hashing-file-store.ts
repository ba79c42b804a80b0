import type http from 'node:http';
import type { Readable } from 'node:stream';
import { FileStore } from '@tus/file-store';
import type { Upload } from '@tus/utils';
import { RunningHashes } from './running-hashes.js';

/** tus's FileStore, hashing the bytes as they arrive (see RunningHashes). */
export class HashingFileStore extends FileStore {
  readonly hashes = new RunningHashes();

  override async create(file: Upload): Promise<Upload> {
    const created = await super.create(file);
    this.hashes.start(file.id);
    return created;
  }

  override write(readable: http.IncomingMessage | Readable, id: string, offset: number): Promise<number> {
    return this.hashes.through(id, offset, readable, (source) => super.write(source, id, offset));
  }
}
