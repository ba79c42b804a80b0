import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import './identity.tables.js';

export interface TotpFactor {
  secretSealed: string;
  confirmedAt: Date | null;
  lastUsedStep: number | null;
}

/**
 * A user's second factors: the TOTP secret (sealed) and the recovery codes (SHA-256). Rows are
 * the user's own under row-level security; sign-in reads them in a bypass transaction.
 */
@Injectable()
export class FactorsRepository {
  constructor(private readonly tx: Transactor) {}

  /** Every TOTP secret, locked, for re-sealing under a new key. Bypass only. */
  async allTotpSealed(): Promise<{ user_id: string; secret_sealed: string }[]> {
    return this.tx.current().selectFrom('mfa_totp').select(['user_id', 'secret_sealed']).forUpdate().execute();
  }

  async resealTotp(userId: string, secretSealed: string): Promise<void> {
    await this.tx.current().updateTable('mfa_totp').set({ secret_sealed: secretSealed }).where('user_id', '=', userId).execute();
  }

  async findTotp(userId: string, opts: { forUpdate?: boolean } = {}): Promise<TotpFactor | undefined> {
    let q = this.tx
      .current()
      .selectFrom('mfa_totp')
      .select(['secret_sealed', 'confirmed_at', 'last_used_step'])
      .where('user_id', '=', userId);
    // Two codes checked at once must not both pass the replay check.
    if (opts.forUpdate) q = q.forUpdate();
    const row = await q.executeTakeFirst();
    return row && { secretSealed: row.secret_sealed, confirmedAt: row.confirmed_at, lastUsedStep: row.last_used_step === null ? null : Number(row.last_used_step) };
  }

  /** A new, unconfirmed secret; replaces an earlier unconfirmed one. */
  async putPendingTotp(userId: string, secretSealed: string): Promise<void> {
    await this.tx
      .current()
      .insertInto('mfa_totp')
      .values({ user_id: userId, secret_sealed: secretSealed })
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet({ secret_sealed: secretSealed, last_used_step: null }).where('mfa_totp.confirmed_at', 'is', null),
      )
      .execute();
  }

  async confirmTotp(userId: string, step: number): Promise<void> {
    await this.tx.current().updateTable('mfa_totp').set({ confirmed_at: new Date(), last_used_step: step }).where('user_id', '=', userId).execute();
  }

  async recordTotpStep(userId: string, step: number): Promise<void> {
    await this.tx.current().updateTable('mfa_totp').set({ last_used_step: step }).where('user_id', '=', userId).execute();
  }

  async replaceRecoveryCodes(userId: string, hashes: Buffer[]): Promise<void> {
    const trx = this.tx.current();
    await trx.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
    await trx
      .insertInto('mfa_recovery_codes')
      .values(hashes.map((code_hash) => ({ user_id: userId, code_hash })))
      .execute();
  }

  /** Spends a recovery code: true for exactly one of any number of concurrent uses. */
  async spendRecoveryCode(userId: string, hash: Buffer): Promise<boolean> {
    const r = await this.tx
      .current()
      .updateTable('mfa_recovery_codes')
      .set({ used_at: new Date() })
      .where('user_id', '=', userId)
      .where('code_hash', '=', hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async countUnusedRecoveryCodes(userId: string): Promise<number> {
    const row = await this.tx
      .current()
      .selectFrom('mfa_recovery_codes')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Which factors a user has to show: a confirmed TOTP secret, and how many passkeys. */
  async enrolled(userId: string): Promise<{ totp: boolean; passkeys: number }> {
    const row = await this.tx
      .current()
      .selectNoFrom((eb) => [
        eb.exists(eb.selectFrom('mfa_totp').select('user_id').where('user_id', '=', userId).where('confirmed_at', 'is not', null)).as('totp'),
        eb.selectFrom('passkeys').select((k) => k.fn.countAll<string>().as('n')).where('user_id', '=', userId).as('passkeys'),
      ])
      .executeTakeFirstOrThrow();
    return { totp: Boolean(row.totp), passkeys: Number(row.passkeys ?? 0) };
  }

  /** Removes every factor of a member, passkeys too (an admin's reset: a security-definer function). */
  async resetAll(userId: string): Promise<boolean> {
    const { rows } = await sql<{ n: number }>`SELECT guddu_reset_user_factors(${userId}::uuid) AS n`.execute(this.tx.current());
    return (rows[0]?.n ?? 0) > 0;
  }
}
