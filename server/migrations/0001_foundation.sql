-- Foundation: organisations, identity, sessions, audit.
-- Runs on PostgreSQL 15 and 18. Requests run as guddu_app (created by the migrator), which owns
-- nothing and is not a superuser, so every policy below applies to it.

-- The caller's organisation and user, set per transaction with set_config(..., true).
CREATE FUNCTION guddu_current_org() RETURNS uuid
  LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('guddu.org_id', true), '')::uuid $$;
CREATE FUNCTION guddu_current_user() RETURNS uuid
  LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('guddu.user_id', true), '')::uuid $$;

-- Organisations form a tree: ministry -> division -> mission. `ancestry` holds the ids from the
-- root down to the parent, so "is X under Y" is one array test and needs no recursive query.
CREATE TABLE organisations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  parent_id uuid REFERENCES organisations (id),
  ancestry uuid[] NOT NULL DEFAULT '{}',
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  kind text NOT NULL DEFAULT 'other' CHECK (kind IN ('ministry', 'division', 'mission', 'other')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX organisations_ancestry_idx ON organisations USING gin (ancestry);
CREATE INDEX organisations_parent_idx ON organisations (parent_id);

CREATE FUNCTION organisations_set_ancestry() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.parent_id IS DISTINCT FROM OLD.parent_id THEN
    RAISE EXCEPTION 'an organisation cannot be moved' USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.parent_id IS NULL THEN
      NEW.ancestry := '{}';
    ELSE
      SELECT p.ancestry || p.id INTO NEW.ancestry FROM organisations p WHERE p.id = NEW.parent_id;
    END IF;
  ELSE
    NEW.ancestry := OLD.ancestry;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER organisations_ancestry BEFORE INSERT OR UPDATE ON organisations
  FOR EACH ROW EXECUTE FUNCTION organisations_set_ancestry();

-- Users are identities; what they may do in an organisation comes from memberships.
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL CHECK (email = lower(email) AND char_length(email) BETWEEN 3 AND 320),
  display_name text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 200),
  password_hash text NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deactivated')),
  locale text NOT NULL DEFAULT 'en',
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE memberships (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations (id),
  user_id uuid NOT NULL REFERENCES users (id),
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'approver', 'editor', 'analyst', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

-- A session is one sign-in: a refresh-token family. Revoking it ends its access tokens too,
-- because every request checks it (see guddu_request_context).
CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations (id),
  user_id uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoke_reason text,
  ip text,
  user_agent text
);
CREATE INDEX sessions_user_idx ON sessions (user_id, created_at DESC);

CREATE TABLE refresh_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations (id),
  session_id uuid NOT NULL REFERENCES sessions (id),
  token_hash bytea NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  rotated_at timestamptz
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

CREATE TABLE invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations (id),
  email text NOT NULL CHECK (email = lower(email)),
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'approver', 'editor', 'analyst', 'viewer')),
  token_hash bytea NOT NULL UNIQUE,
  invited_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_by uuid REFERENCES users (id),
  revoked_at timestamptz
);
CREATE INDEX invitations_org_idx ON invitations (org_id, created_at DESC);

-- System tables: reached only through withTenantBypass, never granted to guddu_app.
CREATE TABLE signing_keys (
  kid text PRIMARY KEY,
  algorithm text NOT NULL,
  public_jwk jsonb NOT NULL,
  private_key_sealed text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz
);

CREATE TABLE auth_throttle (
  key text PRIMARY KEY,
  window_started_at timestamptz NOT NULL,
  count integer NOT NULL
);

CREATE TABLE setup_state (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  token_hash bytea,
  completed_at timestamptz
);

-- Audit: append-only, hash-chained per organisation. Each event's hash covers the previous
-- event's hash, its sequence number and a canonical JSON of its fields (computed by the
-- application, which also verifies the chain). The head row serialises appends per org.
CREATE TABLE audit_events (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organisations (id),
  seq bigint NOT NULL,
  occurred_at timestamptz NOT NULL,
  actor_type text NOT NULL CHECK (actor_type IN ('user', 'system')),
  actor_id uuid,
  action text NOT NULL,
  target_type text NOT NULL,
  target_id text,
  before jsonb,
  after jsonb,
  ip text,
  user_agent text,
  correlation_id text,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  UNIQUE (org_id, seq)
);
CREATE INDEX audit_events_time_idx ON audit_events (org_id, occurred_at DESC);
CREATE INDEX audit_events_target_idx ON audit_events (org_id, target_type, target_id);
CREATE INDEX audit_events_actor_idx ON audit_events (org_id, actor_id);

CREATE TABLE audit_chain_heads (
  org_id uuid PRIMARY KEY REFERENCES organisations (id),
  seq bigint NOT NULL,
  hash text NOT NULL
);

CREATE FUNCTION audit_events_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_immutable();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_immutable();

