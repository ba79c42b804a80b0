-- Messages: versions, approvals, suspensions, blackout days, calendar and search.
-- Every table here carries `org_path` (the organisation's ancestry plus itself), set by trigger
-- from the organisation tree, so "visible from the organisation I act in" is one indexable
-- array test: a ministry sees its missions' messages, a mission sees only its own.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE FUNCTION guddu_org_path(p_org uuid) RETURNS uuid[]
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT o.ancestry || o.id FROM organisations o WHERE o.id = p_org $$;

-- Organisations never move (organisations_set_ancestry refuses it), so the path is fixed at insert.
CREATE FUNCTION guddu_set_org_path() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  NEW.org_path := guddu_org_path(NEW.org_id);
  IF NEW.org_path IS NULL THEN
    RAISE EXCEPTION 'unknown organisation %', NEW.org_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END $$;

-- Rows that must never change once written (versions, approvals, comments keep the record).
CREATE FUNCTION guddu_immutable_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TABLE campaigns (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 5000),
  starts_on date,
  ends_on date CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on),
  archived_at timestamptz,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaigns_path_idx ON campaigns USING gin (org_path);

CREATE TABLE messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  campaign_id uuid REFERENCES campaigns (id),
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 300),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in_review', 'changes_requested', 'approved',
    'scheduled', 'publishing', 'published', 'partially_published', 'failed', 'withdrawn', 'archived')),
  -- Bumped by every change to the row: the ETag. A stale If-Match is refused with 412.
  revision integer NOT NULL DEFAULT 1,
  -- The current version: its number, the SHA-256 of its canonical content, and what the
  -- calendar filters on (languages and channels of that content).
  version integer NOT NULL DEFAULT 1,
  content_hash text NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
  languages text[] NOT NULL,
  channels text[] NOT NULL,
  tags text[] NOT NULL DEFAULT '{}',
  notes text NOT NULL DEFAULT '' CHECK (char_length(notes) <= 20000),
  -- The schedule as chosen: a wall-clock time in an IANA zone; scheduled_at is its instant.
  scheduled_at timestamptz,
  schedule_local timestamp,
  schedule_zone text,
  embargo_until timestamptz,
  -- The approval policy in force for this review round, copied at submission so that a policy
  -- edited mid-review does not change what this message needs.
  review_policy jsonb,
  review_round integer NOT NULL DEFAULT 0,
  submitted_by uuid REFERENCES users (id),
  submitted_at timestamptz,
  approved_at timestamptz,
  approved_hash text,
  -- The scheduler entry that moves the message to publishing when due, and its key: a fire
  -- whose key is not this one is stale (an older arming) and does nothing.
  schedule_entry_id uuid,
  schedule_key text,
  -- Due while publishing was suspended: waiting for a decision at resume.
  held_by_suspension uuid,
  -- Approved after its time under a "hold" policy, or due inside blackout days declared after
  -- its time was chosen: waits for a new time.
  held_reason text CHECK (held_reason IS NULL OR held_reason IN ('suspended', 'late_approval', 'blackout')),
  publishing_started_at timestamptz,
  status_reason text CHECK (char_length(status_reason) <= 2000),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((scheduled_at IS NULL) = (schedule_zone IS NULL) AND (scheduled_at IS NULL) = (schedule_local IS NULL)),
  CHECK (cardinality(languages) BETWEEN 1 AND 40 AND cardinality(tags) <= 50)
);
CREATE INDEX messages_path_idx ON messages USING gin (org_path);
-- The calendar: a time range first, then the subtree and the filters on the few rows left.
CREATE INDEX messages_calendar_idx ON messages (scheduled_at) INCLUDE (org_id, status) WHERE scheduled_at IS NOT NULL;
CREATE INDEX messages_created_idx ON messages (created_at, id);
CREATE INDEX messages_campaign_idx ON messages (campaign_id) WHERE campaign_id IS NOT NULL;
CREATE INDEX messages_tags_idx ON messages USING gin (tags);
CREATE INDEX messages_held_idx ON messages (held_by_suspension) WHERE held_by_suspension IS NOT NULL;

-- Every save appends one immutable version; restore writes a new one with the old content.
CREATE TABLE message_versions (
  message_id uuid NOT NULL REFERENCES messages (id),
  number integer NOT NULL CHECK (number >= 1),
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  content jsonb NOT NULL,
  content_hash text NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
  restored_from integer,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (message_id, number)
);

