-- Notifications (decision 0025): what a person was told, by which channel, and what they want to
-- be told. Runs on PostgreSQL 15 and 18.
--
-- A notification is one person's copy of one event: UNIQUE (event_id, user_id), so an event
-- delivered twice to the subscriber records it once. Each outside channel (email, push, SMS) is
-- one delivery row, UNIQUE (event_id, user_id, channel): a job that runs again after a restart
-- finds the row already sent and sends nothing.
--
-- Policies: a person reads and marks only their own notifications; deliveries are read by the organisation and those above it (the
-- admin failure list); preferences, settings and push subscriptions are the user's own; an
-- organisation's mandatory kinds are read by it and every organisation below (inherited).

CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  user_id uuid NOT NULL REFERENCES users (id),
  event_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind ~ '^[a-z_]{1,60}$'),
  urgency text NOT NULL CHECK (urgency IN ('low', 'normal', 'urgent')),
  subject_type text NOT NULL CHECK (char_length(subject_type) <= 40),
  subject_id text NOT NULL CHECK (char_length(subject_id) <= 200),
  -- What the templates need (a message title, a network, a reason): small, never a body.
  params jsonb NOT NULL DEFAULT '{}' CHECK (pg_column_size(params) <= 4096),
  read_at timestamptz,
  -- Set once its outside channels are planned; the sweep re-queues one left unset (a lost job).
  dispatched_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (event_id, user_id)
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_undispatched_idx ON notifications (created_at) WHERE dispatched_at IS NULL;

CREATE TABLE notification_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  notification_id uuid NOT NULL REFERENCES notifications (id),
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  user_id uuid NOT NULL REFERENCES users (id),
  event_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind ~ '^[a-z_]{1,60}$'),
  channel text NOT NULL CHECK (channel IN ('email', 'push', 'sms')),
  -- pending → sent | failed; deferred: waiting for quiet hours to end or for the digest.
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'deferred', 'sent', 'failed', 'skipped')),
  not_before timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  reason text CHECK (char_length(reason) <= 2000),
  -- The provider's id of what it accepted (SMTP message id, SMS id): how a bounce is matched.
  provider_ref text CHECK (char_length(provider_ref) <= 500),
  bounced_at timestamptz,
  sent_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (event_id, user_id, channel)
);
CREATE INDEX notification_deliveries_path_idx ON notification_deliveries USING gin (org_path);
CREATE INDEX notification_deliveries_recent_idx ON notification_deliveries (user_id, channel, sent_at) WHERE state = 'sent';
CREATE INDEX notification_deliveries_open_idx ON notification_deliveries (updated_at) WHERE state IN ('pending', 'deferred');

-- Per user, per kind, per channel; a missing row means the kind's default.
CREATE TABLE notification_preferences (
  user_id uuid NOT NULL REFERENCES users (id),
  kind text NOT NULL CHECK (kind ~ '^[a-z_]{1,60}$'),
  channel text NOT NULL CHECK (channel IN ('email', 'push', 'sms')),
  enabled boolean NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, kind, channel)
);

CREATE TABLE notification_settings (
  user_id uuid PRIMARY KEY REFERENCES users (id),
  -- IANA zone; quiet hours are wall-clock minutes in it, so they follow DST.
  time_zone text NOT NULL DEFAULT 'UTC' CHECK (char_length(time_zone) <= 64),
  quiet_start smallint CHECK (quiet_start BETWEEN 0 AND 1439),
  quiet_end smallint CHECK (quiet_end BETWEEN 0 AND 1439),
  digest text NOT NULL DEFAULT 'off' CHECK (digest IN ('off', 'daily', 'weekly')),
  -- E.164, sealed (SecretBox, context 'notifications.phone:<user id>'): the one personal datum SMS needs.
  phone_sealed text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
);

CREATE TABLE notification_mandatory (
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  kind text NOT NULL CHECK (kind ~ '^[a-z_]{1,60}$'),
  channel text NOT NULL CHECK (channel IN ('email', 'push', 'sms')),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, kind, channel)
);

CREATE TABLE notification_push_subscriptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id),
  endpoint_hash text NOT NULL UNIQUE CHECK (endpoint_hash ~ '^[0-9a-f]{64}$'),
  -- The endpoint and its keys, sealed: together they let anyone push to the browser.
  subscription_sealed text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notification_push_subscriptions_user_idx ON notification_push_subscriptions (user_id);

