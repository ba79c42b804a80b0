-- The console's live feed catches up from the outbox (decision 0020): a user whose role is on a
-- ministry sees the events of the divisions and missions below it, as the organisations policy
-- lets them see those organisations. Reading only: requests still append to their own
-- organisation, and publishing state stays with the relay.
-- Runs on PostgreSQL 15 and 18.
CREATE POLICY outbox_events_subtree_read ON outbox_events FOR SELECT
  USING (EXISTS (SELECT 1 FROM organisations o
                 WHERE o.id = outbox_events.org_id AND guddu_current_org() = ANY (o.ancestry)));

-- The outbox's oldest and newest positions, for any caller: two numbers tell a client whether
-- the gap since its last event can still be filled (else it reloads), without showing it a
-- single row of another tenant.
CREATE FUNCTION guddu_outbox_bounds() RETURNS TABLE (oldest bigint, newest bigint)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT min(position), max(position) FROM outbox_events
$$;
REVOKE ALL ON FUNCTION guddu_outbox_bounds() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION guddu_outbox_bounds() TO guddu_app;
