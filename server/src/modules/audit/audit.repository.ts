import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import type { AuditRecord } from './audit.canonical.js';
import './audit.tables.js';

export interface AuditEventRow extends AuditRecord {
  seq: number;
  prevHash: string;
  hash: string;
}

export interface AuditFilter {
  action?: string | undefined;
  actionPrefix?: string | undefined;
  actorId?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  beforeSeq?: number | undefined;
}

type Row = {
  id: string;
  org_id: string;
  seq: number;
  occurred_at: Date;
  actor_type: 'user' | 'system';
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  user_agent: string | null;
  correlation_id: string | null;
  prev_hash: string;
  hash: string;
};

function toEvent(r: Row): AuditEventRow {
  return {
    id: r.id,
    orgId: r.org_id,
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
  };
}

@Injectable()
export class AuditRepository {
  constructor(private readonly tx: Transactor) {}

  /** Appends to the organisation's chain (see guddu_audit_append); returns the sequence number. */
  async append(record: AuditRecord, canonical: string): Promise<number> {
    const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
    const { rows } = await sql<{ seq: number }>`
      SELECT guddu_audit_append(${record.id}::uuid, ${record.orgId}::uuid, ${record.occurredAt}::timestamptz,
        ${record.actorType}, ${record.actorId}::uuid, ${record.action}, ${record.targetType}, ${record.targetId},
        ${json(record.before)}::jsonb, ${json(record.after)}::jsonb, ${record.ip}, ${record.userAgent},
        ${record.correlationId}, ${canonical}) AS seq`.execute(this.tx.current());
    return rows[0]!.seq;
  }

  /** Newest first, keyset-paginated on seq. */
  async list(orgId: string, filter: AuditFilter, limit: number): Promise<AuditEventRow[]> {
    let q = this.tx.current().selectFrom('audit_events').selectAll().where('org_id', '=', orgId);
    if (filter.action) q = q.where('action', '=', filter.action);
    if (filter.actionPrefix) q = q.where('action', 'like', `${filter.actionPrefix.replace(/[\\%_]/g, '\\$&')}%`);
    if (filter.actorId) q = q.where('actor_id', '=', filter.actorId);
    if (filter.targetType) q = q.where('target_type', '=', filter.targetType);
    if (filter.targetId) q = q.where('target_id', '=', filter.targetId);
    if (filter.from) q = q.where('occurred_at', '>=', filter.from);
    if (filter.to) q = q.where('occurred_at', '<', filter.to);
    if (filter.beforeSeq !== undefined) q = q.where('seq', '<', filter.beforeSeq);
    const rows = await q.orderBy('seq', 'desc').limit(limit).execute();
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

  async head(orgId: string): Promise<{ seq: number; hash: string } | undefined> {
    return this.tx
      .current()
      .selectFrom('audit_chain_heads')
      .select(['seq', 'hash'])
      .where('org_id', '=', orgId)
      .executeTakeFirst();
  }
}
