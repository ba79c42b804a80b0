-- Channels (decision 0017): the social network accounts an organisation has connected, the
-- connect attempts in flight, and Guddu's app registrations on Mastodon instances.
--
-- A channel is visible to its organisation and those above it (org_path, as media in 0010), and
-- to every organisation below when shared_with_subtree; only its own organisation writes it.
-- Tokens are stored sealed (SecretBox, AES-256-GCM, bound to the channel id and token kind); the
-- database never holds one in clear.

CREATE TABLE channels (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  network text NOT NULL CHECK (network IN ('facebook', 'instagram', 'x', 'linkedin', 'youtube', 'mastodon', 'bluesky')),
  -- The network's id of the account: Page id, IG user id, X user id, LinkedIn organisation URN,
  -- YouTube channel id, Mastodon account id (on base_url's instance), Bluesky DID.
  account_id text NOT NULL CHECK (char_length(account_id) BETWEEN 1 AND 300),
  handle text CHECK (char_length(handle) <= 300),
  display_name text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 200),
  -- Where this account's API lives: a network's host, a Mastodon instance, a Bluesky PDS, or a
  -- sandbox simulator on loopback.
  base_url text NOT NULL CHECK (base_url ~ '^https?://'),
  -- BCP 47; null: the message's first language.
  language text CHECK (char_length(language) <= 35),
  sandbox boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'needs_reauth', 'revoked', 'disconnected')),
  access_token_sealed text,
  refresh_token_sealed text,
  -- On the network's clock (the simulators' for sandbox channels); null: does not expire.
  access_expires_at timestamptz,
  refresh_expires_at timestamptz,
  scopes text[] NOT NULL DEFAULT '{}',
  -- Non-secret facts a provider needs (Bluesky did, Facebook user id, ...).
  extra jsonb NOT NULL DEFAULT '{}',
  last_refreshed_at timestamptz,
  last_error text CHECK (char_length(last_error) <= 2000),
  last_error_at timestamptz,
  -- Who may publish through it: empty lists mean everyone the routes let in.
  allowed_user_ids uuid[] NOT NULL DEFAULT '{}',
  allowed_roles text[] NOT NULL DEFAULT '{}',
  shared_with_subtree boolean NOT NULL DEFAULT false,
  connected_by uuid REFERENCES users (id),
  revision integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- A disconnected channel keeps no token.
  CHECK (status <> 'disconnected' OR (access_token_sealed IS NULL AND refresh_token_sealed IS NULL)),
  -- The same account id on two Mastodon instances (or a sandbox and the real network) is two accounts.
  UNIQUE (org_id, network, base_url, account_id)
);
CREATE INDEX channels_path_idx ON channels USING gin (org_path);
CREATE INDEX channels_expiry_idx ON channels (access_expires_at) WHERE status = 'active' AND access_expires_at IS NOT NULL;

-- An OAuth round trip in flight: the state is stored hashed, the PKCE verifier sealed; bound to
-- the user and session that started it, single use, ten minutes. Accounts found at the network
-- (several Facebook Pages or LinkedIn organisations) wait here, their tokens sealed, until the
-- officer chooses which to add.
CREATE TABLE channel_connect_attempts (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  user_id uuid NOT NULL REFERENCES users (id),
  session_id uuid NOT NULL,
  network text NOT NULL,
  base_url text NOT NULL,
  sandbox boolean NOT NULL,
  state_hash text NOT NULL UNIQUE CHECK (state_hash ~ '^[0-9a-f]{64}$'),
  pkce_verifier_sealed text,
  redirect_uri text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  -- [{accountId, handle, displayName}] once the code is exchanged and several accounts came back.
  candidates jsonb,
  candidates_sealed text,
  completed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX channel_connect_attempts_expiry_idx ON channel_connect_attempts (expires_at);

-- Guddu's OAuth app on each Mastodon instance (POST /api/v1/apps), registered on first connect.
-- Installation-wide, not a tenant's: reached only through the bypass.
CREATE TABLE mastodon_apps (
  base_url text NOT NULL,
  redirect_uri text NOT NULL,
  client_id text NOT NULL,
  client_secret_sealed text NOT NULL,
  scopes text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (base_url, redirect_uri)
);

CREATE TRIGGER channels_org_path BEFORE INSERT ON channels FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER channels_org_fixed BEFORE UPDATE ON channels FOR EACH ROW EXECUTE FUNCTION guddu_org_fixed();
CREATE TRIGGER channel_connect_attempts_org_path BEFORE INSERT ON channel_connect_attempts FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();

ALTER TABLE channels ENABLE ROW LEVEL SECURITY;
ALTER TABLE channels FORCE ROW LEVEL SECURITY;
-- Read: the organisation, those above it, and (when shared) every organisation below it.
CREATE POLICY channels_read ON channels FOR SELECT
  USING (org_path @> ARRAY[(SELECT guddu_current_org())]
         OR (shared_with_subtree AND org_id = ANY (guddu_org_path((SELECT guddu_current_org())))));
-- Write: only the owning organisation.
CREATE POLICY channels_insert ON channels FOR INSERT WITH CHECK (org_id = (SELECT guddu_current_org()));
CREATE POLICY channels_update ON channels FOR UPDATE
  USING (org_id = (SELECT guddu_current_org())) WITH CHECK (org_id = (SELECT guddu_current_org()));
CREATE POLICY channels_delete ON channels FOR DELETE USING (org_id = (SELECT guddu_current_org()));

ALTER TABLE channel_connect_attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE channel_connect_attempts FORCE ROW LEVEL SECURITY;
-- An attempt is its starter's alone, in the organisation they started it in.
CREATE POLICY channel_connect_attempts_own ON channel_connect_attempts
  USING (org_id = (SELECT guddu_current_org()) AND user_id = NULLIF(current_setting('guddu.user_id', true), '')::uuid)
  WITH CHECK (org_id = (SELECT guddu_current_org()) AND user_id = NULLIF(current_setting('guddu.user_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE ON channels TO guddu_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON channel_connect_attempts TO guddu_app;
