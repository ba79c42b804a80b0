import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Transactor } from '../../platform/database/transactor.js';
import type { RequestContext } from '../../platform/context/request-context.js';
import { canonicalJson, chainHash, contentHash, GENESIS_HASH, linkHash, redact, type AuditRecord } from './audit.canonical.js';
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

export type BreakReason = 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap' | 'head_mismatch' | 'out_of_order';

export type ChainReport =
  | { valid: true; checked: number; headSeq: number; headHash: string; pending: number }
  | {
      valid: false;
      checked: number;
      /** `seq` is null for an event that was not chained yet. */
      brokenAt: { seq: number | null; id: string | null; reason: BreakReason };
    };

const VERIFY_BATCH = 1000;
export const SEQUENCE_BATCH = 2000;

/**
 * The official record. `record` must be called inside the transaction of the change it
 * describes, so that the change and its audit event commit or fail together.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly repo: AuditRepository,
    private readonly tx: Transactor,
  ) {}

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
      after: withStepUp(entry.after === undefined ? null : redact(entry.after), ctx),
      ip: ctx.ip ?? null,
      userAgent: ctx.userAgent ?? null,
      correlationId: ctx.correlationId,
    };
    await this.repo.append(record, canonicalJson(record));
  }

  /**
   * Chains what has committed, batch after batch, until nothing is left below the horizon.
   * For the CLI and tests; servers run AuditSequencer's loop.
   */
  async chainCommitted(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.chainBatch();
      if (n < 0) {
        await new Promise((r) => setTimeout(r, 20)); // another sequencer is at work
        continue;
      }
      total += n;
      if (n < SEQUENCE_BATCH) return total;
    }
  }

  /** One batch in its own transaction: how many were chained, or -1 if another sequencer runs. */
  chainBatch(): Promise<number> {
    return this.tx.withTenantBypass('audit sequencer: chains every organisation', () => this.repo.sequence(SEQUENCE_BATCH));
  }

  list(orgId: string, filter: AuditFilter, limit: number): Promise<AuditEventRow[]> {
    return this.repo.list(orgId, filter, limit);
  }

  /**
   * Walks the chain, then the events not chained yet, and reports the first that does not hold:
   * a chained event whose fields, link or order were changed, a missing one (a gap in seq, or a
   * head that is not the last link), and an unchained event whose fields or place in the order
   * were changed since it was appended, or that sorts before what is already chained.
   */
  async verify(orgId: string): Promise<ChainReport> {
    let prev = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    let last: OrderKey | undefined;
    for (;;) {
      const slice = await this.repo.chainSlice(orgId, expectedSeq - 1, VERIFY_BATCH);
      for (const event of slice) {
        if (event.seq !== expectedSeq) return broken(checked, expectedSeq, null, 'sequence_gap');
        if (event.prevHash !== prev) return broken(checked, event.seq, event.id, 'prev_hash_mismatch');
        if (!linkHolds(event, prev)) return broken(checked, event.seq, event.id, 'hash_mismatch');
        const key = orderKey(event);
        if (key) {
          if (last && !isAfter(key, last)) return broken(checked, event.seq, event.id, 'out_of_order');
          last = key;
        }
        prev = event.hash!;
        expectedSeq += 1;
        checked += 1;
      }
      if (slice.length < VERIFY_BATCH) break;
    }
    const head = await this.repo.head(orgId);
    const headSeq = head?.seq ?? 0;
    if (headSeq !== checked || (head && head.hash !== prev)) return broken(checked, checked + 1, null, 'head_mismatch');
    let pending = 0;
    let after: OrderKey | undefined;
    for (;;) {
      const slice = await this.repo.unchainedSlice(orgId, after, VERIFY_BATCH);
      for (const event of slice) {
        if (!contentHolds(event)) return broken(checked, null, event.id, 'hash_mismatch');
        after = orderKey(event)!;
        if (last && !isAfter(after, last)) return broken(checked, null, event.id, 'out_of_order');
        pending += 1;
      }
      if (slice.length < VERIFY_BATCH) break;
    }
    return { valid: true, checked, headSeq, headHash: prev, pending };
  }
}

interface OrderKey {
  txid: string;
  no: number;
}

function orderKey(event: AuditEventRow): OrderKey | undefined {
  return event.txid === null ? undefined : { txid: event.txid, no: event.no };
}

function isAfter(a: OrderKey, b: OrderKey): boolean {
  const ta = BigInt(a.txid);
  const tb = BigInt(b.txid);
  return ta > tb || (ta === tb && a.no > b.no);
}

/** The fields the canonical JSON covers, whatever else the row carries. */
function recordOf(e: AuditEventRow): AuditRecord {
  return {
    id: e.id,
    orgId: e.orgId,
    occurredAt: e.occurredAt,
    actorType: e.actorType,
    actorId: e.actorId,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    before: e.before,
    after: e.after,
    ip: e.ip,
    userAgent: e.userAgent,
    correlationId: e.correlationId,
  };
}

/** The event's fields and order keys still give the content hash it was appended with. */
function contentHolds(e: AuditEventRow): boolean {
  return e.txid !== null && e.contentHash !== null && contentHash(canonicalJson(recordOf(e)), e.txid, e.no) === e.contentHash;
}

function linkHolds(e: AuditEventRow, prev: string): boolean {
  if (e.contentHash === null) return chainHash(prev, e.seq!, canonicalJson(recordOf(e))) === e.hash;
  return contentHolds(e) && linkHash(prev, e.seq!, e.contentHash) === e.hash;
}

function broken(checked: number, seq: number | null, id: string | null, reason: BreakReason): ChainReport {
  return { valid: false, checked, brokenAt: { seq, id, reason } };
}

/** The canonical JSON the chain hashes; messages hash their content the same way, so it is shown here. */
export { canonicalJson } from './audit.canonical.js';

/** A step-up action's record says which second factor allowed it, and when it was shown. */
function withStepUp(after: unknown, ctx: RequestContext): unknown {
  if (!ctx.stepUp) return after;
  const secondFactor = { method: ctx.stepUp.method, verifiedAt: ctx.stepUp.verifiedAt.toISOString() };
  if (after === null || typeof after !== 'object' || Array.isArray(after)) return { value: after, secondFactor };
  return { ...(after as Record<string, unknown>), secondFactor };
}
