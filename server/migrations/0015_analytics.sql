-- Analytics (issue 15, decision 0024): metric snapshots of published posts and accounts.
-- One row per snapshot with the normalised metric set; a metric the network does not expose is
-- NULL ("not available"), never 0. Raw snapshots are range-partitioned by day of capture (UTC)
-- so that retention drops whole partitions; hourly and daily rollups outlive them.
-- Every table carries org_path (ancestry + self) under the same row-level security as messages:
-- a ministry sees its missions' figures. Snapshots are written by the system (withTenantBypass,
-- COPY), which fills org_path from guddu_org_path once per organisation rather than by a
-- per-row trigger. No foreign keys on the raw table: they would be checked per row on COPY,
-- and a delivery's figures outlive nothing they could protect.

CREATE TABLE analytics_metric_points (
  org_id uuid NOT NULL,
  org_path uuid[] NOT NULL,
  channel_id uuid NOT NULL,
  -- NULL for an account-level snapshot (followers).
  delivery_id uuid,
  network text NOT NULL,
  captured_at timestamptz NOT NULL,
  impressions bigint CHECK (impressions >= 0),
  reach bigint CHECK (reach >= 0),
  reactions bigint CHECK (reactions >= 0),
  comments bigint CHECK (comments >= 0),
  shares bigint CHECK (shares >= 0),
  saves bigint CHECK (saves >= 0),
  clicks bigint CHECK (clicks >= 0),
  video_views bigint CHECK (video_views >= 0),
  watch_time_seconds bigint CHECK (watch_time_seconds >= 0),
  followers bigint CHECK (followers >= 0)
) PARTITION BY RANGE (captured_at);
CREATE INDEX analytics_metric_points_org_idx ON analytics_metric_points (org_id, captured_at);
CREATE INDEX analytics_metric_points_delivery_idx ON analytics_metric_points (delivery_id, captured_at);

-- The latest snapshot in each hour and day (the figures are running totals), per delivery, or
-- per channel for account snapshots. Recomputed from the raw rows, never incremented: running a
-- rollup twice, or again after a crash, gives the same rows.
CREATE TABLE analytics_metric_rollups (
  org_id uuid NOT NULL,
  org_path uuid[] NOT NULL,
  channel_id uuid NOT NULL,
  delivery_id uuid,
  network text NOT NULL,
  grain text NOT NULL CHECK (grain IN ('hour', 'day')),
  bucket timestamptz NOT NULL,
  points integer NOT NULL CHECK (points > 0),
  captured_at timestamptz NOT NULL,
  impressions bigint,
  reach bigint,
  reactions bigint,
  comments bigint,
  shares bigint,
  saves bigint,
  clicks bigint,
  video_views bigint,
  watch_time_seconds bigint,
  followers bigint,
  CONSTRAINT analytics_metric_rollups_key UNIQUE NULLS NOT DISTINCT (grain, channel_id, delivery_id, bucket)
);
CREATE INDEX analytics_metric_rollups_path_idx ON analytics_metric_rollups USING gin (org_path);
CREATE INDEX analytics_metric_rollups_org_idx ON analytics_metric_rollups (org_id, grain, bucket);

-- Days (UTC) of an organisation that received snapshots since they were last rolled up; the
-- rollup redoes the day's hours and the day itself. Ingest marks them in its own transaction;
-- the rollup recomputes and unmarks them in one statement, so a crash in between leaves them
-- marked and the next run redoes them.
CREATE TABLE analytics_rollup_pending (
  org_id uuid NOT NULL,
  org_path uuid[] NOT NULL,
  day date NOT NULL,
  PRIMARY KEY (org_id, day)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['analytics_metric_points', 'analytics_metric_rollups', 'analytics_rollup_pending'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (org_path @> ARRAY[(SELECT guddu_current_org())]) WITH CHECK (org_path @> ARRAY[(SELECT guddu_current_org())])',
      t || '_subtree', t);
  END LOOP;
END $$;

-- Tenants read figures; only the system writes them.
GRANT SELECT ON analytics_metric_points, analytics_metric_rollups TO guddu_app;

-- Daily partitions [p_from, p_from + p_days), created when missing. The advisory lock keeps two
-- workers creating the same day from failing on each other.
CREATE FUNCTION guddu_analytics_ensure_partitions(p_from date, p_days integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  d date;
  created integer := 0;
  name text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('guddu_analytics_partitions'));
  FOR i IN 0 .. p_days - 1 LOOP
    d := p_from + i;
    name := 'analytics_metric_points_' || to_char(d, 'YYYYMMDD');
    IF to_regclass(name) IS NULL THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF analytics_metric_points FOR VALUES FROM (%L) TO (%L)',
        name, d::text || ' 00:00:00+00', (d + 1)::text || ' 00:00:00+00');
      -- Reads through the parent use its policy; a partition named directly must not be a way
      -- around it (guddu_app has no grant on partitions either).
      EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', name);
      EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', name);
      EXECUTE format('CREATE POLICY %I ON %I USING (org_path @> ARRAY[(SELECT guddu_current_org())]) WITH CHECK (org_path @> ARRAY[(SELECT guddu_current_org())])',
        name || '_subtree', name);
      created := created + 1;
    END IF;
  END LOOP;
  RETURN created;
END $$;

-- Retention: drops the raw partitions wholly before p_before; rollups stay.
CREATE FUNCTION guddu_analytics_drop_partitions_before(p_before date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  part record;
  dropped integer := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('guddu_analytics_partitions'));
  FOR part IN
    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'analytics_metric_points'::regclass AND c.relname ~ '^analytics_metric_points_[0-9]{8}$'
  LOOP
    IF to_date(right(part.relname, 8), 'YYYYMMDD') < p_before THEN
      EXECUTE format('DROP TABLE %I', part.relname);
      dropped := dropped + 1;
    END IF;
  END LOOP;
  RETURN dropped;
END $$;

-- Partitions for the week ahead exist from the start; the partitions job keeps it so.
SELECT guddu_analytics_ensure_partitions((now() AT TIME ZONE 'UTC')::date - 1, 9);
