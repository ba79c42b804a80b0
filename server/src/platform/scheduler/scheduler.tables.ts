import type { ColumnType, Generated } from 'kysely';

export type ScheduleState = 'pending' | 'running' | 'done' | 'cancelled' | 'failed';

export interface ScheduledJobsTable {
  id: Generated<string>;
  org_id: string | null;
  key: string;
  job_name: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  run_at: Date;
  version: Generated<number>;
  state: ColumnType<ScheduleState, ScheduleState | undefined, ScheduleState>;
  attempts: Generated<number>;
  done_at: Date | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

declare module '../database/database.types.js' {
  interface Database {
    scheduled_jobs: ScheduledJobsTable;
  }
}