-- Appends one event to its organisation's chain in one round trip: locks the head, computes
-- the hash over (previous hash, seq, canonical) and inserts. It is the only way in: guddu_app
-- may not insert events or move heads itself, so a bug or a compromised request cannot plant a
-- row that breaks the chain. Called by a request (role guddu_app), it extends only the
-- request's own organisation's chain.
CREATE FUNCTION guddu_audit_append(
  p_id uuid, p_org uuid, p_occurred_at timestamptz, p_actor_type text, p_actor_id uuid,
  p_action text, p_target_type text, p_target_id text, p_before jsonb, p_after jsonb,
  p_ip text, p_user_agent text, p_correlation_id text, p_canonical text
) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_prev text;
  v_seq bigint;
  v_hash text;
BEGIN
  IF current_setting('role') = 'guddu_app' AND p_org IS DISTINCT FROM guddu_current_org() THEN
    RAISE EXCEPTION 'audit event for another organisation' USING ERRCODE = 'insufficient_privilege';
  END IF;
  INSERT INTO audit_chain_heads (org_id, seq, hash) VALUES (p_org, 0, repeat('0', 64))
    ON CONFLICT (org_id) DO NOTHING;
  SELECT hash, seq + 1 INTO v_prev, v_seq FROM audit_chain_heads WHERE org_id = p_org FOR UPDATE;
  IF v_prev IS NULL THEN
    RAISE EXCEPTION 'no audit chain for organisation %', p_org USING ERRCODE = 'insufficient_privilege';
  END IF;
  v_hash := encode(sha256(convert_to(v_prev || E'\n' || v_seq::text || E'\n' || p_canonical, 'UTF8')), 'hex');
  INSERT INTO audit_events (id, org_id, seq, occurred_at, actor_type, actor_id, action, target_type,
    target_id, before, after, ip, user_agent, correlation_id, prev_hash, hash)
  VALUES (p_id, p_org, v_seq, p_occurred_at, p_actor_type, p_actor_id, p_action, p_target_type,
    p_target_id, p_before, p_after, p_ip, p_user_agent, p_correlation_id, v_prev, v_hash);
  UPDATE audit_chain_heads SET seq = v_seq, hash = v_hash WHERE org_id = p_org;
  RETURN v_seq;
END $$;

-- Row-level security. Every table with org_id has a policy that is ENABLEd and FORCEd.
ALTER TABLE organisations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organisations FORCE ROW LEVEL SECURITY;
-- An organisation sees itself and its descendants.
CREATE POLICY organisations_subtree ON organisations
  USING (id = guddu_current_org() OR guddu_current_org() = ANY (ancestry))
  WITH CHECK (id = guddu_current_org() OR guddu_current_org() = ANY (ancestry));

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY memberships_tenant ON memberships
  USING (org_id = guddu_current_org()) WITH CHECK (org_id = guddu_current_org());

-- A user row is visible to the user and to the organisations they are a member of.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY users_visible ON users
  USING (id = guddu_current_user()
    OR EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.org_id = guddu_current_org()));

ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
-- Sessions are the user's own, whichever organisation they signed in to.
CREATE POLICY sessions_owner ON sessions
  USING (user_id = guddu_current_user()) WITH CHECK (user_id = guddu_current_user());

ALTER TABLE refresh_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE refresh_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY refresh_tokens_tenant ON refresh_tokens
  USING (org_id = guddu_current_org()) WITH CHECK (org_id = guddu_current_org());

ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY invitations_tenant ON invitations
  USING (org_id = guddu_current_org()) WITH CHECK (org_id = guddu_current_org());

ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_events_tenant ON audit_events
  USING (org_id = guddu_current_org()) WITH CHECK (org_id = guddu_current_org());

ALTER TABLE audit_chain_heads ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_chain_heads FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_chain_heads_tenant ON audit_chain_heads
  USING (org_id = guddu_current_org()) WITH CHECK (org_id = guddu_current_org());

-- The per-request context: checks the session and user are live and returns the caller's roles
-- in the organisation, counting roles granted on any ancestor. It runs in the opening round trip
-- of a request before the switch to guddu_app, which may not call it (it answers for any ids).
CREATE FUNCTION guddu_request_context(p_user uuid, p_org uuid, p_session uuid)
  RETURNS TABLE (session_ok boolean, roles text[])
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT
    EXISTS (SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.id = p_session AND s.user_id = p_user AND s.revoked_at IS NULL
              AND s.expires_at > now() AND u.status = 'active'),
    coalesce((SELECT array_agg(DISTINCT m.role) FROM memberships m JOIN organisations o ON o.id = p_org
              WHERE m.user_id = p_user AND m.org_id = ANY (o.ancestry || o.id)), '{}')
$$;

