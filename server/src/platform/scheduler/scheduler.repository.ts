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

  /**
   * The fires' claim: marks each entry's run as started, only if the entry is still at that
   * version and live; one result per run asked for, undefined where the fire is stale.
   * 'running' is claimable again because a fire job re-runs only when the worker running it
   * died. The UPDATE takes the row locks, so a claim and a cancel are ordered: the later one
   * sees what the earlier committed.
   */
  async claimRuns(runs: readonly { id: string; version: number }[]): Promise<(ScheduledEntry | undefined)[]> {
    const { rows } = await sql<ScheduledEntry>`
      UPDATE scheduled_jobs s SET state = 'running', updated_at = now()
      FROM unnest(${runs.map((r) => r.id)}::uuid[], ${runs.map((r) => r.version)}::int[]) AS c(id, version)
      WHERE s.id = c.id AND s.version = c.version AND s.state IN ('pending', 'failed', 'running')
      RETURNING s.*`.execute(this.tx.current());
    // By (id, version): a stale fire batched with the current one for the same entry must not
    // get the current row back. A run asked for twice in one batch is handed out once.
    const claimed = new Map(rows.map((r) => [`${r.id}:${r.version}`, r]));
    return runs.map((r) => {
      const key = `${r.id}:${r.version}`;
      const entry = claimed.get(key);
      claimed.delete(key);
      return entry;
    });
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

  /**
   * Records a run's outcome for the run claimed at that version: done, failed for good, or
   * pending again until the fire's next attempt (so it can still be cancelled meanwhile).
   */
  async finish(outcomes: readonly { id: string; version: number; state: 'done' | 'failed' | 'pending' }[]): Promise<void> {
    await sql`
      UPDATE scheduled_jobs s
         SET state = c.state, attempts = s.attempts + 1, updated_at = now(),
             done_at = CASE WHEN c.state = 'done' THEN now() END
      FROM unnest(${outcomes.map((o) => o.id)}::uuid[], ${outcomes.map((o) => o.version)}::int[], ${outcomes.map((o) => o.state)}::text[]) AS c(id, version, state)
      WHERE s.id = c.id AND s.version = c.version AND s.state = 'running'`.execute(this.tx.current());
  }

  /** Entries 'running' since before `before`, in id order, a page at a time (reconciliation). */
  runningSince(before: Date, afterId: string | null, limit: number): Promise<ScheduledEntry[]> {
    let q = this.tx.current().selectFrom('scheduled_jobs').selectAll().where('state', '=', 'running').where('updated_at', '<', before);
    if (afterId) q = q.where('id', '>', afterId);
    return q.orderBy('id').limit(limit).execute();
  }

  /**
   * Settles a run whose fire job is gone or finished without recording it: only while the entry
   * is still 'running' at that version (a fire that records its outcome first wins).
   */
  async settleRun(id: string, version: number, state: 'done' | 'failed' | 'pending'): Promise<ScheduledEntry | undefined> {
    return this.tx
      .current()
      .updateTable('scheduled_jobs')
      .set({ state, updated_at: new Date(), done_at: state === 'done' ? new Date() : null })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('state', '=', 'running')
      .returningAll()
      .executeTakeFirst();
  }

  /** Pending entries in id order, a page at a time (reconciliation). */
  pendingAfter(afterId: string | null, limit: number): Promise<ScheduledEntry[]> {
    let q = this.tx.current().selectFrom('scheduled_jobs').selectAll().where('state', '=', 'pending');
    if (afterId) q = q.where('id', '>', afterId);
    return q.orderBy('id').limit(limit).execute();
  }
}
