-- Deliveries (decision 0018): one per (message version, channel), with every attempt at the
-- network call. The state is persisted before and after each call, so a worker killed mid-call
-- leaves an `in_flight` row that the next run reconciles instead of posting again.
--
-- Tenancy as messages (0005): `org_path` set by trigger, rows visible from the organisation
-- and those above it. The engine itself runs through the bypass (system work).
-- channel_id has no foreign key: channels (0012) may be shared down from an ancestor and are
-- never deleted (disconnected instead); a delivery keeps its record whatever the channel becomes.

CREATE TABLE deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  message_id uuid NOT NULL REFERENCES messages (id),
  version integer NOT NULL CHECK (version >= 1),
  content_hash text NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
  channel_id uuid NOT NULL,
  -- null only when the channel could not be read as the delivery was created (it then fails).
  network text CHECK (network IN ('facebook', 'instagram', 'x', 'linkedin', 'youtube', 'mastodon', 'bluesky')),
  -- Derived from (message, version, channel): the networks' idempotency or record keys derive from it.
  idempotency_key text NOT NULL UNIQUE CHECK (char_length(idempotency_key) BETWEEN 8 AND 200),
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'held', 'in_flight', 'unknown', 'succeeded', 'failed', 'cancelled', 'retracting', 'retracted', 'retract_failed')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- Bumped on every (re-)enqueue: a job carries it and a stale job does nothing.
  dispatch integer NOT NULL DEFAULT 0 CHECK (dispatch >= 0),
  next_attempt_at timestamptz,
  -- When the first call for this delivery started: reconcile searches the account's posts since.
  first_call_at timestamptz,
  external_id text CHECK (char_length(external_id) <= 500),
  external_url text CHECK (char_length(external_url) <= 2000),
  failure_class text CHECK (failure_class IN ('auth_expired', 'revoked', 'permission', 'rate_limited', 'quota_exhausted', 'duplicate', 'validation', 'media_failed', 'transient', 'unknown_outcome', 'channel_unavailable', 'cancelled', 'internal')),
  failure_reason text CHECK (char_length(failure_reason) <= 2000),
  held_by_suspension uuid,
  retract_reason text CHECK (char_length(retract_reason) <= 2000),
  published_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (message_id, version, channel_id),
  CHECK (state <> 'succeeded' OR external_id IS NOT NULL)
);
CREATE INDEX deliveries_path_idx ON deliveries USING gin (org_path);
CREATE INDEX deliveries_message_idx ON deliveries (message_id, version);
-- What a resume re-queues, and what a sweep finds unfinished.
CREATE INDEX deliveries_open_idx ON deliveries (state, next_attempt_at) WHERE state IN ('pending', 'held', 'in_flight', 'unknown');

CREATE TABLE delivery_attempts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  delivery_id uuid NOT NULL REFERENCES deliveries (id),
  number integer NOT NULL CHECK (number >= 1),
  -- publish, reconcile (after a lost answer) or retract.
  kind text NOT NULL CHECK (kind IN ('publish', 'reconcile', 'retract')),
  started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  ended_at timestamptz,
  -- null while the call is out; 'lost' when a later run found it never recorded an end.
  outcome text CHECK (outcome IN ('succeeded', 'found', 'not_found', 'failed', 'retry', 'delayed', 'held', 'lost')),
  error_class text,
  http_status integer,
  vendor_code text CHECK (char_length(vendor_code) <= 200),
  detail text CHECK (char_length(detail) <= 2000),
  UNIQUE (delivery_id, kind, number)
);
CREATE INDEX delivery_attempts_delivery_idx ON delivery_attempts (delivery_id, started_at);

CREATE TRIGGER deliveries_org_path BEFORE INSERT ON deliveries FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER delivery_attempts_org_path BEFORE INSERT ON delivery_attempts FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER deliveries_org_fixed BEFORE UPDATE ON deliveries FOR EACH ROW EXECUTE FUNCTION guddu_org_fixed();
CREATE TRIGGER delivery_attempts_org_fixed BEFORE UPDATE ON delivery_attempts FOR EACH ROW EXECUTE FUNCTION guddu_org_fixed();

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['deliveries', 'delivery_attempts'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (org_path @> ARRAY[(SELECT guddu_current_org())]) WITH CHECK (org_path @> ARRAY[(SELECT guddu_current_org())])',
      t || '_subtree', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON deliveries, delivery_attempts TO guddu_app;

-- Rate-limit state the providers observed, shared by every worker when Redis is not configured.
-- Installation-wide (a network's app limit spans tenants): reached only through the bypass.
CREATE TABLE delivery_rate_limits (
  scope text NOT NULL CHECK (char_length(scope) <= 400),
  bucket text NOT NULL CHECK (char_length(bucket) <= 200),
  remaining integer NOT NULL,
  reset_at timestamptz NOT NULL,
  PRIMARY KEY (scope, bucket)
);