-- The current version's text, one row per language and channel variant, for full-text and
-- trigram search. 'simple' does not stem, so Devanagari, Tamil and Latin are all tokenised alike.
CREATE TABLE message_texts (
  message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  language text NOT NULL,
  -- '' for the main body, else the channel whose variant this text is.
  channel text NOT NULL DEFAULT '',
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  body text NOT NULL,
  tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED,
  PRIMARY KEY (message_id, language, channel)
);
CREATE INDEX message_texts_tsv_idx ON message_texts USING gin (tsv);
CREATE INDEX message_texts_trgm_idx ON message_texts USING gin (body gin_trgm_ops);

CREATE TABLE message_comments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  message_id uuid NOT NULL REFERENCES messages (id),
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  author_id uuid REFERENCES users (id),
  body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 5000),
  -- The version the comment was written against.
  version integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_comments_message_idx ON message_comments (message_id, created_at);

-- Approval policy of an organisation; children without their own inherit the nearest ancestor's.
CREATE TABLE approval_policies (
  org_id uuid PRIMARY KEY REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  -- Ordered stages: approvers by role or user, rule any/all/n_of_m, optional language, SLA.
  stages jsonb NOT NULL,
  allow_self_approval boolean NOT NULL DEFAULT false,
  late_approval text NOT NULL DEFAULT 'hold' CHECK (late_approval IN ('publish_now', 'hold', 'expire')),
  expire_after_days integer CHECK (expire_after_days BETWEEN 1 AND 365),
  revision integer NOT NULL DEFAULT 1,
  updated_by uuid REFERENCES users (id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((late_approval = 'expire') = (expire_after_days IS NOT NULL))
);

-- A sign-off (or a request for changes) on one exact content hash. A later edit changes the
-- message's hash, so the approval no longer counts; invalidated_at records when that happened.
CREATE TABLE message_approvals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  message_id uuid NOT NULL REFERENCES messages (id),
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  review_round integer NOT NULL,
  stage integer NOT NULL CHECK (stage >= 0),
  -- Set for a per-language stage: the language this sign-off covers.
  language text,
  decision text NOT NULL CHECK (decision IN ('approved', 'changes_requested')),
  approver_id uuid NOT NULL REFERENCES users (id),
  version integer NOT NULL,
  content_hash text NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
  comment text NOT NULL DEFAULT '' CHECK (char_length(comment) <= 5000),
  invalidated_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_approvals_message_idx ON message_approvals (message_id, review_round);
-- One decision per approver, stage and language on one content hash.
CREATE UNIQUE INDEX message_approvals_once_idx
  ON message_approvals (message_id, content_hash, stage, coalesce(language, ''), approver_id) WHERE invalidated_at IS NULL;

-- Crisis suspend: while a row is open (resumed_at null) nothing of the organisation or its
-- children is published. Publishing and suspending serialise on advisory locks per organisation
-- (see modules/messages/publishing-control.service.ts).
CREATE TABLE publishing_suspensions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  reason text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 2000),
  suspended_by uuid REFERENCES users (id),
  suspended_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  resumed_by uuid REFERENCES users (id),
  resumed_at timestamptz
);
CREATE UNIQUE INDEX publishing_suspensions_open_idx ON publishing_suspensions (org_id) WHERE resumed_at IS NULL;
CREATE INDEX publishing_suspensions_path_idx ON publishing_suspensions USING gin (org_path) WHERE resumed_at IS NULL;

-- Days on which nothing may be scheduled (national mourning), in the zone they were declared in.
CREATE TABLE blackout_days (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  starts_on date NOT NULL,
  ends_on date NOT NULL CHECK (ends_on >= starts_on),
  zone text NOT NULL,
  -- The instants the days cover in that zone: [starts_at, ends_at).
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
  reason text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 500),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX blackout_days_path_idx ON blackout_days USING gin (org_path);

CREATE TRIGGER campaigns_org_path BEFORE INSERT ON campaigns FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER messages_org_path BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER message_versions_org_path BEFORE INSERT ON message_versions FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER message_texts_org_path BEFORE INSERT ON message_texts FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER message_comments_org_path BEFORE INSERT ON message_comments FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER approval_policies_org_path BEFORE INSERT ON approval_policies FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER message_approvals_org_path BEFORE INSERT ON message_approvals FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER publishing_suspensions_org_path BEFORE INSERT ON publishing_suspensions FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER blackout_days_org_path BEFORE INSERT ON blackout_days FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
-- org_id and org_path never change after insert (a message does not move between organisations).
CREATE FUNCTION guddu_org_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.org_id IS DISTINCT FROM OLD.org_id OR NEW.org_path IS DISTINCT FROM OLD.org_path THEN
    RAISE EXCEPTION 'the organisation of a % row cannot change', TG_TABLE_NAME USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER campaigns_org_fixed BEFORE UPDATE ON campaigns FOR EACH ROW EXECUTE FUNCTION guddu_org_fixed();
