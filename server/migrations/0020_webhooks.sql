-- Outgoing webhooks (decision 0026): the endpoints an organisation registers for domain events,
-- one delivery per (webhook, event) and the outcome of every attempt at it.
--
-- Tenancy as deliveries (0013): `org_path` set by trigger, rows visible from the organisation and
-- those above it. Fan-out runs as the event's organisation; sending runs through the bypass.

CREATE TABLE webhooks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  url text NOT NULL CHECK (char_length(url) BETWEEN 8 AND 2000),
  description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 500),
  -- Exact event names, `<domain>.*`, or `*`.
  events text[] NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 100),
  enabled boolean NOT NULL DEFAULT true,
  -- SecretBox-sealed `whsec_…`, context `webhook:<id>`; shown once at creation and rotation.
  secret_sealed text NOT NULL,
  -- Why it stopped: an admin, or sustained failure (auto-disable); null while enabled.
  disabled_reason text CHECK (char_length(disabled_reason) <= 500),
  disabled_at timestamptz,
  -- The current run of failed attempts: reset by any success; its length and age decide auto-disable.
  consecutive_failures integer NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
  failing_since timestamptz,
  created_by uuid REFERENCES users (id),
  revision integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_path_idx ON webhooks USING gin (org_path);
CREATE INDEX webhooks_org_enabled_idx ON webhooks (org_id) WHERE enabled;

CREATE TABLE webhook_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  -- The outbox event id; a test ping has its own random id.
  event_id uuid NOT NULL,
  event_name text NOT NULL CHECK (char_length(event_name) <= 200),
  -- The exact body sent, so a retry and a redelivery sign the same bytes.
  body text NOT NULL,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'succeeded', 'failed', 'skipped')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz,
  -- Held by the worker making a call; a crashed worker's lease runs out and the sweep resends.
  lease_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- An event reaches a webhook once, however often the stream redelivers it.
  UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_path_idx ON webhook_deliveries USING gin (org_path);
CREATE INDEX webhook_deliveries_list_idx ON webhook_deliveries (webhook_id, created_at DESC);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';

CREATE TABLE webhook_attempts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  number integer NOT NULL CHECK (number >= 1),
  trigger text NOT NULL CHECK (trigger IN ('event', 'retry', 'redelivery', 'ping')),
  started_at timestamptz NOT NULL,
  duration_ms integer NOT NULL CHECK (duration_ms >= 0),
  succeeded boolean NOT NULL,
  status_code integer,
  error text CHECK (char_length(error) <= 1000),
  -- The first KiB of the receiver's answer, as text.
  response_body text CHECK (char_length(response_body) <= 1024),
  UNIQUE (delivery_id, number)
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, number);

CREATE TRIGGER webhooks_org_path BEFORE INSERT ON webhooks FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER webhook_deliveries_org_path BEFORE INSERT ON webhook_deliveries FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER webhook_attempts_org_path BEFORE INSERT ON webhook_attempts FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER webhooks_org_fixed BEFORE UPDATE ON webhooks FOR EACH ROW EXECUTE FUNCTION guddu_org_fixed();
CREATE TRIGGER webhook_deliveries_org_fixed BEFORE UPDATE ON webhook_deliveries FOR EACH ROW EXECUTE FUNCTION guddu_org_fixed();

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['webhooks', 'webhook_deliveries', 'webhook_attempts'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (org_path @> ARRAY[(SELECT guddu_current_org())]) WITH CHECK (org_path @> ARRAY[(SELECT guddu_current_org())])',
      t || '_subtree', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE, DELETE ON webhooks TO guddu_app;
GRANT SELECT, INSERT, UPDATE ON webhook_deliveries, webhook_attempts TO guddu_app;
