import { Injectable } from '@nestjs/common';
import { Transactor } from '../../platform/database/transactor.js';
import type { WebauthnPurpose } from './identity.tables.js';
import './identity.tables.js';

/** What a ceremony's challenge was issued for; a claim must name the same binding. */
export interface CeremonyBinding {
  purpose: WebauthnPurpose;
  userId?: string | undefined;
  sessionId?: string | undefined;
  mfaChallengeId?: string | undefined;
}

/**
 * WebAuthn challenges in flight, stored as SHA-256 (the browser echoes the challenge in its
 * signed client data; the hash is all we need to find it). System table: bypass transactions only.
 */
@Injectable()
export class WebauthnChallengesRepository {
  constructor(private readonly tx: Transactor) {}

  async create(challengeHash: Buffer, binding: CeremonyBinding, expiresAt: Date): Promise<void> {
    const trx = this.tx.current();
    // Old ceremonies are worth nothing; each new one clears what has expired.
    await trx.deleteFrom('webauthn_challenges').where('expires_at', '<', new Date()).execute();
    await trx
      .insertInto('webauthn_challenges')
      .values({
        challenge_hash: challengeHash,
        purpose: binding.purpose,
        user_id: binding.userId ?? null,
        session_id: binding.sessionId ?? null,
        mfa_challenge_id: binding.mfaChallengeId ?? null,
        expires_at: expiresAt,
      })
      .execute();
  }

  /**
   * Spends the challenge if it is live and was issued for exactly this binding: true for one
   * caller only, so a replayed assertion finds it spent. Spent before the signature is checked:
   * a failed ceremony starts again with a new challenge.
   */
  async claim(challengeHash: Buffer, binding: CeremonyBinding): Promise<boolean> {
    let q = this.tx
      .current()
      .updateTable('webauthn_challenges')
      .set({ used_at: new Date() })
      .where('challenge_hash', '=', challengeHash)
      .where('purpose', '=', binding.purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', new Date());
    q = binding.userId ? q.where('user_id', '=', binding.userId) : q.where('user_id', 'is', null);
    q = binding.sessionId ? q.where('session_id', '=', binding.sessionId) : q.where('session_id', 'is', null);
    q = binding.mfaChallengeId ? q.where('mfa_challenge_id', '=', binding.mfaChallengeId) : q.where('mfa_challenge_id', 'is', null);
    const r = await q.executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }
}
