import { Injectable } from '@nestjs/common';
import { sql, type Selectable } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import type { AuditRecord } from './audit.canonical.js';
import type { AuditEventsTable } from './audit.tables.js';
import './audit.tables.js';

/**
 * A stored event. `no`, `txid` and `contentHash` are set at append; `seq`, `prevHash` and
 * `hash` when the sequencer chains it (null until then). Events chained before migration 0008
 * have no txid or content hash: their link covers the canonical JSON directly.
 */
export interface AuditEventRow extends AuditRecord {
  no: number;
  txid: string | null;
  contentHash: string | null;
  seq: number | null;
  prevHash: string | null;
  hash: string | null;
  chainedAt: string | null;
}

export interface AuditFilter {
  action?: string | undefined;
  actionPrefix?: string | undefined;
  actorId?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  beforeNo?: number | undefined;
}

function toEvent(r: Selectable<AuditEventsTable>): AuditEventRow {
  return {
    id: r.id,
    orgId: r.org_id,
    no: r.no,
    txid: r.txid,
    contentHash: r.content_hash,
    seq: r.seq,
    occurredAt: r.occurred_at.toISOString(),
    actorType: r.actor_type,
    actorId: r.actor_id,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    before: r.before,
    after: r.after,
    ip: r.ip,
    userAgent: r.user_agent,
    correlationId: r.correlation_id,
    prevHash: r.prev_hash,
    hash: r.hash,
    chainedAt: r.chained_at?.toISOString() ?? null,
  };
}

@Injectable()
export class AuditRepository {
  constructor(private readonly tx: Transactor) {}

  /** Appends an unchained event (see guddu_audit_append); returns its insertion number. */
  async append(record: AuditRecord, canonical: string): Promise<number> {
    const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
    const { rows } = await sql<{ no: number }>`
      SELECT guddu_audit_append(${record.id}::uuid, ${record.orgId}::uuid, ${record.occurredAt}::timestamptz,
        ${record.actorType}, ${record.actorId}::uuid, ${record.action}, ${record.targetType}, ${record.targetId},
        ${json(record.before)}::jsonb, ${json(record.after)}::jsonb, ${record.ip}, ${record.userAgent},
        ${record.correlationId}, ${canonical}) AS no`.execute(this.tx.current());
    return rows[0]!.no;
  }

  /**
   * Chains up to `limit` committed events (guddu_audit_sequence); -1 when another sequencer
   * holds the lock. Must run outside any tenant (it is system work).
   */
  async sequence(limit: number): Promise<number> {
    const { rows } = await sql<{ n: number }>`SELECT guddu_audit_sequence(${limit}::int) AS n`.execute(this.tx.current());
    return rows[0]!.n;
  }

  /** Newest first by insertion number, keyset-paginated on it. */
  async list(orgId: string, filter: AuditFilter, limit: number): Promise<AuditEventRow[]> {
    let q = this.tx.current().selectFrom('audit_events').selectAll().where('org_id', '=', orgId);
    if (filter.action) q = q.where('action', '=', filter.action);
    if (filter.actionPrefix) q = q.where('action', 'like', `${filter.actionPrefix.replace(/[\\%_]/g, '\\$&')}%`);
    if (filter.actorId) q = q.where('actor_id', '=', filter.actorId);
    if (filter.targetType) q = q.where('target_type', '=', filter.targetType);
    if (filter.targetId) q = q.where('target_id', '=', filter.targetId);
    if (filter.from) q = q.where('occurred_at', '>=', filter.from);
    if (filter.to) q = q.where('occurred_at', '<', filter.to);
    if (filter.beforeNo !== undefined) q = q.where('no', '<', filter.beforeNo);
    const rows = await q.orderBy('no', 'desc').limit(limit).execute();
    return rows.map((r) => toEvent(r));
  }

  /** A slice of the chain in order, for verification. */
  async chainSlice(orgId: string, afterSeq: number, limit: number): Promise<AuditEventRow[]> {
    const rows = await this.tx
      .current()
      .selectFrom('audit_events')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('seq', '>', afterSeq)
      .orderBy('seq', 'asc')
      .limit(limit)
      .execute();
    return rows.map((r) => toEvent(r));
  }

  /** Events not chained yet, in the order the sequencer will chain them. */
  async unchainedSlice(orgId: string, after: { txid: string; no: number } | undefined, limit: number): Promise<AuditEventRow[]> {
    let q = this.tx.current().selectFrom('audit_events').selectAll().where('org_id', '=', orgId).where('hash', 'is', null);
    if (after) q = q.where(sql<boolean>`(txid, no) > (${after.txid}::xid8, ${after.no}::bigint)`);
    const rows = await q.orderBy('txid', 'asc').orderBy('no', 'asc').limit(limit).execute();
    return rows.map((r) => toEvent(r));
  }

  async head(orgId: string): Promise<{ seq: number; hash: string } | undefined> {
    return this.tx
      .current()
      .selectFrom('audit_chain_heads')
      .select(['seq', 'hash'])
      .where('org_id', '=', orgId)
      .executeTakeFirst();
  }
}
