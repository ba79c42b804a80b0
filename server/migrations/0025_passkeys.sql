-- Passkeys (WebAuthn): a second factor wherever TOTP is one, and a passwordless sign-in
-- (decision 0031). Runs on PostgreSQL 15 and 18.

-- A user's registered credentials. The public key is COSE as the authenticator gave it; the
-- signature counter is kept to notice a cloned authenticator (a counter that goes back).
CREATE TABLE passkeys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id),
  credential_id bytea NOT NULL UNIQUE,
  public_key bytea NOT NULL,
  counter bigint NOT NULL DEFAULT 0 CHECK (counter >= 0),
  transports text[] NOT NULL DEFAULT '{}',
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  device_type text NOT NULL CHECK (device_type IN ('singleDevice', 'multiDevice')),
  backed_up boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);
CREATE INDEX passkeys_user ON passkeys (user_id);

-- One ceremony in flight: the challenge the browser must sign, single use, short-lived, and
-- bound to what started it: the session (registration, step-up), the password's MFA challenge
-- (the second step of sign-in), or nothing but itself (passwordless sign-in). System table.
CREATE TABLE webauthn_challenges (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  challenge_hash bytea NOT NULL UNIQUE,
  purpose text NOT NULL CHECK (purpose IN ('register', 'step_up', 'second_step', 'sign_in')),
  user_id uuid REFERENCES users (id),
  session_id uuid REFERENCES sessions (id),
  mfa_challenge_id uuid REFERENCES mfa_challenges (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  CHECK ((purpose IN ('register', 'step_up')) = (session_id IS NOT NULL)),
  CHECK ((purpose = 'second_step') = (mfa_challenge_id IS NOT NULL))
);
CREATE INDEX webauthn_challenges_expiry ON webauthn_challenges (expires_at);

ALTER TABLE passkeys ENABLE ROW LEVEL SECURITY;
ALTER TABLE passkeys FORCE ROW LEVEL SECURITY;
CREATE POLICY passkeys_owner ON passkeys
  USING (user_id = guddu_current_user()) WITH CHECK (user_id = guddu_current_user());
ALTER TABLE webauthn_challenges ENABLE ROW LEVEL SECURITY;
ALTER TABLE webauthn_challenges FORCE ROW LEVEL SECURITY;
CREATE POLICY webauthn_challenges_system_only ON webauthn_challenges USING (false) WITH CHECK (false);
GRANT SELECT, INSERT, UPDATE, DELETE ON passkeys TO guddu_app;

-- A session can now say it was shown a passkey.
ALTER TABLE sessions DROP CONSTRAINT sessions_mfa_method_check;
ALTER TABLE sessions ADD CONSTRAINT sessions_mfa_method_check CHECK (mfa_method IN ('totp', 'recovery_code', 'passkey'));

-- The per-request context (0014): a user with a passkey has a factor, as one with TOTP does.
CREATE OR REPLACE FUNCTION guddu_request_context(p_user uuid, p_org uuid, p_session uuid)
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
    EXISTS (SELECT 1 FROM mfa_totp t WHERE t.user_id = p_user AND t.confirmed_at IS NOT NULL)
      OR EXISTS (SELECT 1 FROM passkeys k WHERE k.user_id = p_user),
    (SELECT CASE rule.level WHEN 2 THEN 'everyone' WHEN 1 THEN 'publishers' ELSE 'nobody' END FROM rule),
    (SELECT coalesce(rule.minutes, 10) FROM rule)
$$;
REVOKE EXECUTE ON FUNCTION guddu_request_context(uuid, uuid, uuid) FROM PUBLIC;

-- An admin's reset (0014) now removes passkeys too; the count is of factors removed.
CREATE OR REPLACE FUNCTION guddu_reset_user_factors(p_user uuid) RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_totp integer;
  v_keys integer;
BEGIN
  IF current_setting('role') = 'guddu_app'
     AND NOT EXISTS (SELECT 1 FROM memberships m JOIN organisations o ON o.id = m.org_id
                     WHERE m.user_id = p_user
                       AND (o.id = guddu_current_org() OR guddu_current_org() = ANY (o.ancestry))) THEN
    RAISE EXCEPTION 'not a member of the caller''s subtree' USING ERRCODE = 'insufficient_privilege';
  END IF;
  DELETE FROM mfa_totp WHERE user_id = p_user;
  GET DIAGNOSTICS v_totp = ROW_COUNT;
  DELETE FROM passkeys WHERE user_id = p_user;
  GET DIAGNOSTICS v_keys = ROW_COUNT;
  DELETE FROM mfa_recovery_codes WHERE user_id = p_user;
  RETURN v_totp + v_keys;
END $$;
REVOKE EXECUTE ON FUNCTION guddu_reset_user_factors(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION guddu_reset_user_factors(uuid) TO guddu_app;
