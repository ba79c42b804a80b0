-- Scheduler: durable "run this job at that time" entries (publishing, reminders).
-- The row is the truth; the BullMQ delayed job that fires it is derived from (id, version) and
-- can be re-created from the row at any time (reconciliation after a restore or a lost Redis).
CREATE TABLE scheduled_jobs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Null for installation-wide work; otherwise the organisation the work belongs to.
  org_id uuid REFERENCES organisations (id) ON DELETE CASCADE,
  -- The caller's key ("publish:<post id>"): one entry per key, ever.
  key text NOT NULL UNIQUE CHECK (char_length(key) BETWEEN 1 AND 300),
  job_name text NOT NULL,
  payload jsonb NOT NULL,
  run_at timestamptz NOT NULL,
  -- Bumped by every reschedule and cancel: a fired job carrying an older version is stale.
  version integer NOT NULL DEFAULT 1,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'cancelled', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  done_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scheduled_jobs_pending_idx ON scheduled_jobs (run_at) WHERE state = 'pending';
CREATE INDEX scheduled_jobs_org_idx ON scheduled_jobs (org_id);

-- A request schedules, reschedules and cancels its own organisation's entries inside its own
-- transaction (so an entry exists only if the change that made it commits); firing and the
-- reconciliation sweep run through the tenant bypass.
ALTER TABLE scheduled_jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE scheduled_jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY scheduled_jobs_tenant ON scheduled_jobs
  USING (org_id = guddu_current_org()) WITH CHECK (org_id = guddu_current_org());
GRANT SELECT, INSERT, UPDATE ON scheduled_jobs TO guddu_app;
