import type { ColumnType, Generated } from 'kysely';
import type { Role } from '../../platform/access/permissions.js';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;

export interface UsersTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  password_hash: string;
  status: ColumnType<'active' | 'deactivated', 'active' | 'deactivated' | undefined, 'active' | 'deactivated'>;
  locale: ColumnType<string, string | undefined, string>;
  password_changed_at: UpdatedAt;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface MembershipsTable {
  id: Generated<string>;
  org_id: string;
  user_id: string;
  role: Role;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface SessionsTable {
  id: Generated<string>;
  org_id: string;
  user_id: string;
  created_at: CreatedAt;
  last_used_at: UpdatedAt;
  expires_at: Date;
  revoked_at: Date | null;
  revoke_reason: string | null;
  ip: string | null;
  user_agent: string | null;
}

export interface RefreshTokensTable {
  id: Generated<string>;
  org_id: string;
  session_id: string;
  token_hash: Buffer;
  created_at: CreatedAt;
  rotated_at: Date | null;
}

export interface InvitationsTable {
  id: Generated<string>;
  org_id: string;
  email: string;
  role: Role;
  token_hash: Buffer;
  invited_by: string | null;
  created_at: CreatedAt;
  expires_at: Date;
  accepted_at: Date | null;
  accepted_by: string | null;
  revoked_at: Date | null;
}

export interface AuthThrottleTable {
  key: string;
  window_started_at: Date;
  count: number;
}

declare module '../../platform/database/database.types.js' {
  interface Database {
    users: UsersTable;
    memberships: MembershipsTable;
    sessions: SessionsTable;
    refresh_tokens: RefreshTokensTable;
    invitations: InvitationsTable;
    auth_throttle: AuthThrottleTable;
  }
}
