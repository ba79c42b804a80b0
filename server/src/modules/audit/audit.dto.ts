import { z } from 'zod';

export const AuditQuery = z.strictObject({
  action: z.string().min(1).max(100).optional().describe('Exact action, or a prefix ending in "*" (e.g. "auth.*")'),
  actorId: z.uuid().optional(),
  targetType: z.string().min(1).max(100).optional(),
  targetId: z.string().min(1).max(200).optional(),
  from: z.iso.datetime({ offset: true }).optional().describe('Inclusive lower bound on occurredAt'),
  to: z.iso.datetime({ offset: true }).optional().describe('Exclusive upper bound on occurredAt'),
  cursor: z.string().regex(/^[0-9]{1,18}$/, 'not a cursor from this API').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEventView = z.object({
  id: z.uuid(),
  no: z.number().int().describe('Insertion order, assigned at append; pages the list'),
  seq: z.number().int().nullable().describe('Place in the hash chain; null until the sequencer chains the event (within about a second)'),
  occurredAt: z.string(),
  actorType: z.enum(['user', 'system']),
  actorId: z.uuid().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  correlationId: z.string().nullable(),
  hash: z.string().nullable(),
  prevHash: z.string().nullable(),
  contentHash: z.string().nullable().describe('sha256 of the canonical event, its transaction id and no; null for events chained before it existed'),
});

export const AuditPage = z.object({
  items: z.array(AuditEventView),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next (older) page'),
});

export const ChainReportView = z.object({
  valid: z.boolean(),
  checked: z.number().int().describe('Events whose links were checked before the first break, if any'),
  headSeq: z.number().int().optional(),
  headHash: z.string().optional(),
  pending: z.number().int().optional().describe('Events appended and checked but not chained yet'),
  brokenAt: z
    .object({
      seq: z.number().int().nullable().describe('null for an event not chained yet'),
      id: z.uuid().nullable(),
      reason: z.enum(['hash_mismatch', 'prev_hash_mismatch', 'sequence_gap', 'head_mismatch', 'out_of_order']),
    })
    .optional(),
});

const CheckpointView = z.object({
  org: z.uuid(),
  seq: z.number().int(),
  hash: z.string(),
  at: z.string(),
});

export const SignedCheckpointView = z.object({
  checkpoint: CheckpointView,
  jws: z.string().describe('Compact JWS (EdDSA) over the checkpoint; keep it outside Guddu'),
});

export const CheckpointBody = z.strictObject({
  jws: z.string().min(1).max(4000),
});
export type CheckpointBody = z.infer<typeof CheckpointBody>;

export const CheckpointCheckView = z.object({
  checkpoint: CheckpointView,
  signature: z.enum(['valid', 'unknown_key']),
  matches: z.boolean().describe('The chain still holds the checkpoint hash at its seq, and verifies'),
  chain: ChainReportView,
});
