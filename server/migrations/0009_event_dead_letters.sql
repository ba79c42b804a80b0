-- Dead letters of event subscribers, and discarding dead letters (decision 0013).
-- Runs on PostgreSQL 15 and 18.

-- Events a subscriber set aside. In distributed mode a JetStream consumer that fails an event
-- GUDDU_OUTBOX_MAX_ATTEMPTS times records it here ('dead') and acknowledges it, so its other
-- aggregates go on. The later events of the same aggregate for the same consumer are parked
-- behind it ('pending', delivered only once nothing of their aggregate for that consumer comes
-- before them), so the subscriber still sees each aggregate in order. A redrive makes the dead
-- letter 'pending' again; the parked-event redelivery in background processes delivers pending
-- rows straight to the subscriber and deletes each in the transaction of its effect.
CREATE TABLE event_dead_letters (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Arrival order: per (consumer, aggregate) the order the consumer received the events in.
  position bigserial NOT NULL UNIQUE,
  consumer text NOT NULL,
  event_id uuid NOT NULL,
  org_id uuid NOT NULL,
  name text NOT NULL,
  aggregate_type text NOT NULL,
  aggregate_id text NOT NULL,
  -- The event as delivered (EventEnvelope).
  envelope jsonb NOT NULL,
  state text NOT NULL CHECK (state IN ('dead', 'pending')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  dead_lettered_at timestamptz,
  parked_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (consumer, event_id),
  CHECK ((state = 'dead') = (dead_lettered_at IS NOT NULL))
);
-- Is anything of this aggregate parked for this consumer (every delivery asks), and which row
-- comes first.
CREATE INDEX event_dead_letters_aggregate ON event_dead_letters (consumer, aggregate_type, aggregate_id, position);
CREATE INDEX event_dead_letters_pending ON event_dead_letters (next_attempt_at) WHERE state = 'pending';
CREATE INDEX event_dead_letters_dead ON event_dead_letters (org_id, dead_lettered_at) WHERE state = 'dead';

ALTER TABLE event_dead_letters ENABLE ROW LEVEL SECURITY;
ALTER TABLE event_dead_letters FORCE ROW LEVEL SECURITY;
CREATE POLICY event_dead_letters_tenant ON event_dead_letters
  USING (org_id = guddu_current_org()) WITH CHECK (org_id = guddu_current_org());
REVOKE ALL ON event_dead_letters FROM PUBLIC;
-- Requests read their organisation's dead letters; redrive and discard go through the
-- functions below, which change nothing but the one row asked for.
GRANT SELECT ON event_dead_letters TO guddu_app;

-- The three functions below serve a request (guddu_app) only in its own organisation: another
-- organisation's row answers as a missing one (NULL). Each returns what it did, or
-- 'not_dead_lettered' for a row that is not (or no longer) a dead letter.

-- A subscriber's dead letter back in line: a fresh set of attempts, due now.
CREATE FUNCTION guddu_event_dead_letter_redrive(p_id uuid) RETURNS text
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_org uuid;
  v_state text;
BEGIN
  SELECT org_id, state INTO v_org, v_state FROM event_dead_letters WHERE id = p_id FOR UPDATE;
  IF NOT FOUND OR (current_setting('role') = 'guddu_app' AND v_org IS DISTINCT FROM guddu_current_org()) THEN
    RETURN NULL;
  END IF;
  IF v_state <> 'dead' THEN
    RETURN 'not_dead_lettered';
  END IF;
  UPDATE event_dead_letters SET state = 'pending', dead_lettered_at = NULL, attempts = 0, next_attempt_at = now() WHERE id = p_id;
  RETURN 'redriven';
END $$;

-- A subscriber's dead letter given up: recorded as consumed (a redelivery from the stream is
-- skipped), so the events parked behind it go on.
CREATE FUNCTION guddu_event_dead_letter_discard(p_id uuid) RETURNS text
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_row event_dead_letters%ROWTYPE;
BEGIN
  SELECT * INTO v_row FROM event_dead_letters WHERE id = p_id FOR UPDATE;
  IF NOT FOUND OR (current_setting('role') = 'guddu_app' AND v_row.org_id IS DISTINCT FROM guddu_current_org()) THEN
    RETURN NULL;
  END IF;
  IF v_row.state <> 'dead' THEN
    RETURN 'not_dead_lettered';
  END IF;
  INSERT INTO event_consumptions (consumer, event_id) VALUES (v_row.consumer, v_row.event_id) ON CONFLICT DO NOTHING;
  DELETE FROM event_dead_letters WHERE id = p_id;
  RETURN 'discarded';
END $$;

-- An outbox dead letter given up: deleted, never published; the later events of its aggregate
-- go on, and the relay is woken for them.
CREATE FUNCTION guddu_outbox_discard(p_id uuid) RETURNS text
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_org uuid;
  v_dead timestamptz;
BEGIN
  SELECT org_id, dead_lettered_at INTO v_org, v_dead FROM outbox_events WHERE id = p_id FOR UPDATE;
  IF NOT FOUND OR (current_setting('role') = 'guddu_app' AND v_org IS DISTINCT FROM guddu_current_org()) THEN
    RETURN NULL;
  END IF;
  IF v_dead IS NULL THEN
    RETURN 'not_dead_lettered';
  END IF;
  DELETE FROM outbox_events WHERE id = p_id;
  PERFORM pg_notify('guddu_outbox', '');
  RETURN 'discarded';
END $$;

REVOKE EXECUTE ON FUNCTION guddu_event_dead_letter_redrive(uuid), guddu_event_dead_letter_discard(uuid), guddu_outbox_discard(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION guddu_event_dead_letter_redrive(uuid), guddu_event_dead_letter_discard(uuid), guddu_outbox_discard(uuid) TO guddu_app;
