-- Analytics snapshots (issue 15, decision 0028): when Guddu next reads each published post's
-- metrics and each channel's followers. One row per published delivery (kind 'post') and one per
-- channel (kind 'account'); the sweep claims due rows with a lease, reads the network and moves
-- next_at along the schedule (+1 h, +24 h, +7 d, +30 d, then the cadence until the horizon).
-- The row is the durable schedule: a restart loses nothing, a lost worker's lease expires.
-- message_id and campaign_id let the read API group figures per message and per campaign
-- without reaching into the messages module's tables. Runs on PostgreSQL 15 and 18.

CREATE TABLE analytics_snapshot_plan (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL,
  org_path uuid[] NOT NULL,
  kind text NOT NULL CHECK (kind IN ('post', 'account')),
  channel_id uuid NOT NULL,
  network text NOT NULL,
  delivery_id uuid,
  message_id uuid,
  campaign_id uuid,
  external_id text,
  published_at timestamptz,
  -- Instagram stories: figures exist for 24 h, so the schedule reads them before then.
  story boolean NOT NULL DEFAULT false,
  step integer NOT NULL DEFAULT 0,
  next_at timestamptz,
  lease_until timestamptz,
  failures integer NOT NULL DEFAULT 0,
  last_error text,
  last_read_at timestamptz,
  done_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'post') = (delivery_id IS NOT NULL AND external_id IS NOT NULL AND published_at IS NOT NULL))
);
CREATE UNIQUE INDEX analytics_snapshot_plan_delivery_key ON analytics_snapshot_plan (delivery_id) WHERE kind = 'post';
CREATE UNIQUE INDEX analytics_snapshot_plan_account_key ON analytics_snapshot_plan (channel_id) WHERE kind = 'account';
CREATE INDEX analytics_snapshot_plan_due_idx ON analytics_snapshot_plan (next_at) WHERE done_at IS NULL;
CREATE TRIGGER analytics_snapshot_plan_org_path BEFORE INSERT ON analytics_snapshot_plan FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE INDEX analytics_snapshot_plan_path_idx ON analytics_snapshot_plan USING gin (org_path);
CREATE INDEX analytics_snapshot_plan_message_idx ON analytics_snapshot_plan (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX analytics_snapshot_plan_campaign_idx ON analytics_snapshot_plan (campaign_id) WHERE campaign_id IS NOT NULL;

ALTER TABLE analytics_snapshot_plan ENABLE ROW LEVEL SECURITY;
ALTER TABLE analytics_snapshot_plan FORCE ROW LEVEL SECURITY;
CREATE POLICY analytics_snapshot_plan_subtree ON analytics_snapshot_plan
  USING (org_path @> ARRAY[(SELECT guddu_current_org())]) WITH CHECK (org_path @> ARRAY[(SELECT guddu_current_org())]);
-- Tenants read which posts are tracked (the read API joins it); only the system schedules.
GRANT SELECT ON analytics_snapshot_plan TO guddu_app;

-- Public dashboards: an organisation's chosen widgets behind a signed, expiring, revocable link.
-- The link carries the id, its expiry and an HMAC of both; the row says whether it still stands.
-- Only aggregates are ever read through it (no comment text, no handles, no message text).
CREATE TABLE analytics_dashboards (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL,
  org_path uuid[] NOT NULL,
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  widgets text[] NOT NULL CHECK (cardinality(widgets) BETWEEN 1 AND 3 AND widgets <@ ARRAY['reach_over_time', 'top_posts', 'sentiment_share']),
  range_days integer NOT NULL CHECK (range_days BETWEEN 1 AND 400),
  -- The link's HMAC key, one per dashboard, sealed with the platform SecretBox.
  key_sealed text NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX analytics_dashboards_org_idx ON analytics_dashboards (org_id, created_at DESC);
CREATE TRIGGER analytics_dashboards_org_path BEFORE INSERT ON analytics_dashboards FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
ALTER TABLE analytics_dashboards ENABLE ROW LEVEL SECURITY;
ALTER TABLE analytics_dashboards FORCE ROW LEVEL SECURITY;
CREATE POLICY analytics_dashboards_subtree ON analytics_dashboards
  USING (org_path @> ARRAY[(SELECT guddu_current_org())]) WITH CHECK (org_path @> ARRAY[(SELECT guddu_current_org())]);
GRANT SELECT, INSERT, UPDATE ON analytics_dashboards TO guddu_app;
