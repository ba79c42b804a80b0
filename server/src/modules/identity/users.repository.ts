import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import './identity.tables.js';

export interface UserRecord {
  id: string;
  email: string;
  displayName: string;
  status: 'active' | 'deactivated';
  locale: string;
  createdAt: Date;
}

const USER_COLUMNS = ['id', 'email', 'display_name', 'status', 'locale', 'created_at'] as const;
type UserRow = { id: string; email: string; display_name: string; status: 'active' | 'deactivated'; locale: string; created_at: Date };
const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  status: r.status,
  locale: r.locale,
  createdAt: r.created_at,
});

@Injectable()
export class UsersRepository {
  constructor(private readonly tx: Transactor) {}

  /** Sign-in lookup, before any tenant is known: call inside withTenantBypass. */
  async findCredentialsByEmail(email: string): Promise<{ id: string; passwordHash: string; status: string } | undefined> {
    const row = await this.tx
      .current()
      .selectFrom('users')
      .select(['id', 'password_hash', 'status'])
      .where('email', '=', email)
      .executeTakeFirst();
    return row && { id: row.id, passwordHash: row.password_hash, status: row.status };
  }

  async findPasswordHash(userId: string): Promise<string | undefined> {
    const row = await this.tx.current().selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst();
    return row?.password_hash;
  }

  async findById(userId: string): Promise<UserRecord | undefined> {
    const row = await this.tx.current().selectFrom('users').select(USER_COLUMNS).where('id', '=', userId).executeTakeFirst();
    return row && toUser(row);
  }

  async findByEmail(email: string): Promise<UserRecord | undefined> {
    const row = await this.tx.current().selectFrom('users').select(USER_COLUMNS).where('email', '=', email).executeTakeFirst();
    return row && toUser(row);
  }

  async insert(user: { email: string; displayName: string; passwordHash: string; locale?: string }): Promise<UserRecord> {
    const row = await this.tx
      .current()
      .insertInto('users')
      .values({ email: user.email, display_name: user.displayName, password_hash: user.passwordHash, locale: user.locale })
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow();
    return toUser(row);
  }

  /** The signed-in user's own password (a request: through guddu_set_own_password only). */
  async updateOwnPassword(passwordHash: string): Promise<void> {
    await sql`SELECT guddu_set_own_password(${passwordHash})`.execute(this.tx.current());
  }

  /** Any user's password: operator commands, in a bypass transaction. */
  async setPassword(userId: string, passwordHash: string): Promise<void> {
    const now = new Date();
    await this.tx
      .current()
      .updateTable('users')
      .set({ password_hash: passwordHash, password_changed_at: now, updated_at: now })
      .where('id', '=', userId)
      .execute();
  }

  async setStatus(userId: string, status: 'active' | 'deactivated'): Promise<boolean> {
    const r = await this.tx
      .current()
      .updateTable('users')
      .set({ status, updated_at: new Date() })
      .where('id', '=', userId)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }
}
