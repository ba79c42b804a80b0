import { Injectable } from '@nestjs/common';
import { CompactSign, compactVerify, decodeProtectedHeader, errors as joseErrors } from 'jose';
import { KeyStore } from '../../platform/auth/key-store.js';
import { platformError } from '../../platform/errors/app-error.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService, type ChainReport } from './audit.service.js';

export const CHECKPOINT_TYPE = 'guddu-audit-checkpoint+jws';

export interface Checkpoint {
  org: string;
  seq: number;
  hash: string;
  /** When it was signed, ISO 8601. */
  at: string;
}

export interface CheckpointCheck {
  checkpoint: Checkpoint;
  /** `unknown_key`: signed with a key this server no longer holds; the chain is still compared. */
  signature: 'valid' | 'unknown_key';
  /** The chain still holds the checkpoint's hash at its seq (and the chain verifies). */
  matches: boolean;
  chain: ChainReport;
}

const enc = new TextEncoder();

/**
 * Signed checkpoints of an organisation's chain head (decision 0009): an operator keeps them
 * outside the database; later, a chain rewritten wholesale (by someone able to bypass the
 * triggers) no longer holds the hash a checkpoint recorded at its seq. Signed with the access-
 * token keys (Ed25519), so the public half is in the JWKS an operator can also keep.
 */
@Injectable()
export class AuditCheckpoints {
  constructor(
    private readonly keys: KeyStore,
    private readonly repo: AuditRepository,
    private readonly audit: AuditService,
  ) {}

  /** The current head, signed. Run inside the organisation's tenant transaction. */
  async sign(orgId: string): Promise<{ checkpoint: Checkpoint; jws: string }> {
    const head = await this.repo.head(orgId);
    const checkpoint: Checkpoint = { org: orgId, seq: head?.seq ?? 0, hash: head?.hash ?? '0'.repeat(64), at: new Date().toISOString() };
    const { kid, key } = this.keys.signingKey();
    const jws = await new CompactSign(enc.encode(JSON.stringify(checkpoint)))
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: CHECKPOINT_TYPE })
      .sign(key);
    return { checkpoint, jws };
  }

  /** Checks a checkpoint's signature and that the organisation's chain still holds it. */
  async check(orgId: string, jws: string): Promise<CheckpointCheck> {
    const { checkpoint, signature } = await this.open(jws);
    if (checkpoint.org !== orgId) throw platformError('validation_failed', 'The checkpoint is for another organisation');
    const chain = await this.audit.verify(orgId);
    const link = checkpoint.seq === 0 ? undefined : await this.repo.chainSlice(orgId, checkpoint.seq - 1, 1);
    const held = checkpoint.seq === 0 ? checkpoint.hash === '0'.repeat(64) : link?.[0]?.seq === checkpoint.seq && link[0].hash === checkpoint.hash;
    return { checkpoint, signature, matches: held && chain.valid, chain };
  }

  private async open(jws: string): Promise<{ checkpoint: Checkpoint; signature: CheckpointCheck['signature'] }> {
    const invalid = () => platformError('validation_failed', 'Not a checkpoint signed by this server');
    let header;
    try {
      header = decodeProtectedHeader(jws);
    } catch {
      throw invalid();
    }
    if (header.typ !== CHECKPOINT_TYPE || header.alg !== 'EdDSA' || typeof header.kid !== 'string') throw invalid();
    const key = await this.keys.verificationKey(header.kid);
    let payload: Uint8Array;
    let signature: CheckpointCheck['signature'] = 'valid';
    if (key) {
      try {
        payload = (await compactVerify(jws, key, { algorithms: ['EdDSA'] })).payload;
      } catch (err) {
        if (err instanceof joseErrors.JOSEError) throw invalid();
        throw err;
      }
    } else {
      // A retired key: the signature cannot be checked here, the chain still can.
      signature = 'unknown_key';
      payload = Buffer.from(jws.split('.')[1] ?? '', 'base64url');
    }
    return { checkpoint: parseCheckpoint(payload, invalid), signature };
  }
}

function parseCheckpoint(payload: Uint8Array, invalid: () => Error): Checkpoint {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    throw invalid();
  }
  const c = value as Partial<Checkpoint> | null;
  if (
    !c ||
    typeof c.org !== 'string' ||
    typeof c.hash !== 'string' ||
    !/^[0-9a-f]{64}$/.test(c.hash) ||
    typeof c.seq !== 'number' ||
    !Number.isInteger(c.seq) ||
    c.seq < 0 ||
    typeof c.at !== 'string'
  ) {
    throw invalid();
  }
  return { org: c.org, seq: c.seq, hash: c.hash, at: c.at };
}
