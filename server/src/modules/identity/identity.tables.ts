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
  mfa_at: Date | null;
  mfa_method: SecondFactorMethod | null;
  sign_in_method: ColumnType<SignInMethod | 'unknown', SignInMethod, never>;
  /** The provider that signed an SSO session in; an SSO rule accepts only one on its own path. */
  sso_provider_id: ColumnType<string | null, string | null | undefined, never>;
}

export type SecondFactorMethod = 'totp' | 'recovery_code' | 'passkey';

/** How a session was signed in (its first factor); an SSO rule accepts only the `sso:` ones. */
export type SignInMethod = 'password' | 'passkey' | 'sso:oidc' | 'sso:saml';

export interface MfaTotpTable {
  user_id: string;
  secret_sealed: string;
  confirmed_at: Date | null;
  last_used_step: ColumnType<string | null, number | null | undefined, number | null>;
  created_at: CreatedAt;
}

export interface MfaRecoveryCodesTable {
  id: Generated<string>;
  user_id: string;
  code_hash: Buffer;
  used_at: Date | null;
  created_at: CreatedAt;
}

export interface MfaChallengesTable {
  id: Generated<string>;
  token_hash: Buffer;
  user_id: string;
  org_id: string;
  expires_at: Date;
  attempts: ColumnType<number, number | undefined, number>;
  used_at: Date | null;
  sign_in_method: ColumnType<FirstFactor, FirstFactor, never>;
  sso_provider_id: ColumnType<string | null, string | null | undefined, never>;
}

/** What a two-step sign-in's first step was: a password or an identity provider. */
export type FirstFactor = Exclude<SignInMethod, 'passkey'>;

export type MfaRequiredFor = 'nobody' | 'publishers' | 'everyone';

export interface SignInPoliciesTable {
  org_id: string;
  org_path: ColumnType<string[], never, never>;
  mfa_required_for: MfaRequiredFor;
  sso_required_for: ColumnType<MfaRequiredFor, MfaRequiredFor | undefined, MfaRequiredFor>;
  step_up_minutes: number;
  revision: ColumnType<number, number | undefined, number>;
  updated_by: string | null;
  updated_at: UpdatedAt;
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

export interface PasskeysTable {
  id: Generated<string>;
  user_id: string;
  credential_id: Buffer;
  public_key: Buffer;
  counter: ColumnType<string, number | undefined, number>;
  transports: ColumnType<string[], string[] | undefined, string[]>;
  name: string;
  device_type: 'singleDevice' | 'multiDevice';
  backed_up: boolean;
  created_at: CreatedAt;
  last_used_at: Date | null;
}

export type WebauthnPurpose = 'register' | 'step_up' | 'second_step' | 'sign_in';

export interface WebauthnChallengesTable {
  id: Generated<string>;
  challenge_hash: Buffer;
  purpose: WebauthnPurpose;
  user_id: string | null;
  session_id: string | null;
  mfa_challenge_id: string | null;
  expires_at: Date;
  used_at: Date | null;
}

declare module '../../platform/database/database.types.js' {
  interface Database {
    users: UsersTable;
    memberships: MembershipsTable;
    sessions: SessionsTable;
    refresh_tokens: RefreshTokensTable;
    invitations: InvitationsTable;
    auth_throttle: AuthThrottleTable;
    mfa_totp: MfaTotpTable;
    mfa_recovery_codes: MfaRecoveryCodesTable;
    mfa_challenges: MfaChallengesTable;
    sign_in_policies: SignInPoliciesTable;
    passkeys: PasskeysTable;
    webauthn_challenges: WebauthnChallengesTable;
  }
}
