import type { ColumnType } from 'kysely';

/** A job worker process and its heartbeat (migration 0011_job_workers, decision 0013). */
export interface JobWorkersTable {
  name: string;
  heartbeat_at: ColumnType<Date, Date | undefined, Date>;
  /** Epoch ms on the worker's clock: held jobs due after this were never started by it. */
  released_until: ColumnType<string, number | undefined, number>;
  taken_over_at: Date | null;
}

declare module '../database/database.types.js' {
  interface Database {
    job_workers: JobWorkersTable;
  }
}
