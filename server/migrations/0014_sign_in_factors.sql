-- Second factors (TOTP, recovery codes), the MFA challenge between password and session, the
-- second factor a session has shown, and per-organisation sign-in policies (decision 0019).

-- One TOTP factor per user; the secret is sealed with SecretBox (context: the user id).
-- `last_used_step` is the RFC 6238 time step of the last accepted code: a code for that step or
-- an earlier one is refused, so an observed code cannot be replayed inside its window.
CREATE TABLE mfa_totp (
  user_id uuid PRIMARY KEY REFERENCES users (id),
  secret_sealed text NOT NULL,
  confirmed_at timestamptz,
  last_used_step bigint,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One-time recovery codes: SHA-256 of a high-entropy code (argon2 buys nothing at 80 bits).
CREATE TABLE mfa_recovery_codes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id),
  code_hash bytea NOT NULL UNIQUE,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mfa_recovery_codes_user ON mfa_recovery_codes (user_id);

-- The step between a right password and a session when the user has a factor: short-lived,
-- single use, a few attempts. System table (sign-in precedes any tenant).
CREATE TABLE mfa_challenges (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash bytea NOT NULL UNIQUE,
  user_id uuid NOT NULL REFERENCES users (id),
  org_id uuid NOT NULL REFERENCES organisations (id),
  expires_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  used_at timestamptz
);

-- The last second factor this session has shown, and how: step-up checks its age.
ALTER TABLE sessions
  ADD COLUMN mfa_at timestamptz,
  ADD COLUMN mfa_method text CHECK (mfa_method IN ('totp', 'recovery_code')),
  ADD CONSTRAINT sessions_mfa_pair CHECK ((mfa_at IS NULL) = (mfa_method IS NULL));

