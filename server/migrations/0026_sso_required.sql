-- "Require SSO": the SSO half of the sign-in policy (decision 0033). A session records how it was
-- signed in; an organisation can require single sign-on of everyone in its subtree or of those
-- who can publish, and the strictest rule on the path applies, as for MFA. Runs on PostgreSQL 15 and 18.

ALTER TABLE sign_in_policies
  ADD COLUMN sso_required_for text NOT NULL DEFAULT 'nobody' CHECK (sso_required_for IN ('nobody', 'publishers', 'everyone'));

-- How the session was signed in (its first factor). Sessions opened before this migration are
-- 'unknown', which no SSO rule accepts: under a new rule they sign in again. New sessions must
-- say (no default), so a new way in cannot be added without deciding what it counts as.
ALTER TABLE sessions
  ADD COLUMN sign_in_method text NOT NULL DEFAULT 'unknown'
    CHECK (sign_in_method IN ('password', 'passkey', 'sso:oidc', 'sso:saml', 'unknown'));
ALTER TABLE sessions ALTER COLUMN sign_in_method DROP DEFAULT;

-- Which provider signed an SSO session in. A rule accepts only a provider configured on its own
-- organisation's path (its organisation or an ancestor's): a session from another organisation's
-- provider (a leaver removed at this one's provider, still signing in at another) does not count.
-- A provider removed takes that standing with it (SET NULL: the session is then refused where a rule applies).
ALTER TABLE sessions
  ADD COLUMN sso_provider_id uuid REFERENCES identity_providers (id) ON DELETE SET NULL,
  ADD CONSTRAINT sessions_sso_provider_only_for_sso CHECK (sso_provider_id IS NULL OR sign_in_method LIKE 'sso:%');
CREATE INDEX sessions_sso_provider_idx ON sessions (sso_provider_id) WHERE sso_provider_id IS NOT NULL;

-- The two-step sign-in carries its first factor to the session the second step opens. Challenges
-- in flight at migration time came from a password or a provider: 'password' is the stricter.
ALTER TABLE mfa_challenges
  ADD COLUMN sign_in_method text NOT NULL DEFAULT 'password'
    CHECK (sign_in_method IN ('password', 'sso:oidc', 'sso:saml'));
ALTER TABLE mfa_challenges ALTER COLUMN sign_in_method DROP DEFAULT;
ALTER TABLE mfa_challenges
  ADD COLUMN sso_provider_id uuid REFERENCES identity_providers (id) ON DELETE CASCADE,
  ADD CONSTRAINT mfa_challenges_sso_provider_only_for_sso CHECK (sso_provider_id IS NULL OR sign_in_method LIKE 'sso:%');

-- An invitation into a subtree that requires SSO is accepted by signing in at a provider: the
-- authorization request names the invitation it accepts.
ALTER TABLE sso_login_states ADD COLUMN invitation_id uuid REFERENCES invitations (id) ON DELETE CASCADE;

-- The per-request context (0014, 0025), now also with how the session was signed in, whether the
-- provider that signed it in is on this organisation's path (sso_on_path), the SSO rule on the
-- organisation's path, and (only when that rule would refuse a session not signed in by a
-- provider on the path) the providers that could let this user in there: id, name, kind; those whose allowed
-- domains leave out the user's email domain are not offered.
DROP FUNCTION guddu_request_context(uuid, uuid, uuid);
CREATE FUNCTION guddu_request_context(p_user uuid, p_org uuid, p_session uuid)
  RETURNS TABLE (session_ok boolean, roles text[], mfa_at timestamptz, mfa_method text, has_factor boolean,
                 mfa_required_for text, step_up_minutes integer, sign_in_method text, sso_on_path boolean,
                 sso_required_for text, sso_providers jsonb)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH s AS (
    SELECT s.mfa_at, s.mfa_method, s.sign_in_method, s.sso_provider_id FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.id = p_session AND s.user_id = p_user AND s.revoked_at IS NULL
      AND s.expires_at > now() AND u.status = 'active'
  ), path AS (
    SELECT o.ancestry || o.id AS ids FROM organisations o WHERE o.id = p_org
  ), via AS (
    SELECT EXISTS (SELECT 1 FROM s, path, identity_providers p
                   WHERE s.sign_in_method LIKE 'sso:%' AND p.id = s.sso_provider_id AND p.org_id = ANY (path.ids)) AS on_path
  ), rule AS (
    SELECT max(CASE p.mfa_required_for WHEN 'everyone' THEN 2 WHEN 'publishers' THEN 1 ELSE 0 END) AS level,
           max(CASE p.sso_required_for WHEN 'everyone' THEN 2 WHEN 'publishers' THEN 1 ELSE 0 END) AS sso_level,
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
    (SELECT coalesce(rule.minutes, 10) FROM rule),
    (SELECT s.sign_in_method FROM s),
    (SELECT via.on_path FROM via),
    (SELECT CASE rule.sso_level WHEN 2 THEN 'everyone' WHEN 1 THEN 'publishers' ELSE 'nobody' END FROM rule),
    CASE WHEN (SELECT coalesce(rule.sso_level, 0) FROM rule) > 0
              AND NOT (SELECT via.on_path FROM via)
    THEN (SELECT coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'name', p.name, 'kind', p.kind) ORDER BY p.name), '[]')
          FROM identity_providers p, path, users u
          WHERE p.org_id = ANY (path.ids) AND u.id = p_user
            AND (cardinality(p.allowed_domains) = 0 OR split_part(u.email, '@', 2) = ANY (p.allowed_domains)))
    END
$$;
REVOKE EXECUTE ON FUNCTION guddu_request_context(uuid, uuid, uuid) FROM PUBLIC;

-- Before a provider is removed: how many SSO rules at its organisation or below would be left
-- with no provider on their path (the rule would then refuse everyone it covers). Security
-- definer: the rules of organisations below are not the caller's to read, only to count.
CREATE FUNCTION guddu_sso_rules_relying_on(p_provider uuid) RETURNS integer
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT count(*)::integer
  FROM identity_providers prov, sign_in_policies sp JOIN organisations o ON o.id = sp.org_id
  WHERE prov.id = p_provider AND prov.org_id = guddu_current_org() AND sp.sso_required_for <> 'nobody'
    AND (o.id = prov.org_id OR prov.org_id = ANY (o.ancestry))
    AND NOT EXISTS (SELECT 1 FROM identity_providers other
                    WHERE other.id <> p_provider AND other.org_id = ANY (o.ancestry || o.id))
$$;
REVOKE EXECUTE ON FUNCTION guddu_sso_rules_relying_on(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION guddu_sso_rules_relying_on(uuid) TO guddu_app;
