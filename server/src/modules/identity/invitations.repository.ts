import { Injectable } from '@nestjs/common';
import type { Role } from '../../platform/access/permissions.js';
import { Transactor } from '../../platform/database/transactor.js';
import './identity.tables.js';

export interface InvitationRecord {
  id: string;
  orgId: string;
  email: string;
  role: Role;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}

const COLUMNS = ['id', 'org_id', 'email', 'role', 'created_at', 'expires_at', 'accepted_at', 'revoked_at'] as const;
type Row = { id: string; org_id: string; email: string; role: Role; created_at: Date; expires_at: Date; accepted_at: Date | null; revoked_at: Date | null };
const toInvitation = (r: Row): InvitationRecord => ({
  id: r.id,
  orgId: r.org_id,
  email: r.email,
  role: r.role,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  acceptedAt: r.accepted_at,
  revokedAt: r.revoked_at,
});

@Injectable()
export class InvitationsRepository {
  constructor(private readonly tx: Transactor) {}

  async insert(inv: { orgId: string; email: string; role: Role; tokenHash: Buffer; invitedBy: string; expiresAt: Date }): Promise<InvitationRecord> {
    const row = await this.tx
      .current()
      .insertInto('invitations')
      .values({ org_id: inv.orgId, email: inv.email, role: inv.role, token_hash: inv.tokenHash, invited_by: inv.invitedBy, expires_at: inv.expiresAt })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    return toInvitation(row);
  }

  async list(orgId: string): Promise<InvitationRecord[]> {
    const rows = await this.tx.current().selectFrom('invitations').select(COLUMNS).where('org_id', '=', orgId).orderBy('created_at', 'desc').execute();
    return rows.map(toInvitation);
  }

  async findById(orgId: string, id: string): Promise<InvitationRecord | undefined> {
    const row = await this.tx.current().selectFrom('invitations').select(COLUMNS).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    return row && toInvitation(row);
  }

  /** Locks the invitation a token names, so that it is accepted at most once. */
  async lockByTokenHash(tokenHash: Buffer): Promise<InvitationRecord | undefined> {
    const row = await this.tx.current().selectFrom('invitations').select(COLUMNS).where('token_hash', '=', tokenHash).forUpdate().executeTakeFirst();
    return row && toInvitation(row);
  }

  /** Locks an invitation by id (an SSO sign-in that accepts it names it; bypass only). */
  async lockById(id: string): Promise<InvitationRecord | undefined> {
    const row = await this.tx.current().selectFrom('invitations').select(COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
    return row && toInvitation(row);
  }

  async findByTokenHash(tokenHash: Buffer): Promise<InvitationRecord | undefined> {
    const row = await this.tx.current().selectFrom('invitations').select(COLUMNS).where('token_hash', '=', tokenHash).executeTakeFirst();
    return row && toInvitation(row);
  }

  async markAccepted(id: string, userId: string): Promise<void> {
    await this.tx.current().updateTable('invitations').set({ accepted_at: new Date(), accepted_by: userId }).where('id', '=', id).execute();
  }

  async markRevoked(orgId: string, id: string): Promise<void> {
    await this.tx.current().updateTable('invitations').set({ revoked_at: new Date() }).where('org_id', '=', orgId).where('id', '=', id).execute();
  }
}