-- What an organisation requires of everyone in its subtree. The strictest rule on the path
-- applies: a division cannot loosen what its ministry requires.
CREATE TABLE sign_in_policies (
  org_id uuid PRIMARY KEY REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  mfa_required_for text NOT NULL DEFAULT 'nobody' CHECK (mfa_required_for IN ('nobody', 'publishers', 'everyone')),
  step_up_minutes integer NOT NULL DEFAULT 10 CHECK (step_up_minutes BETWEEN 1 AND 1440),
  revision integer NOT NULL DEFAULT 1,
  updated_by uuid REFERENCES users (id),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER sign_in_policies_org_path BEFORE INSERT ON sign_in_policies FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER sign_in_policies_org_fixed BEFORE UPDATE ON sign_in_policies FOR EACH ROW EXECUTE FUNCTION guddu_org_fixed();

ALTER TABLE mfa_totp ENABLE ROW LEVEL SECURITY;
ALTER TABLE mfa_totp FORCE ROW LEVEL SECURITY;
CREATE POLICY mfa_totp_owner ON mfa_totp
  USING (user_id = guddu_current_user()) WITH CHECK (user_id = guddu_current_user());
ALTER TABLE mfa_recovery_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE mfa_recovery_codes FORCE ROW LEVEL SECURITY;
CREATE POLICY mfa_recovery_codes_owner ON mfa_recovery_codes
  USING (user_id = guddu_current_user()) WITH CHECK (user_id = guddu_current_user());
ALTER TABLE sign_in_policies ENABLE ROW LEVEL SECURITY;
ALTER TABLE sign_in_policies FORCE ROW LEVEL SECURITY;
CREATE POLICY sign_in_policies_own ON sign_in_policies
  USING (org_id = (SELECT guddu_current_org())) WITH CHECK (org_id = (SELECT guddu_current_org()));
CREATE POLICY sign_in_policies_inherited ON sign_in_policies FOR SELECT
  USING (org_id = ANY (guddu_org_path(guddu_current_org())));

-- The per-request context, now also with what the session has shown and what the organisation's
-- path requires. Same arguments, more columns: callers that name the first two are unaffected.
DROP FUNCTION guddu_request_context(uuid, uuid, uuid);
CREATE FUNCTION guddu_request_context(p_user uuid, p_org uuid, p_session uuid)
  RETURNS TABLE (session_ok boolean, roles text[], mfa_at timestamptz, mfa_method text, has_factor boolean,
                 mfa_required_for text, step_up_minutes integer)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH s AS (
    SELECT s.mfa_at, s.mfa_method FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.id = p_session AND s.user_id = p_user AND s.revoked_at IS NULL
      AND s.expires_at > now() AND u.status = 'active'
  ), path AS (
    SELECT o.ancestry || o.id AS ids FROM organisations o WHERE o.id = p_org
  ), rule AS (
    SELECT max(CASE p.mfa_required_for WHEN 'everyone' THEN 2 WHEN 'publishers' THEN 1 ELSE 0 END) AS level,
           min(p.step_up_minutes) AS minutes
    FROM sign_in_policies p, path WHERE p.org_id = ANY (path.ids)
  )
  SELECT
    EXISTS (SELECT 1 FROM s),
    coalesce((SELECT array_agg(DISTINCT m.role) FROM memberships m, path
              WHERE m.user_id = p_user AND m.org_id = ANY (path.ids)), '{}'),
    (SELECT s.mfa_at FROM s),
    (SELECT s.mfa_method FROM s),
    EXISTS (SELECT 1 FROM mfa_totp t WHERE t.user_id = p_user AND t.confirmed_at IS NOT NULL),
    (SELECT CASE rule.level WHEN 2 THEN 'everyone' WHEN 1 THEN 'publishers' ELSE 'nobody' END FROM rule),
    (SELECT coalesce(rule.minutes, 10) FROM rule)
$$;
REVOKE EXECUTE ON FUNCTION guddu_request_context(uuid, uuid, uuid) FROM PUBLIC;

-- An admin's reset of a member's factors: the factor rows are the user's own under row-level
-- security, so this answers through SECURITY DEFINER, for members of the caller's subtree only.
CREATE FUNCTION guddu_reset_user_factors(p_user uuid) RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_count integer;
BEGIN
  IF current_setting('role') = 'guddu_app'
     AND NOT EXISTS (SELECT 1 FROM memberships m JOIN organisations o ON o.id = m.org_id
                     WHERE m.user_id = p_user
                       AND (o.id = guddu_current_org() OR guddu_current_org() = ANY (o.ancestry))) THEN
    RAISE EXCEPTION 'not a member of the caller''s subtree' USING ERRCODE = 'insufficient_privilege';
  END IF;
  DELETE FROM mfa_totp WHERE user_id = p_user;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  DELETE FROM mfa_recovery_codes WHERE user_id = p_user;
  RETURN v_count;
END $$;
REVOKE EXECUTE ON FUNCTION guddu_reset_user_factors(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION guddu_reset_user_factors(uuid) TO guddu_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON mfa_totp, mfa_recovery_codes TO guddu_app;
GRANT SELECT, INSERT, UPDATE ON sign_in_policies TO guddu_app;

-- Single sign-on: OpenID Connect providers configured per organisation and inherited down the
-- tree (readable from below, changed only where set). The client secret is sealed (SecretBox,
-- context: the provider id).
CREATE TABLE identity_providers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  kind text NOT NULL DEFAULT 'oidc' CHECK (kind IN ('oidc')),
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  issuer text NOT NULL,
  client_id text NOT NULL,
  client_secret_sealed text NOT NULL,
  allowed_domains text[] NOT NULL DEFAULT '{}',
  -- {"claim": "groups", "values": {"press-office": "editor"}}: the highest role mapped wins.
  role_mapping jsonb NOT NULL DEFAULT '{}',
  default_role text CHECK (default_role IN ('owner', 'admin', 'approver', 'editor', 'analyst', 'viewer')),
  jit_enabled boolean NOT NULL DEFAULT false,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX identity_providers_org ON identity_providers (org_id);
CREATE TRIGGER identity_providers_org_path BEFORE INSERT ON identity_providers FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER identity_providers_org_fixed BEFORE UPDATE ON identity_providers FOR EACH ROW EXECUTE FUNCTION guddu_org_fixed();

-- A user's identity at a provider: (provider, subject) names one person, linked once.
CREATE TABLE sso_identities (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id),
  provider_id uuid NOT NULL REFERENCES identity_providers (id) ON DELETE CASCADE,
  subject text NOT NULL,
  email text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (provider_id, subject),
  UNIQUE (provider_id, user_id)
);

-- One authorization request in flight: state (hashed), nonce and PKCE verifier kept server-side,
-- single use, short-lived. System table.
CREATE TABLE sso_login_states (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  state_hash bytea NOT NULL UNIQUE,
  nonce text NOT NULL,
  code_verifier_sealed text NOT NULL,
  provider_id uuid NOT NULL REFERENCES identity_providers (id) ON DELETE CASCADE,
  org_id uuid NOT NULL REFERENCES organisations (id),
  purpose text NOT NULL CHECK (purpose IN ('sign_in', 'link')),
  user_id uuid REFERENCES users (id),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  CHECK ((purpose = 'link') = (user_id IS NOT NULL))
);

ALTER TABLE identity_providers ENABLE ROW LEVEL SECURITY;
ALTER TABLE identity_providers FORCE ROW LEVEL SECURITY;
CREATE POLICY identity_providers_own ON identity_providers
  USING (org_id = (SELECT guddu_current_org())) WITH CHECK (org_id = (SELECT guddu_current_org()));
CREATE POLICY identity_providers_inherited ON identity_providers FOR SELECT
  USING (org_id = ANY (guddu_org_path(guddu_current_org())));
ALTER TABLE sso_identities ENABLE ROW LEVEL SECURITY;
ALTER TABLE sso_identities FORCE ROW LEVEL SECURITY;
CREATE POLICY sso_identities_owner ON sso_identities
  USING (user_id = guddu_current_user()) WITH CHECK (user_id = guddu_current_user());

-- System tables (bypass only, not granted to guddu_app): row-level security all the same, with
-- no row visible to a tenant, so a future grant cannot expose them by accident.
ALTER TABLE mfa_challenges ENABLE ROW LEVEL SECURITY;
ALTER TABLE mfa_challenges FORCE ROW LEVEL SECURITY;
CREATE POLICY mfa_challenges_system_only ON mfa_challenges USING (false) WITH CHECK (false);
ALTER TABLE sso_login_states ENABLE ROW LEVEL SECURITY;
ALTER TABLE sso_login_states FORCE ROW LEVEL SECURITY;
CREATE POLICY sso_login_states_system_only ON sso_login_states USING (false) WITH CHECK (false);

GRANT SELECT, INSERT, UPDATE, DELETE ON identity_providers TO guddu_app;
GRANT SELECT, DELETE ON sso_identities TO guddu_app;
