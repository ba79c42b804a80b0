import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type { Role } from '../../platform/access/permissions.js';
import { Transactor } from '../../platform/database/transactor.js';
import './identity.tables.js';

export interface MemberRecord {
  userId: string;
  email: string;
  displayName: string;
  status: 'active' | 'deactivated';
  role: Role;
  memberSince: Date;
}

export interface UserMembership {
  orgId: string;
  orgName: string;
  parentId: string | null;
  role: Role;
}

@Injectable()
export class MembershipsRepository {
  constructor(private readonly tx: Transactor) {}

  async listMembers(orgId: string): Promise<MemberRecord[]> {
    const rows = await this.tx
      .current()
      .selectFrom('memberships as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['u.id', 'u.email', 'u.display_name', 'u.status', 'm.role', 'm.created_at'])
      .where('m.org_id', '=', orgId)
      .orderBy('u.display_name')
      .execute();
    return rows.map((r) => ({
      userId: r.id,
      email: r.email,
      displayName: r.display_name,
      status: r.status,
      role: r.role,
      memberSince: r.created_at,
    }));
  }

  async findRole(orgId: string, userId: string): Promise<Role | undefined> {
    const row = await this.tx
      .current()
      .selectFrom('memberships')
      .select('role')
      .where('org_id', '=', orgId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.role;
  }

  async insert(orgId: string, userId: string, role: Role): Promise<void> {
    await this.tx.current().insertInto('memberships').values({ org_id: orgId, user_id: userId, role }).execute();
  }

  async updateRole(orgId: string, userId: string, role: Role): Promise<void> {
    await this.tx
      .current()
      .updateTable('memberships')
      .set({ role, updated_at: new Date() })
      .where('org_id', '=', orgId)
      .where('user_id', '=', userId)
      .execute();
  }

  async delete(orgId: string, userId: string): Promise<void> {
    await this.tx.current().deleteFrom('memberships').where('org_id', '=', orgId).where('user_id', '=', userId).execute();
  }

  /** Owners of the organisation, locked so that two demotions cannot both pass the last-owner check. */
  async lockOwners(orgId: string): Promise<string[]> {
    const rows = await this.tx
      .current()
      .selectFrom('memberships')
      .select('user_id')
      .where('org_id', '=', orgId)
      .where('role', '=', 'owner')
      .forUpdate()
      .execute();
    return rows.map((r) => r.user_id);
  }

  /** All of a user's memberships, across organisations (a security-definer function). */
  async listForUser(userId: string): Promise<UserMembership[]> {
    const { rows } = await sql<{ org_id: string; org_name: string; parent_id: string | null; role: Role }>`
      SELECT org_id, org_name, parent_id, role FROM guddu_user_memberships(${userId}::uuid)`.execute(this.tx.current());
    return rows.map((r) => ({ orgId: r.org_id, orgName: r.org_name, parentId: r.parent_id, role: r.role }));
  }

  /** Roles that apply to the user in `orgId`, counting grants on its ancestors. Bypass only. */
  async effectiveRoles(userId: string, orgId: string): Promise<Role[]> {
    const rows = await this.tx
      .current()
      .selectFrom('memberships as m')
      .select('m.role')
      .where('m.user_id', '=', userId)
      // The organisation and its ancestors, through the database function rather than the
      // organisations module's table (decision 0010); NULL for an unknown organisation.
      .where(sql<boolean>`m.org_id = ANY (guddu_org_path(${orgId}::uuid))`)
      .execute();
    return [...new Set(rows.map((r) => r.role))];
  }

  /** The user's roles in `orgId` (counting ancestors) and whether they belong anywhere outside its subtree. */
  async standing(userId: string, orgId: string): Promise<{ roles: Role[]; outsideSubtree: boolean }> {
    const { rows } = await sql<{ roles: Role[]; outside_subtree: boolean }>`
      SELECT roles, outside_subtree FROM guddu_user_standing(${userId}::uuid, ${orgId}::uuid)`.execute(this.tx.current());
    return { roles: rows[0]?.roles ?? [], outsideSubtree: rows[0]?.outside_subtree ?? false };
  }
}
