import { Injectable } from '@nestjs/common';
import type { Selectable } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import type { Network } from '../publishing/channel-access.port.js';
import type { Candidate, ChannelConnectAttemptsTable } from './channels.tables.js';

export type AttemptRow = Omit<Selectable<ChannelConnectAttemptsTable>, 'org_path'>;

const COLUMNS = [
  'id', 'org_id', 'user_id', 'session_id', 'network', 'base_url', 'sandbox', 'state_hash', 'pkce_verifier_sealed', 'redirect_uri',
  'expires_at', 'used_at', 'candidates', 'candidates_sealed', 'completed_at', 'created_at',
] as const;

/**
 * Connect attempts. Row-level security shows a user only their own attempts in the organisation
 * they act in, so a state presented by anyone else is simply not found.
 */
@Injectable()
export class ConnectAttemptsRepository {
  constructor(private readonly tx: Transactor) {}

  private get db() {
    return this.tx.current();
  }

  async insert(a: { id: string; orgId: string; userId: string; sessionId: string; network: Network; baseUrl: string; sandbox: boolean; stateHash: string; pkceVerifierSealed: string | null; redirectUri: string; expiresAt: Date }): Promise<AttemptRow> {
    return this.db
      .insertInto('channel_connect_attempts')
      .values({ id: a.id, org_id: a.orgId, user_id: a.userId, session_id: a.sessionId, network: a.network, base_url: a.baseUrl, sandbox: a.sandbox, state_hash: a.stateHash, pkce_verifier_sealed: a.pkceVerifierSealed, redirect_uri: a.redirectUri, expires_at: a.expiresAt })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
  }

  async findByState(stateHash: string): Promise<AttemptRow | undefined> {
    return this.db.selectFrom('channel_connect_attempts').select(COLUMNS).where('state_hash', '=', stateHash).executeTakeFirst();
  }

  async find(id: string): Promise<AttemptRow | undefined> {
    return this.db.selectFrom('channel_connect_attempts').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  /** Spends the state: true for the one caller that got there first. */
  async markUsed(id: string): Promise<boolean> {
    const row = await this.db.updateTable('channel_connect_attempts').set({ used_at: new Date() }).where('id', '=', id).where('used_at', 'is', null).returning('id').executeTakeFirst();
    return row !== undefined;
  }

  async keepCandidates(id: string, candidates: Candidate[], sealed: string): Promise<void> {
    await this.db.updateTable('channel_connect_attempts').set({ candidates: JSON.stringify(candidates), candidates_sealed: sealed }).where('id', '=', id).execute();
  }

  /** Done: the tokens of accounts not chosen are dropped. */
  async complete(id: string): Promise<boolean> {
    const row = await this.db
      .updateTable('channel_connect_attempts')
      .set({ completed_at: new Date(), candidates_sealed: null })
      .where('id', '=', id)
      .where('completed_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Attempts finished or abandoned long ago hold nothing anyone needs. */
  async pruneBefore(before: Date): Promise<number> {
    const res = await this.db.deleteFrom('channel_connect_attempts').where('expires_at', '<', before).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
