import type { ColumnType, Generated } from 'kysely';
import type { Role } from '../../../platform/access/permissions.js';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;

/** claim: the ID token claim to read (a string or an array of strings); values: claim value → role. */
export interface RoleMapping {
  claim?: string;
  values?: Record<string, Role>;
}

export interface IdentityProvidersTable {
  id: Generated<string>;
  org_id: string;
  org_path: ColumnType<string[], never, never>;
  kind: ColumnType<'oidc', 'oidc' | undefined, never>;
  name: string;
  issuer: string;
  client_id: string;
  client_secret_sealed: string;
  allowed_domains: ColumnType<string[], string[] | undefined, string[]>;
  role_mapping: ColumnType<RoleMapping, string | undefined, string>;
  default_role: Role | null;
  jit_enabled: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface SsoIdentitiesTable {
  id: Generated<string>;
  user_id: string;
  provider_id: string;
  subject: string;
  email: string | null;
  created_at: CreatedAt;
}

export interface SsoLoginStatesTable {
  id: Generated<string>;
  state_hash: Buffer;
  nonce: string;
  code_verifier_sealed: string;
  provider_id: string;
  org_id: string;
  purpose: 'sign_in' | 'link';
  user_id: string | null;
  expires_at: Date;
  used_at: Date | null;
}

declare module '../../../platform/database/database.types.js' {
  interface Database {
    identity_providers: IdentityProvidersTable;
    sso_identities: SsoIdentitiesTable;
    sso_login_states: SsoLoginStatesTable;
  }
}
