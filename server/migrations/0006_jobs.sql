-- A scheduled entry whose run has started is 'running' (decision 0007): the fire claims the row
-- (row lock, state change, commit) before it runs the entry's job, so a cancel either comes
-- first and the fire does nothing, or comes after and is told the run has started.
ALTER TABLE scheduled_jobs DROP CONSTRAINT scheduled_jobs_state_check;
ALTER TABLE scheduled_jobs ADD CONSTRAINT scheduled_jobs_state_check
  CHECK (state IN ('pending', 'running', 'done', 'cancelled', 'failed'));
