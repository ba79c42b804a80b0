-- Notifications, what admins must still hear (decision 0036): email addresses that bounce, and
-- how far the admin alerts have read the dead letters and failed jobs. Runs on PostgreSQL 15 and 18.

-- An address a mail server refused for good (an SMTP 5xx at RCPT TO while sending) or that a
-- mail provider reported through the bounce webhook. A hard bounce stops email to the address:
-- planned deliveries to it are skipped with the reason, open ones fail as bounced. A soft bounce
-- is counted and shown, and stops nothing. Addresses are installation-wide (a person's email is
-- not an organisation's), so only the system (bypass) reads and writes this table; admins see
-- bounces through their organisation's deliveries (notification_deliveries.bounced_at).
CREATE TABLE notification_email_bounces (
  address text PRIMARY KEY CHECK (address = lower(address)),
  type text NOT NULL CHECK (type IN ('hard', 'soft')),
  reason text NOT NULL,
  source text NOT NULL CHECK (source IN ('smtp', 'webhook')),
  bounces integer NOT NULL DEFAULT 1,
  first_at timestamptz NOT NULL DEFAULT now(),
  last_at timestamptz NOT NULL DEFAULT now()
);

-- Per source ('event_dead_letters', 'outbox', 'jobs'): everything up to seen_until has been told
-- to admins. A notification's event id is derived from the dead letter or job, so reading one
-- twice (two processes, a crash before the mark moved) records nothing new.
CREATE TABLE notification_alert_marks (
  source text PRIMARY KEY,
  seen_until timestamptz NOT NULL
);

ALTER TABLE notification_email_bounces ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_email_bounces FORCE ROW LEVEL SECURITY;
ALTER TABLE notification_alert_marks ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_alert_marks FORCE ROW LEVEL SECURITY;

-- Admin alerts start from when this migration ran: an installation's older dead letters and
-- failed jobs are in the admin lists already and are not announced all at once.
INSERT INTO notification_alert_marks (source, seen_until) VALUES ('dead_letters', now()), ('jobs', now());

-- A browser's push endpoint is one person's: whoever subscribed it last (a shared computer, one
-- person signing out and another enabling push). The previous holder's row is invisible to the
-- new one under row-level security, so this frees it in the subscribing request's transaction.
-- It deletes only rows with that endpoint hash, which only a holder of the endpoint URL (a
-- capability the browser's push service issued) can name.
CREATE FUNCTION guddu_push_subscription_release(p_endpoint_hash text) RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  DELETE FROM notification_push_subscriptions WHERE endpoint_hash = p_endpoint_hash AND user_id IS DISTINCT FROM guddu_current_user();
$$;
REVOKE ALL ON FUNCTION guddu_push_subscription_release(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION guddu_push_subscription_release(text) TO guddu_app;
