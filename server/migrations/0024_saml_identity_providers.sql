-- SAML 2.0 identity providers beside OpenID Connect ones (decision 0030).
-- A provider is of one kind: an OIDC one has an issuer and client credentials; a SAML one has the
-- IdP's entity id, its single sign-on URL (HTTP-Redirect binding) and the certificates whose keys
-- may sign its assertions. Our side (SP entity id, ACS URL) is derived from GUDDU_PUBLIC_URL and the
-- provider id, so it is not stored. Runs on PostgreSQL 15 and 18.
ALTER TABLE identity_providers DROP CONSTRAINT identity_providers_kind_check;
ALTER TABLE identity_providers ADD CONSTRAINT identity_providers_kind_check CHECK (kind IN ('oidc', 'saml'));
ALTER TABLE identity_providers ALTER COLUMN issuer DROP NOT NULL;
ALTER TABLE identity_providers ALTER COLUMN client_id DROP NOT NULL;
ALTER TABLE identity_providers ALTER COLUMN client_secret_sealed DROP NOT NULL;
ALTER TABLE identity_providers
  ADD COLUMN saml_entity_id text,
  ADD COLUMN saml_sso_url text,
  ADD COLUMN saml_certificates text[],
  -- Unsolicited responses carry no request to bind to a browser: refused unless an admin allows them.
  ADD COLUMN saml_idp_initiated boolean NOT NULL DEFAULT false,
  -- The attribute holding the email; null: the usual names, then a NameID in email format.
  ADD COLUMN saml_email_attribute text;
-- Never NULL (a NULL check passes): coalesce where a NULL could reach the comparison.
ALTER TABLE identity_providers ADD CONSTRAINT identity_providers_kind_settings CHECK (
  CASE kind
    WHEN 'oidc' THEN issuer IS NOT NULL AND client_id IS NOT NULL AND client_secret_sealed IS NOT NULL
    WHEN 'saml' THEN saml_entity_id IS NOT NULL AND saml_sso_url IS NOT NULL
                     AND coalesce(cardinality(saml_certificates), 0) BETWEEN 1 AND 5
    ELSE false
  END);

-- A SAML request in flight reuses the OIDC record: the RelayState (hashed with the browser's
-- binding nonce) finds it, and `nonce` holds the AuthnRequest ID the response must answer. It has
-- no PKCE verifier.
ALTER TABLE sso_login_states ALTER COLUMN code_verifier_sealed DROP NOT NULL;

-- Every assertion accepted, kept until it could no longer be accepted anyway (its NotOnOrAfter plus
-- the clock skew): the same assertion ID from the same IdP a second time is a replay. The verified
-- result waits here, sealed, for the browser to carry its handle to the callback (the ACS is a
-- cross-site POST, which a SameSite=Lax binding cookie does not reach). System table.
CREATE TABLE sso_saml_assertions (
  provider_id uuid NOT NULL REFERENCES identity_providers (id) ON DELETE CASCADE,
  assertion_id text NOT NULL CHECK (char_length(assertion_id) BETWEEN 1 AND 256),
  handle_hash bytea NOT NULL UNIQUE,
  result_sealed text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  PRIMARY KEY (provider_id, assertion_id)
);
CREATE INDEX sso_saml_assertions_expiry ON sso_saml_assertions (expires_at);
ALTER TABLE sso_saml_assertions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sso_saml_assertions FORCE ROW LEVEL SECURITY;
CREATE POLICY sso_saml_assertions_system_only ON sso_saml_assertions USING (false) WITH CHECK (false);
