-- Dead letters of the outbox (decision 0006). Runs on PostgreSQL 15 and 18.

-- An event whose delivery failed GUDDU_OUTBOX_MAX_ATTEMPTS times is set aside: the relay stops
-- retrying it, and it still holds back the later events of its aggregate (order before
-- progress) until an admin redrives it. `attempts` and `last_error` (0002) say why.
ALTER TABLE outbox_events ADD COLUMN dead_lettered_at timestamptz;

-- Admins list their organisation's dead letters; /readyz counts them all. Both only ever look at
-- the (tiny) dead-lettered part.
CREATE INDEX outbox_events_dead_lettered ON outbox_events (org_id, dead_lettered_at) WHERE dead_lettered_at IS NOT NULL;

-- Puts a dead-lettered event back in line: a fresh set of attempts, due now, and the relay woken.
-- Requests (guddu_app) may read the outbox but never update it, hence SECURITY DEFINER; called
-- by a request it serves only the request's own organisation, and another organisation's event
-- answers as a missing one. Returns 'redriven', 'not_dead_lettered', or NULL (no such event).
CREATE FUNCTION guddu_outbox_redrive(p_id uuid) RETURNS text
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
  UPDATE outbox_events SET dead_lettered_at = NULL, attempts = 0, next_attempt_at = now() WHERE id = p_id;
  PERFORM pg_notify('guddu_outbox', '');
  RETURN 'redriven';
END $$;

REVOKE EXECUTE ON FUNCTION guddu_outbox_redrive(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION guddu_outbox_redrive(uuid) TO guddu_app;
