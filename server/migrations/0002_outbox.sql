-- Transactional outbox and consumer deduplication (decision 0006).
-- Runs on PostgreSQL 15 and 18.

-- One row per event, written in the transaction of the state change that caused it. `position`
-- gives the publish order; the relay (bypass role) marks rows published.
CREATE TABLE outbox_events (
  position bigserial PRIMARY KEY,
  id uuid NOT NULL UNIQUE,
  name text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*$'),
  org_id uuid NOT NULL,
  aggregate_type text NOT NULL,
  aggregate_id text NOT NULL,
  payload jsonb NOT NULL,
  correlation_id text,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  -- Retry bookkeeping of the relay: a failed publish waits until next_attempt_at, and so does
  -- every later event of the same aggregate (order before progress).
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text
);
-- The relay's two questions: which unpublished events come first, and does this aggregate have
-- an earlier unpublished one. Both only ever look at the (small) unpublished part.
CREATE INDEX outbox_events_unpublished ON outbox_events (position) WHERE published_at IS NULL;
-- The relay deletes published events after their retention.
CREATE INDEX outbox_events_published ON outbox_events (published_at) WHERE published_at IS NOT NULL;
CREATE INDEX outbox_events_unpublished_aggregate ON outbox_events (aggregate_type, aggregate_id, position)
  WHERE published_at IS NULL;

ALTER TABLE outbox_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE outbox_events FORCE ROW LEVEL SECURITY;
CREATE POLICY outbox_events_tenant ON outbox_events
  USING (org_id = guddu_current_org()) WITH CHECK (org_id = guddu_current_org());

-- Wake the relay when events commit (NOTIFY is delivered at commit, once per transaction and
-- channel). The relay also polls, so a lost notification only costs latency.
CREATE FUNCTION guddu_outbox_notify() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('guddu_outbox', '');
  RETURN NULL;
END $$;
CREATE TRIGGER outbox_events_notify AFTER INSERT ON outbox_events
  FOR EACH STATEMENT EXECUTE FUNCTION guddu_outbox_notify();

-- Which subscriber has processed which event. A subscriber inserts here in the transaction of
-- its own effect, so a redelivered event finds its row and has no second effect.
-- System table: written by event delivery only, never granted to guddu_app.
CREATE TABLE event_consumptions (
  consumer text NOT NULL,
  event_id uuid NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
CREATE INDEX event_consumptions_age ON event_consumptions (processed_at);

REVOKE ALL ON outbox_events, event_consumptions FROM PUBLIC;
-- Requests append events for their own organisation and may read them back; publishing state
-- (UPDATE) and clean-up (DELETE) belong to the relay.
GRANT SELECT, INSERT ON outbox_events TO guddu_app;
GRANT USAGE ON SEQUENCE outbox_events_position_seq TO guddu_app;