CREATE TRIGGER messages_org_fixed BEFORE UPDATE ON messages FOR EACH ROW EXECUTE FUNCTION guddu_org_fixed();
CREATE TRIGGER message_approvals_org_fixed BEFORE UPDATE ON message_approvals FOR EACH ROW EXECUTE FUNCTION guddu_org_fixed();
CREATE TRIGGER approval_policies_org_fixed BEFORE UPDATE ON approval_policies FOR EACH ROW EXECUTE FUNCTION guddu_org_fixed();
CREATE TRIGGER publishing_suspensions_org_fixed BEFORE UPDATE ON publishing_suspensions FOR EACH ROW EXECUTE FUNCTION guddu_org_fixed();
CREATE TRIGGER message_versions_immutable BEFORE UPDATE OR DELETE ON message_versions FOR EACH ROW EXECUTE FUNCTION guddu_immutable_row();
CREATE TRIGGER message_comments_immutable BEFORE UPDATE OR DELETE ON message_comments FOR EACH ROW EXECUTE FUNCTION guddu_immutable_row();

-- Who may sign an approval stage of a message in p_org: active users holding one of p_roles on
-- the organisation or an ancestor (roles are inherited downward), and the named p_users who are
-- members there. Memberships of other organisations are hidden from requests, so this answers
-- through SECURITY DEFINER, and only for an organisation in the caller's own subtree.
CREATE FUNCTION guddu_stage_approvers(p_org uuid, p_roles text[], p_users uuid[]) RETURNS SETOF uuid
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE v_path uuid[] := guddu_org_path(p_org);
BEGIN
  IF current_setting('role') = 'guddu_app' AND NOT (v_path @> ARRAY[guddu_current_org()]) THEN
    RAISE EXCEPTION 'organisation outside the caller''s subtree' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY
    SELECT DISTINCT m.user_id FROM memberships m JOIN users u ON u.id = m.user_id
    WHERE m.org_id = ANY (v_path) AND u.status = 'active'
      AND (m.role = ANY (p_roles) OR m.user_id = ANY (p_users));
END $$;

-- Row-level security: visible and writable from the organisation itself or any ancestor.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['campaigns', 'messages', 'message_versions', 'message_texts', 'message_comments',
    'approval_policies', 'message_approvals', 'publishing_suspensions', 'blackout_days'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    -- (SELECT …): the caller's organisation is read once per statement, not once per row.
    EXECUTE format('CREATE POLICY %I ON %I USING (org_path @> ARRAY[(SELECT guddu_current_org())]) WITH CHECK (org_path @> ARRAY[(SELECT guddu_current_org())])',
      t || '_subtree', t);
  END LOOP;
  -- Rules an organisation inherits are readable from below: a mission sees the ministry's
  -- approval policy, its blackout days and its suspension, but cannot change them.
  FOREACH t IN ARRAY ARRAY['approval_policies', 'publishing_suspensions', 'blackout_days'] LOOP
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (org_id = ANY (guddu_org_path(guddu_current_org())))', t || '_inherited', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON campaigns, messages, approval_policies, publishing_suspensions TO guddu_app;
-- A decision is never edited; a later content change only marks it as no longer counting.
GRANT SELECT, INSERT, UPDATE (invalidated_at) ON message_approvals TO guddu_app;
GRANT SELECT, INSERT ON message_versions, message_comments TO guddu_app;
GRANT SELECT, INSERT, DELETE ON message_texts, blackout_days TO guddu_app;
GRANT DELETE ON approval_policies TO guddu_app;
REVOKE EXECUTE ON FUNCTION guddu_org_path(uuid), guddu_stage_approvers(uuid, text[], uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION guddu_org_path(uuid), guddu_stage_approvers(uuid, text[], uuid[]) TO guddu_app;

-- Scheduler entries of a message belong to the message's organisation; whoever may act on the
-- message (its organisation or an ancestor) must be able to move or cancel them in their own
-- transaction. The original rule (0003) admits the organisation acted in only; this adds the
-- organisations above.
CREATE POLICY scheduled_jobs_ancestors ON scheduled_jobs
  USING (org_id IS NOT NULL AND guddu_org_path(org_id) @> ARRAY[guddu_current_org()])
  WITH CHECK (org_id IS NOT NULL AND guddu_org_path(org_id) @> ARRAY[guddu_current_org()]);
