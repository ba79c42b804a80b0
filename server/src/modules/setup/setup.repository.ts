import { Injectable } from '@nestjs/common';
import type { ColumnType } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';

export interface SetupStateTable {
  singleton: ColumnType<boolean, boolean | undefined, never>;
  token_hash: Buffer | null;
  completed_at: Date | null;
}

declare module '../../platform/database/database.types.js' {
  interface Database {
    setup_state: SetupStateTable;
  }
}

/** The one-row record of first-start setup. System table: bypass only. */
@Injectable()
export class SetupRepository {
  constructor(private readonly tx: Transactor) {}

  async lock(): Promise<{ tokenHash: Buffer | null; completedAt: Date | null } | undefined> {
    const row = await this.tx.current().selectFrom('setup_state').select(['token_hash', 'completed_at']).forUpdate().executeTakeFirst();
    return row && { tokenHash: row.token_hash, completedAt: row.completed_at };
  }

  async saveToken(tokenHash: Buffer): Promise<void> {
    await this.tx
      .current()
      .insertInto('setup_state')
      .values({ token_hash: tokenHash, completed_at: null })
      .onConflict((oc) => oc.column('singleton').doUpdateSet({ token_hash: tokenHash }))
      .execute();
  }

  async markCompleted(): Promise<void> {
    await this.tx
      .current()
      .insertInto('setup_state')
      .values({ token_hash: null, completed_at: new Date() })
      .onConflict((oc) => oc.column('singleton').doUpdateSet({ token_hash: null, completed_at: new Date() }))
      .execute();
  }
}
