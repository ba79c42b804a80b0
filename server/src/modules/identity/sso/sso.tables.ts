import type { ColumnType, Generated } from 'kysely';
import type { Role } from '../../../platform/access/permissions.js';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;

/** claim: the ID token claim or SAML attribute to read (a string or a list); values: claim value → role. */
export interface RoleMapping {
  claim?: string;
  values?: Record<string, Role>;
}

export interface IdentityProvidersTable {
  id: Generated<string>;
  org_id: string;
  org_path: ColumnType<string[], never, never>;
  kind: ColumnType<'oidc' | 'saml', 'oidc' | 'saml' | undefined, never>;
  name: string;
  issuer: string | null;
  client_id: string | null;
  client_secret_sealed: string | null;
  saml_entity_id: string | null;
  saml_sso_url: string | null;
  saml_certificates: string[] | null;
  saml_idp_initiated: ColumnType<boolean, boolean | undefined, boolean>;
  saml_email_attribute: string | null;
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
  code_verifier_sealed: string | null;
  provider_id: string;
  org_id: string;
  purpose: 'sign_in' | 'link';
  user_id: string | null;
  expires_at: Date;
  used_at: Date | null;
  /** The invitation this sign-in accepts (an SSO-required subtree's invitations are accepted this way). */
  invitation_id: ColumnType<string | null, string | null | undefined, never>;
}

export interface SsoSamlAssertionsTable {
  provider_id: string;
  assertion_id: string;
  handle_hash: Buffer;
  result_sealed: string;
  expires_at: Date;
  created_at: CreatedAt;
  completed_at: Date | null;
}

declare module '../../../platform/database/database.types.js' {
  interface Database {
    identity_providers: IdentityProvidersTable;
    sso_identities: SsoIdentitiesTable;
    sso_login_states: SsoLoginStatesTable;
    sso_saml_assertions: SsoSamlAssertionsTable;
  }
}
