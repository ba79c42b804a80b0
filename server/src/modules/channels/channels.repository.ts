import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import type { ChannelStatus, Network } from '../publishing/channel-access.port.js';
import type { ChannelsTable } from './channels.tables.js';

export type ChannelRow = Omit<Selectable<ChannelsTable>, 'org_path'>;
export type ChannelInsert = Insertable<ChannelsTable>;

const COLUMNS = [
  'id', 'org_id', 'network', 'account_id', 'handle', 'display_name', 'base_url', 'language', 'sandbox', 'status',
  'access_token_sealed', 'refresh_token_sealed', 'access_expires_at', 'refresh_expires_at', 'scopes', 'extra',
  'last_refreshed_at', 'last_error', 'last_error_at', 'allowed_user_ids', 'allowed_roles', 'shared_with_subtree',
  'connected_by', 'revision', 'created_at', 'updated_at',
] as const;

export interface TokenUpdate {
  accessTokenSealed: string;
  /** Undefined: keep the one held (a reconnect or refresh never replaces it with nothing). */
  refreshTokenSealed: string | undefined;
  accessExpiresAt: Date | null;
  refreshExpiresAt: Date | null | undefined;
  scopes: string[] | undefined;
}

/**
 * Connected accounts. Under a tenant, row-level security decides what is seen (the organisation,
 * those above it, shared from above) and written (only the owner); under the bypass (deliveries,
 * the token health job) methods are called with the id.
 */
@Injectable()
export class ChannelsRepository {
  constructor(private readonly tx: Transactor) {}

  private get db() {
    return this.tx.current();
  }

  async insert(row: ChannelInsert): Promise<ChannelRow> {
    return this.db.insertInto('channels').values(row).returning(COLUMNS).executeTakeFirstOrThrow();
  }

