import { Injectable } from '@nestjs/common';
import { Transactor } from '../../platform/database/transactor.js';
import './identity.tables.js';

export interface Passkey {
  id: string;
  userId: string;
  credentialId: Buffer;
  publicKey: Buffer;
  counter: number;
  transports: string[];
  name: string;
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const COLUMNS = ['id', 'user_id', 'credential_id', 'public_key', 'counter', 'transports', 'name', 'device_type', 'backed_up', 'created_at', 'last_used_at'] as const;

type Row = {
  id: string;
  user_id: string;
  credential_id: Buffer;
  public_key: Buffer;
  counter: string;
  transports: string[];
  name: string;
  device_type: 'singleDevice' | 'multiDevice';
  backed_up: boolean;
  created_at: Date;
  last_used_at: Date | null;
};

const toPasskey = (r: Row): Passkey => ({
  id: r.id,
  userId: r.user_id,
  credentialId: r.credential_id,
  publicKey: r.public_key,
  counter: Number(r.counter),
  transports: r.transports,
  name: r.name,
  deviceType: r.device_type,
  backedUp: r.backed_up,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

/**
 * A user's passkeys. Rows are the user's own under row-level security; sign-in finds a
 * credential by its id in a bypass transaction (no user is known before the assertion).
 */
@Injectable()
export class PasskeysRepository {
  constructor(private readonly tx: Transactor) {}

  async listForUser(userId: string): Promise<Passkey[]> {
    const rows = await this.tx.current().selectFrom('passkeys').select(COLUMNS).where('user_id', '=', userId).orderBy('created_at').execute();
    return rows.map(toPasskey);
  }

  async countForUser(userId: string): Promise<number> {
    const row = await this.tx
      .current()
      .selectFrom('passkeys')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The credential, locked: its counter is compared and advanced by one assertion at a time. */
  async findByCredentialId(credentialId: Buffer): Promise<Passkey | undefined> {
    const row = await this.tx.current().selectFrom('passkeys').select(COLUMNS).where('credential_id', '=', credentialId).forUpdate().executeTakeFirst();
    return row && toPasskey(row);
  }

  async findById(id: string): Promise<Passkey | undefined> {
    const row = await this.tx.current().selectFrom('passkeys').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    return row && toPasskey(row);
  }

  async credentialTaken(credentialId: Buffer): Promise<boolean> {
    return (await this.tx.current().selectFrom('passkeys').select('id').where('credential_id', '=', credentialId).executeTakeFirst()) !== undefined;
  }

  async insert(p: Omit<Passkey, 'id' | 'createdAt' | 'lastUsedAt'>): Promise<Passkey> {
    const row = await this.tx
      .current()
      .insertInto('passkeys')
      .values({
        user_id: p.userId,
        credential_id: p.credentialId,
        public_key: p.publicKey,
        counter: p.counter,
        transports: p.transports,
        name: p.name,
        device_type: p.deviceType,
        backed_up: p.backedUp,
      })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    return toPasskey(row);
  }

  async recordUse(id: string, counter: number, backedUp: boolean): Promise<void> {
    await this.tx.current().updateTable('passkeys').set({ counter, backed_up: backedUp, last_used_at: new Date() }).where('id', '=', id).execute();
  }

  async rename(id: string, name: string): Promise<boolean> {
    const r = await this.tx.current().updateTable('passkeys').set({ name }).where('id', '=', id).executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async remove(id: string): Promise<boolean> {
    const r = await this.tx.current().deleteFrom('passkeys').where('id', '=', id).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }
}
