import { createHash } from 'node:crypto';

/**
 * The hashed form of an audit event. Both writing and verifying build it from the same fields
 * with keys sorted at every depth, so the hash does not depend on how JSON was stored.
 */
export interface AuditRecord {
  id: string;
  orgId: string;
  occurredAt: string;
  actorType: 'user' | 'system';
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  userAgent: string | null;
  correlationId: string | null;
}

export const GENESIS_HASH = '0'.repeat(64);

export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Events chained before migration 0008: their link covers the canonical JSON directly, as
 * 0001's guddu_audit_append computed it: sha256(prev \n seq \n canonical).
 */
export function chainHash(prevHash: string, seq: number, canonical: string): string {
  return sha256(`${prevHash}\n${seq}\n${canonical}`);
}

/**
 * Must match guddu_audit_append() in 0008: the event's fields and its place in the sequencer's
 * order (transaction id, insertion number), fixed at append, before the event is chained.
 */
export function contentHash(canonical: string, txid: string, no: number): string {
  return sha256(`${canonical}\n${txid}\n${no}`);
}

/** Must match guddu_audit_sequence() in 0008: sha256(prev \n seq \n content hash). */
export function linkHash(prevHash: string, seq: number, content: string): string {
  return sha256(`${prevHash}\n${seq}\n${content}`);
}

const SECRET_KEY = /pass(word)?|secret|token|hash|private|credential|api[-_]?key/i;

/** Before/after snapshots never carry secrets, whatever a caller passes in. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redact(v)]),
    );
  }
  return value;
}