-- The installation's VAPID key pair, generated once; reached only through the bypass.
CREATE TABLE notification_vapid_keys (
  id smallint PRIMARY KEY CHECK (id = 1),
  public_key text NOT NULL,
  private_key_sealed text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER notifications_org_path BEFORE INSERT ON notifications FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER notification_deliveries_org_path BEFORE INSERT ON notification_deliveries FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER notification_mandatory_org_path BEFORE INSERT ON notification_mandatory FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();

ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE notifications FORCE ROW LEVEL SECURITY;
-- Written by the event subscriber in the event's organisation; read and marked by its person.
CREATE POLICY notifications_insert ON notifications FOR INSERT WITH CHECK (org_id = (SELECT guddu_current_org()));
-- A person's own, whichever of their organisations the event was in: who may see it was decided
-- when it was recorded (a mission officer is told of a suspension set on the ministry).
CREATE POLICY notifications_own ON notifications FOR SELECT
  USING (user_id = (SELECT guddu_current_user()));
-- The subscriber (system work: an organisation, no user) reads back what it wrote in its
-- organisation (INSERT ... RETURNING needs it), never another organisation's.
CREATE POLICY notifications_system_read ON notifications FOR SELECT
  USING ((SELECT guddu_current_user()) IS NULL AND org_id = (SELECT guddu_current_org()));
CREATE POLICY notifications_mark ON notifications FOR UPDATE
  USING (user_id = (SELECT guddu_current_user())) WITH CHECK (user_id = (SELECT guddu_current_user()));

ALTER TABLE notification_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY notification_deliveries_subtree ON notification_deliveries FOR SELECT
  USING (org_path @> ARRAY[(SELECT guddu_current_org())]);

ALTER TABLE notification_preferences ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_preferences FORCE ROW LEVEL SECURITY;
CREATE POLICY notification_preferences_own ON notification_preferences
  USING (user_id = (SELECT guddu_current_user())) WITH CHECK (user_id = (SELECT guddu_current_user()));

ALTER TABLE notification_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY notification_settings_own ON notification_settings
  USING (user_id = (SELECT guddu_current_user())) WITH CHECK (user_id = (SELECT guddu_current_user()));

ALTER TABLE notification_push_subscriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_push_subscriptions FORCE ROW LEVEL SECURITY;
CREATE POLICY notification_push_subscriptions_own ON notification_push_subscriptions
  USING (user_id = (SELECT guddu_current_user())) WITH CHECK (user_id = (SELECT guddu_current_user()));

ALTER TABLE notification_mandatory ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_mandatory FORCE ROW LEVEL SECURITY;
-- Inherited down the tree: an organisation reads its own and its ancestors' mandates; those
-- above read the ones set below them.
CREATE POLICY notification_mandatory_read ON notification_mandatory FOR SELECT
  USING (org_id = ANY (guddu_org_path((SELECT guddu_current_org()))) OR org_path @> ARRAY[(SELECT guddu_current_org())]);
CREATE POLICY notification_mandatory_insert ON notification_mandatory FOR INSERT WITH CHECK (org_id = (SELECT guddu_current_org()));
CREATE POLICY notification_mandatory_delete ON notification_mandatory FOR DELETE USING (org_id = (SELECT guddu_current_org()));

ALTER TABLE notification_vapid_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_vapid_keys FORCE ROW LEVEL SECURITY;

-- Who an event in p_org may reach: active members holding one of p_roles on p_org or an
-- ancestor (roles are inherited downward, so they see p_org), and with p_below also members of
-- organisations under it. Memberships of other organisations are hidden from a tenant, hence
-- SECURITY DEFINER; a tenant may ask only about its own path (itself, above or below it), and
-- with p_below only about itself or below (an ancestor's subtree holds sibling branches).
CREATE FUNCTION guddu_notification_audience(p_org uuid, p_roles text[], p_below boolean)
  RETURNS TABLE (user_id uuid, email text, display_name text, locale text)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE v_path uuid[] := guddu_org_path(p_org);
BEGIN
  IF current_setting('role') = 'guddu_app'
     AND NOT (v_path @> ARRAY[guddu_current_org()]
              OR (NOT p_below AND p_org = ANY (guddu_org_path(guddu_current_org())))) THEN
    RAISE EXCEPTION 'organisation outside the caller''s path' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY
    SELECT DISTINCT u.id, u.email, u.display_name, u.locale
    FROM memberships m JOIN users u ON u.id = m.user_id
    WHERE u.status = 'active' AND m.role = ANY (p_roles)
      AND (m.org_id = ANY (v_path)
           OR (p_below AND m.org_id IN (SELECT o.id FROM organisations o WHERE p_org = ANY (o.ancestry))));
END $$;
REVOKE ALL ON FUNCTION guddu_notification_audience(uuid, text[], boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION guddu_notification_audience(uuid, text[], boolean) TO guddu_app;

GRANT SELECT, INSERT, UPDATE ON notifications TO guddu_app;
GRANT SELECT ON notification_deliveries TO guddu_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON notification_preferences, notification_settings, notification_push_subscriptions TO guddu_app;
GRANT SELECT, INSERT, DELETE ON notification_mandatory TO guddu_app;
