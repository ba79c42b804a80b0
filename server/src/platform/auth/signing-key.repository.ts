import { Injectable } from '@nestjs/common';
import type { ColumnType } from 'kysely';
import { Transactor } from '../database/transactor.js';

export interface SigningKeysTable {
  kid: string;
  algorithm: string;
  public_jwk: ColumnType<Record<string, unknown>, string, string>;
  private_key_sealed: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  retired_at: Date | null;
}

declare module '../database/database.types.js' {
  interface Database {
    signing_keys: SigningKeysTable;
  }
}

export interface SigningKeyRow {
  kid: string;
  algorithm: string;
  publicJwk: Record<string, unknown>;
  privateKeySealed: string;
  createdAt: Date;
  retiredAt: Date | null;
}

@Injectable()
export class SigningKeyRepository {
  constructor(private readonly tx: Transactor) {}

  /** Keys still accepted for verification, newest first. */
  async findUsable(now: Date): Promise<SigningKeyRow[]> {
    const rows = await this.tx
      .current()
      .selectFrom('signing_keys')
      .selectAll()
      .where((eb) => eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', now)]))
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((r) => ({
      kid: r.kid,
      algorithm: r.algorithm,
      publicJwk: r.public_jwk,
      privateKeySealed: r.private_key_sealed,
      createdAt: r.created_at,
      retiredAt: r.retired_at,
    }));
  }

  /** Every key with its sealed private half, for re-sealing under a new secret key. */
  async allSealed(): Promise<{ kid: string; sealed: string }[]> {
    const rows = await this.tx.current().selectFrom('signing_keys').select(['kid', 'private_key_sealed']).execute();
    return rows.map((r) => ({ kid: r.kid, sealed: r.private_key_sealed }));
  }

  async reseal(kid: string, sealed: string): Promise<void> {
    await this.tx.current().updateTable('signing_keys').set({ private_key_sealed: sealed }).where('kid', '=', kid).execute();
  }

  async insert(key: { kid: string; algorithm: string; publicJwk: object; privateKeySealed: string; createdAt: Date }) {
    await this.tx
      .current()
      .insertInto('signing_keys')
      .values({
        kid: key.kid,
        algorithm: key.algorithm,
        public_jwk: JSON.stringify(key.publicJwk),
        private_key_sealed: key.privateKeySealed,
        created_at: key.createdAt,
        retired_at: null,
      })
      .execute();
  }

  /** Older keys stay valid for verification until `retireAt` so issued tokens keep working. */
  async retireAllExcept(kid: string, retireAt: Date): Promise<void> {
    await this.tx
      .current()
      .updateTable('signing_keys')
      .set({ retired_at: retireAt })
      .where('kid', '!=', kid)
      .where('retired_at', 'is', null)
      .execute();
  }
}
