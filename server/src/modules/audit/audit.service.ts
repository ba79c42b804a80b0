import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context.js';
import { canonicalJson, chainHash, GENESIS_HASH, redact, type AuditRecord } from './audit.canonical.js';
import { AuditRepository, type AuditEventRow, type AuditFilter } from './audit.repository.js';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  /** Defaults to the context's organisation. */
  orgId?: string;
}

export type ChainReport =
  | { valid: true; checked: number; headSeq: number }
  | {
      valid: false;
      checked: number;
      brokenAt: { seq: number; id: string | null; reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap' | 'head_mismatch' };
    };

const VERIFY_BATCH = 1000;

/**
 * The official record. `record` must be called inside the transaction of the change it
 * describes, so that the change and its audit event commit or fail together.
 */
@Injectable()
export class AuditService {
  constructor(private readonly repo: AuditRepository) {}

  async record(ctx: RequestContext, entry: AuditEntry): Promise<void> {
    const orgId = entry.orgId ?? ctx.orgId;
    if (!orgId) throw new Error(`audit ${entry.action}: no organisation`);
    const actor = ctx.actor;
    const record: AuditRecord = {
      id: randomUUID(),
      orgId,
      occurredAt: new Date().toISOString(),
      actorType: actor?.type ?? 'system',
      actorId: actor?.type === 'user' ? actor.id : null,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      before: entry.before === undefined ? null : redact(entry.before),
      after: entry.after === undefined ? null : redact(entry.after),
      ip: ctx.ip ?? null,
      userAgent: ctx.userAgent ?? null,
      correlationId: ctx.correlationId,
    };
    await this.repo.append(record, canonicalJson(record));
  }

  list(orgId: string, filter: AuditFilter, limit: number): Promise<AuditEventRow[]> {
    return this.repo.list(orgId, filter, limit);
  }

  /** Walks the whole chain and reports the first link that does not hold. */
  async verify(orgId: string): Promise<ChainReport> {
    let prev = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    for (;;) {
      const slice = await this.repo.chainSlice(orgId, expectedSeq - 1, VERIFY_BATCH);
      for (const event of slice) {
        if (event.seq !== expectedSeq) return broken(checked, expectedSeq, null, 'sequence_gap');
        if (event.prevHash !== prev) return broken(checked, event.seq, event.id, 'prev_hash_mismatch');
        const { seq: _s, prevHash: _p, hash: _h, ...fields } = event;
        if (chainHash(prev, event.seq, canonicalJson(fields)) !== event.hash) {
          return broken(checked, event.seq, event.id, 'hash_mismatch');
        }
        prev = event.hash;
        expectedSeq += 1;
        checked += 1;
      }
      if (slice.length < VERIFY_BATCH) break;
    }
    const head = await this.repo.head(orgId);
    const headSeq = head?.seq ?? 0;
    if (headSeq !== checked || (head && head.hash !== prev)) return broken(checked, checked + 1, null, 'head_mismatch');
    return { valid: true, checked, headSeq };
  }
}

function broken(
  checked: number,
  seq: number,
  id: string | null,
  reason: Extract<ChainReport, { valid: false }>['brokenAt']['reason'],
): ChainReport {
  return { valid: false, checked, brokenAt: { seq, id, reason } };
}

/** The canonical JSON the chain hashes; messages hash their content the same way, so it is shown here. */
export { canonicalJson } from './audit.canonical.js';