  async find(id: string): Promise<ChannelRow | undefined> {
    return this.db.selectFrom('channels').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  async findMany(ids: readonly string[]): Promise<ChannelRow[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('channels').select(COLUMNS).where('id', 'in', [...ids]).execute();
  }

  /** Holds the row until the transaction ends: one refresh at a time per channel (rotating refresh tokens). */
  async lock(id: string): Promise<ChannelRow | undefined> {
    return this.db.selectFrom('channels').select(COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
  }

  async findAccount(orgId: string, network: Network, baseUrl: string, accountId: string): Promise<ChannelRow | undefined> {
    return this.db
      .selectFrom('channels')
      .select(COLUMNS)
      .where('org_id', '=', orgId)
      .where('network', '=', network)
      .where('base_url', '=', baseUrl)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
  }

  async list(f: { network?: Network | undefined; status?: ChannelStatus | undefined }): Promise<ChannelRow[]> {
    let q = this.db.selectFrom('channels').select(COLUMNS);
    if (f.network) q = q.where('network', '=', f.network);
    if (f.status) q = q.where('status', '=', f.status);
    return q.orderBy('created_at').orderBy('id').execute();
  }

  /** Whether the organisation holds a refresh token for the network already (YouTube asks consent only the first time). */
  async holdsRefreshToken(orgId: string, network: Network): Promise<boolean> {
    const row = await this.db
      .selectFrom('channels')
      .select('id')
      .where('org_id', '=', orgId)
      .where('network', '=', network)
      .where('refresh_token_sealed', 'is not', null)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return row !== undefined;
  }

  async setTokens(id: string, t: TokenUpdate, refreshedAt: Date | null): Promise<ChannelRow | undefined> {
    const patch: Updateable<ChannelsTable> = {
      access_token_sealed: t.accessTokenSealed,
      access_expires_at: t.accessExpiresAt,
      status: 'active',
      last_error: null,
      last_error_at: null,
      updated_at: new Date(),
    };
    if (t.refreshTokenSealed !== undefined) patch.refresh_token_sealed = t.refreshTokenSealed;
    if (t.refreshExpiresAt !== undefined) patch.refresh_expires_at = t.refreshExpiresAt;
    if (t.scopes && t.scopes.length > 0) patch.scopes = t.scopes;
    if (refreshedAt) patch.last_refreshed_at = refreshedAt;
    return this.db.updateTable('channels').set({ ...patch, revision: sql<number>`revision + 1` }).where('id', '=', id).returning(COLUMNS).executeTakeFirst();
  }

  async updateIdentity(id: string, p: { handle: string | null; extra: Record<string, string>; connectedBy: string | null }): Promise<void> {
    await this.db.updateTable('channels').set({ handle: p.handle, extra: JSON.stringify(p.extra), connected_by: p.connectedBy }).where('id', '=', id).execute();
  }

  async markError(id: string, p: { status?: ChannelStatus; error: string }): Promise<ChannelRow | undefined> {
    return this.db
      .updateTable('channels')
      .set({ ...(p.status ? { status: p.status, revision: sql<number>`revision + 1` } : {}), last_error: p.error.slice(0, 2000), last_error_at: new Date(), updated_at: new Date() })
      .where('id', '=', id)
      .returning(COLUMNS)
      .executeTakeFirst();
  }

  /** Settings; undefined when the row is not this organisation's to write (or the revision moved). */
  async updateSettings(
    id: string,
    p: { displayName?: string | undefined; language?: string | null | undefined; sharedWithSubtree?: boolean | undefined; allowedUserIds?: string[] | undefined; allowedRoles?: string[] | undefined },
    revision: number | undefined,
  ): Promise<ChannelRow | undefined> {
    let q = this.db
      .updateTable('channels')
      .set({
        ...(p.displayName !== undefined ? { display_name: p.displayName } : {}),
        ...(p.language !== undefined ? { language: p.language } : {}),
        ...(p.sharedWithSubtree !== undefined ? { shared_with_subtree: p.sharedWithSubtree } : {}),
        ...(p.allowedUserIds !== undefined ? { allowed_user_ids: p.allowedUserIds } : {}),
        ...(p.allowedRoles !== undefined ? { allowed_roles: p.allowedRoles } : {}),
        updated_at: new Date(),
        revision: sql<number>`revision + 1`,
      })
      .where('id', '=', id);
    if (revision !== undefined) q = q.where('revision', '=', revision);
    return q.returning(COLUMNS).executeTakeFirst();
  }

  /** Tokens wiped; the row stays for the record (deliveries name it). */
  async disconnect(id: string): Promise<ChannelRow | undefined> {
    return this.db
      .updateTable('channels')
      .set({ status: 'disconnected', access_token_sealed: null, refresh_token_sealed: null, access_expires_at: null, refresh_expires_at: null, updated_at: new Date(), revision: sql<number>`revision + 1` })
      .where('id', '=', id)
      .returning(COLUMNS)
      .executeTakeFirst();
  }

  /**
   * Active channels whose access token expires before the cutoff of their own clock (the
   * simulators' for sandbox channels, the wall clock for real ones). Bypass only.
   */
  async expiringBefore(realCutoff: Date, sandboxCutoff: Date, limit: number): Promise<{ id: string; org_id: string }[]> {
    return this.db
      .selectFrom('channels')
      .select(['id', 'org_id'])
      .where('status', '=', 'active')
      .where('access_expires_at', 'is not', null)
      .where((eb) => eb.or([eb.and([eb('sandbox', '=', false), eb('access_expires_at', '<', realCutoff)]), eb.and([eb('sandbox', '=', true), eb('access_expires_at', '<', sandboxCutoff)])]))
      .orderBy('access_expires_at')
      .limit(limit)
      .execute();
  }

  /** The organisation and those above it (from the root), for what is shared down. */
  async orgPath(orgId: string): Promise<string[]> {
    const r = await sql<{ path: string[] | null }>`SELECT guddu_org_path(${orgId}::uuid) AS path`.execute(this.db);
    return r.rows[0]?.path ?? [];
  }

  /**
   * Every sealed secret, for re-sealing under a new key. Bypass only. Locked so a token refresh
   * racing the reseal waits for it instead of being overwritten by the stale value read here.
   */
  async allSealed(): Promise<{ id: string; access_token_sealed: string | null; refresh_token_sealed: string | null }[]> {
    return this.db.selectFrom('channels').select(['id', 'access_token_sealed', 'refresh_token_sealed']).forUpdate().execute();
  }

  async reseal(id: string, access: string | null, refresh: string | null): Promise<void> {
    await this.db.updateTable('channels').set({ access_token_sealed: access, refresh_token_sealed: refresh }).where('id', '=', id).execute();
  }
}