-- Security-definer functions answer for ids the tenant policies would hide. Called by a request
-- (role guddu_app) they serve only the request's own organisation or user: this raises otherwise.
CREATE FUNCTION guddu_assert_own(p_org uuid, p_user uuid) RETURNS void
  LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF current_setting('role') = 'guddu_app'
     AND ((p_org IS NOT NULL AND p_org IS DISTINCT FROM guddu_current_org())
       OR (p_user IS NOT NULL AND p_user IS DISTINCT FROM guddu_current_user())) THEN
    RAISE EXCEPTION 'not the caller''s organisation or user' USING ERRCODE = 'insufficient_privilege';
  END IF;
END $$;

-- How a user stands relative to an organisation, for decisions about them by its admins: their
-- roles there (counting ancestors, as for requests) and whether they hold any membership outside
-- its subtree (then deactivating them would reach beyond the admin's authority).
CREATE FUNCTION guddu_user_standing(p_user uuid, p_org uuid)
  RETURNS TABLE (roles text[], outside_subtree boolean)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM guddu_assert_own(p_org, NULL);
  RETURN QUERY SELECT
    coalesce((SELECT array_agg(DISTINCT m.role) FROM memberships m JOIN organisations o ON o.id = p_org
              WHERE m.user_id = p_user AND m.org_id = ANY (o.ancestry || o.id)), '{}'),
    EXISTS (SELECT 1 FROM memberships m JOIN organisations mo ON mo.id = m.org_id
            WHERE m.user_id = p_user AND mo.id <> p_org AND NOT (p_org = ANY (mo.ancestry)));
END $$;

-- Ends every live session of a user, whichever organisation it was opened in: deactivation
-- must not leave sessions that come back to life on reactivation. The session policy only
-- lets a user touch their own, hence SECURITY DEFINER; a request may end only the sessions of a
-- member of its own organisation.
CREATE FUNCTION guddu_revoke_user_sessions(p_user uuid, p_reason text) RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_count integer;
BEGIN
  IF current_setting('role') = 'guddu_app'
     AND NOT EXISTS (SELECT 1 FROM memberships WHERE user_id = p_user AND org_id = guddu_current_org()) THEN
    RAISE EXCEPTION 'not a member of the caller''s organisation' USING ERRCODE = 'insufficient_privilege';
  END IF;
  UPDATE sessions SET revoked_at = now(), revoke_reason = p_reason WHERE user_id = p_user AND revoked_at IS NULL;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  RETURN v_count;
END $$;

-- A user's own new password (hash): the only way the request role writes a password, so an
-- admin's request cannot rewrite the shared account of a member.
CREATE FUNCTION guddu_set_own_password(p_hash text) RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  UPDATE users SET password_hash = p_hash, password_changed_at = now(), updated_at = now()
  WHERE id = guddu_current_user()
$$;

-- The organisations a user can act in (their memberships, for the organisation switcher).
CREATE FUNCTION guddu_user_memberships(p_user uuid)
  RETURNS TABLE (org_id uuid, org_name text, parent_id uuid, role text)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM guddu_assert_own(NULL, p_user);
  RETURN QUERY SELECT o.id, o.name, o.parent_id, m.role FROM memberships m JOIN organisations o ON o.id = m.org_id
    WHERE m.user_id = p_user ORDER BY m.created_at;
END $$;

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION guddu_request_context(uuid, uuid, uuid), guddu_user_memberships(uuid),
  guddu_audit_append(uuid, uuid, timestamptz, text, uuid, text, text, text, jsonb, jsonb, text, text, text, text),
  guddu_user_standing(uuid, uuid), guddu_revoke_user_sessions(uuid, text), guddu_set_own_password(text) FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO guddu_app;
GRANT SELECT, INSERT, UPDATE ON organisations TO guddu_app;
-- Users: a request may switch a member on or off; passwords go through guddu_set_own_password.
-- Memberships are created only by invitation acceptance, setup and operators (system paths).
GRANT SELECT, UPDATE (status, updated_at) ON users TO guddu_app;
GRANT SELECT, UPDATE, DELETE ON memberships TO guddu_app;
GRANT SELECT, INSERT, UPDATE ON sessions TO guddu_app;
GRANT SELECT, INSERT, UPDATE ON refresh_tokens TO guddu_app;
GRANT SELECT, INSERT, UPDATE ON invitations TO guddu_app;
GRANT SELECT ON audit_events TO guddu_app;
GRANT SELECT ON audit_chain_heads TO guddu_app;
GRANT EXECUTE ON FUNCTION guddu_user_memberships(uuid), guddu_user_standing(uuid, uuid),
  guddu_revoke_user_sessions(uuid, text), guddu_set_own_password(text), guddu_assert_own(uuid, uuid),
  guddu_audit_append(uuid, uuid, timestamptz, text, uuid, text, text, text, jsonb, jsonb, text, text, text, text),
  guddu_current_org(), guddu_current_user() TO guddu_app;
