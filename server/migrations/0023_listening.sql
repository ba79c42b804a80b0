-- Listening (issue 15, decision 0029): comments and replies on Guddu's own posts and mentions of
-- its accounts, read incrementally from the networks, scored for sentiment, searchable, and
-- watched for spikes. Tenancy as messages (0005): org_path set by trigger, rows visible from the
-- organisation and those above it; ingest and the spike sweep run as the system (bypass).
-- channel_id, delivery_id and message_id carry no foreign keys: a comment outlives nothing they
-- could protect, and the rows are written in bulk by the system.

CREATE TABLE listening_comments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  channel_id uuid NOT NULL,
  network text NOT NULL CHECK (network IN ('facebook', 'instagram', 'x', 'linkedin', 'youtube', 'mastodon', 'bluesky')),
  -- The network's own id of the comment: the one thing that makes a re-read harmless.
  external_id text NOT NULL CHECK (char_length(external_id) BETWEEN 1 AND 500),
  parent_external_id text CHECK (char_length(parent_external_id) <= 500),
  -- Null for a mention that answers none of Guddu's posts.
  delivery_id uuid,
  message_id uuid,
  kind text NOT NULL CHECK (kind IN ('comment', 'mention')),
  body text NOT NULL CHECK (char_length(body) <= 20000),
  -- Personal data: cleared (set null, author_cleared_at stamped) after the retention policy.
  author_handle text CHECK (char_length(author_handle) <= 300),
  author_cleared_at timestamptz,
  published_at timestamptz NOT NULL,
  ingested_at timestamptz NOT NULL DEFAULT now(),
  -- BCP 47 where the script and lexicon tell; 'und' when they do not.
  lang text NOT NULL CHECK (char_length(lang) BETWEEN 2 AND 35),
  sentiment text NOT NULL CHECK (sentiment IN ('positive', 'negative', 'neutral', 'unsupported')),
  sentiment_score real CHECK (sentiment_score BETWEEN -1 AND 1),
  sentiment_method text NOT NULL CHECK (char_length(sentiment_method) <= 200),
  tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED,
  UNIQUE (network, channel_id, external_id),
  CHECK ((sentiment = 'unsupported') = (sentiment_score IS NULL))
);
CREATE INDEX listening_comments_path_idx ON listening_comments USING gin (org_path);
CREATE INDEX listening_comments_org_time_idx ON listening_comments (org_id, published_at DESC);
-- The spike sweep reads the last 13 hours of every organisation.
CREATE INDEX listening_comments_time_idx ON listening_comments (published_at);
CREATE INDEX listening_comments_message_idx ON listening_comments (message_id, published_at DESC) WHERE message_id IS NOT NULL;
CREATE INDEX listening_comments_tsv_idx ON listening_comments USING gin (tsv);
CREATE INDEX listening_comments_trgm_idx ON listening_comments USING gin (body gin_trgm_ops);
-- What the retention sweep clears.
CREATE INDEX listening_comments_handles_idx ON listening_comments (ingested_at) WHERE author_handle IS NOT NULL;

-- Where each read left off: one row per delivery (its post's comments) and one per channel (its
-- mentions). `cursor` is the reader's own (a time, an offset, a since-id); next_poll_at spaces
-- reads out and carries a rate-limit wait. A restart resumes from here.
CREATE TABLE listening_cursors (
  scope text PRIMARY KEY CHECK (scope ~ '^(delivery|mentions):[0-9a-f-]{36}$'),
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  cursor text CHECK (char_length(cursor) <= 2000),
  polled_at timestamptz,
  next_poll_at timestamptz NOT NULL DEFAULT now(),
  last_error text CHECK (char_length(last_error) <= 2000)
);

-- Spike sensitivity per organisation (defaults when absent: k = 2, negative share jump 0.25).
CREATE TABLE listening_settings (
  org_id uuid PRIMARY KEY REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  spike_k real NOT NULL CHECK (spike_k > 0 AND spike_k <= 20),
  negative_jump real NOT NULL CHECK (negative_jump > 0 AND negative_jump <= 1),
  min_comments integer NOT NULL CHECK (min_comments BETWEEN 1 AND 100000),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Raised once: the dedupe key is (organisation, message or none, kind, hour); a second
-- detection in the same hour is the same alert.
CREATE TABLE listening_spike_alerts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  message_id uuid,
  kind text NOT NULL CHECK (kind IN ('volume', 'negative_share')),
  severity text NOT NULL CHECK (severity IN ('warning', 'critical')),
  window_start timestamptz NOT NULL,
  observed real NOT NULL,
  baseline real NOT NULL,
  threshold real NOT NULL,
  evidence jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  acknowledged_at timestamptz,
  acknowledged_by uuid,
  CONSTRAINT listening_spike_alerts_once UNIQUE NULLS NOT DISTINCT (org_id, message_id, kind, window_start)
);
CREATE INDEX listening_spike_alerts_path_idx ON listening_spike_alerts USING gin (org_path);
CREATE INDEX listening_spike_alerts_org_idx ON listening_spike_alerts (org_id, created_at DESC);

CREATE TRIGGER listening_comments_org_path BEFORE INSERT ON listening_comments FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER listening_cursors_org_path BEFORE INSERT ON listening_cursors FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER listening_settings_org_path BEFORE INSERT ON listening_settings FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER listening_spike_alerts_org_path BEFORE INSERT ON listening_spike_alerts FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER listening_comments_org_fixed BEFORE UPDATE ON listening_comments FOR EACH ROW EXECUTE FUNCTION guddu_org_fixed();
CREATE TRIGGER listening_settings_org_fixed BEFORE UPDATE ON listening_settings FOR EACH ROW EXECUTE FUNCTION guddu_org_fixed();
CREATE TRIGGER listening_spike_alerts_org_fixed BEFORE UPDATE ON listening_spike_alerts FOR EACH ROW EXECUTE FUNCTION guddu_org_fixed();

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['listening_comments', 'listening_cursors', 'listening_settings', 'listening_spike_alerts'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (org_path @> ARRAY[(SELECT guddu_current_org())]) WITH CHECK (org_path @> ARRAY[(SELECT guddu_current_org())])',
      t || '_subtree', t);
  END LOOP;
END $$;

-- Tenants read comments and alerts, set their own spike sensitivity and acknowledge alerts;
-- only the system writes comments and cursors.
GRANT SELECT ON listening_comments, listening_cursors TO guddu_app;
GRANT SELECT, INSERT, UPDATE ON listening_settings TO guddu_app;
GRANT SELECT, UPDATE ON listening_spike_alerts TO guddu_app;
