-- Job worker processes and their heartbeats (decision 0013). Runs on PostgreSQL 15 and 18.
-- A worker that holds jobs ahead of their instant and stops beating for
-- GUDDU_WORKER_DEAD_SECONDS is taken over: another worker sets taken_over_at (so the old one,
-- should it wake, learns it before releasing anything) and hands back the held jobs due after
-- `released_until` (epoch ms, the worker's own clock: the latest instant it had released jobs
-- for), which it cannot have started. System table.
CREATE TABLE job_workers (
  name text PRIMARY KEY,
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  released_until bigint NOT NULL DEFAULT 0,
  taken_over_at timestamptz
);
REVOKE ALL ON job_workers FROM PUBLIC;
