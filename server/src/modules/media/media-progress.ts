import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { Transactor, type TenantScope } from '../../platform/database/transactor.js';
import { MediaRepository } from './media.repository.js';

const POLL_MS = 500;
const HEARTBEAT_MS = 15_000;
const MAX_STREAM_MS = 3 * 3600_000;

/**
 * Stage and percentage of an asset's processing as server-sent events. Workers write progress
 * to the asset row (any replica may run the job), so the stream reads it back: one small
 * indexed read every half second per watcher, each in its own short tenant transaction, never a
 * transaction held open for the stream's life. The stream ends with the final state.
 */
@Injectable()
export class MediaProgress {
  constructor(
    private readonly repo: MediaRepository,
    private readonly tx: Transactor,
  ) {}

  stream(scope: TenantScope, assetId: string): Readable {
    const out = new Readable({ read() {} });
    let closed = false;
    out.on('close', () => (closed = true));
    const started = Date.now();
    void (async () => {
      let last = '';
      let lastSent = 0;
      try {
        while (!closed && Date.now() - started < MAX_STREAM_MS) {
          const a = await this.tx.inTenant(scope, () => this.repo.find(assetId));
          if (!a) break;
          const state = JSON.stringify({ assetId, status: a.status, stage: a.stage, progress: Math.round(a.progress * 10) / 10, failure: a.failure });
          if (state !== last) {
            out.push(`event: progress\ndata: ${state}\n\n`);
            last = state;
            lastSent = Date.now();
          } else if (Date.now() - lastSent > HEARTBEAT_MS) {
            out.push(': still working\n\n');
            lastSent = Date.now();
          }
          if (a.status !== 'processing') break;
          await sleep(POLL_MS);
        }
      } catch (err) {
        out.push(`event: error\ndata: ${JSON.stringify({ message: (err as Error).message.slice(0, 200) })}\n\n`);
      }
      if (!closed) out.push(null);
    })();
    return out;
  }
}
