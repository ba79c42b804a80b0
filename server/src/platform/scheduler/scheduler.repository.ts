import { Injectable } from '@nestjs/common';
import { sql, type Selectable } from 'kysely';
import { Transactor } from '../database/transactor.js';
import type { ScheduledJobsTable } from './scheduler.tables.js';

export type ScheduledEntry = Selectable<ScheduledJobsTable>;

/** SQL of the scheduler; every method runs inside the caller's (bypass) transaction. */
@Injectable()
export class SchedulerRepository {
  constructor(private readonly tx: Transactor) {}

  /** One entry per key: a new key inserts; a cancelled entry's key revives it; else the existing entry. */
  async insertOrGet(e: { orgId: string | null; key: string; jobName: string; payload: unknown; runAt: Date }): Promise<ScheduledEntry> {
    const db = this.tx.current();
    const inserted = await db
      .insertInto('scheduled_jobs')
      .values({ org_id: e.orgId, key: e.key, job_name: e.jobName, payload: JSON.stringify(e.payload), run_at: e.runAt })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          job_name: e.jobName,
          payload: JSON.stringify(e.payload),
          run_at: e.runAt,
          state: 'pending',
          version: sql<number>`scheduled_jobs.version + 1`,
          updated_at: new Date(),
        }).where('scheduled_jobs.state', '=', 'cancelled'),
      )
      .returningAll()
      .executeTakeFirst();
    return inserted ?? (await db.selectFrom('scheduled_jobs').selectAll().where('key', '=', e.key).executeTakeFirstOrThrow());
  }

  findById(id: string): Promise<ScheduledEntry | undefined> {
    return this.tx.current().selectFrom('scheduled_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Locks the entry for the fire check, so a concurrent cancel waits for the decision. */
  lockForFire(id: string): Promise<ScheduledEntry | undefined> {
    return this.tx.current().selectFrom('scheduled_jobs').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  /** A new time and version for a pending entry; undefined if it is no longer pending. */
  reschedule(id: string, runAt: Date): Promise<ScheduledEntry | undefined> {
    return this.tx
      .current()
      .updateTable('scheduled_jobs')
      .set({ run_at: runAt, version: sql<number>`version + 1`, updated_at: new Date() })
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .returningAll()
      .executeTakeFirst();
  }

  cancel(id: string): Promise<ScheduledEntry | undefined> {
    return this.tx
      .current()
      .updateTable('scheduled_jobs')
      .set({ state: 'cancelled', version: sql<number>`version + 1`, updated_at: new Date() })
      .where('id', '=', id)
      .where('state', 'in', ['pending', 'failed'])
      .returningAll()
      .executeTakeFirst();
  }

  /** Records a run's outcome, only if the entry is still at that version. */
  async finish(id: string, version: number, state: 'done' | 'failed'): Promise<void> {
    await this.tx
      .current()
      .updateTable('scheduled_jobs')
      .set({ state, attempts: sql<number>`attempts + 1`, done_at: state === 'done' ? new Date() : null, updated_at: new Date() })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('state', 'in', ['pending', 'failed'])
      .execute();
  }

  /** Pending entries in id order, a page at a time (reconciliation). */
  pendingAfter(afterId: string | null, limit: number): Promise<ScheduledEntry[]> {
    let q = this.tx.current().selectFrom('scheduled_jobs').selectAll().where('state', '=', 'pending');
    if (afterId) q = q.where('id', '>', afterId);
    return q.orderBy('id').limit(limit).execute();
  }
}
