import { Inject, Injectable } from '@nestjs/common';
import { Transactor } from '../database/transactor.js';
import { jobOptionsOf } from '../jobs/job-catalog.js';
import { JobHandler } from '../jobs/job-handler.decorator.js';
import { JobHandlers } from '../jobs/job-handlers.js';
import { JobQueue, jobIdFor } from '../jobs/job-queue.js';
import type { GudduJobs, JobContext, JobEnvelope, JobName } from '../jobs/jobs.types.js';
import { LOGGER, type Logger } from '../logging/logger.js';
import { Batches } from './scheduler.batches.js';
import { SchedulerRepository, type ScheduledEntry } from './scheduler.repository.js';
import './scheduler.jobs.js';

export class SchedulerError extends Error {
  override name = 'SchedulerError';
}

/**
 * Durable "run job J at time T" (decision 0007). The row in `scheduled_jobs` is the truth; the
 * BullMQ delayed job that fires it has an id derived from (entry id, version), so it can be
 * re-created at any time and never added twice. Cancel and reschedule change the row first;
 * the fire handler re-reads the row and runs only the current version of a live entry, so a
 * cancelled or moved entry never runs its stale job.
 */
@Injectable()
export class SchedulerService {
  // Fires released together claim and record their runs together (scheduler.batches.ts).
  private readonly claims = new Batches((runs: { id: string; version: number }[]) =>
    this.tx.withTenantBypass('scheduler: claim runs', () => this.repo.claimRuns(runs)),
  );
  private readonly outcomes = new Batches(async (o: { id: string; version: number; state: 'done' | 'failed' | 'pending' }[]) => {
    await this.tx.withTenantBypass('scheduler: record runs', () => this.repo.finish(o));
    return o.map(() => undefined);
  });

  constructor(
    private readonly tx: Transactor,
    private readonly repo: SchedulerRepository,
    private readonly queue: JobQueue,
    private readonly handlers: JobHandlers,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /**
   * Idempotent by key: scheduling a key again returns the existing entry's id (unless it was
   * cancelled). Called inside a unit of work (a request, a job), the entry is part of that
   * transaction: it exists only if the caller's change commits, and its job is armed after the
   * commit (the sweep arms it if the process dies in between). schedule, reschedule and
   * cancel all behave this way.
   */
  async schedule<N extends JobName>(at: Date, jobName: N, payload: GudduJobs[N], key: string): Promise<string> {
    jobOptionsOf(jobName); // an undeclared job fails here, not at fire time
    const orgId = (payload as JobEnvelope).orgId;
    return this.inCallerOrOwn('scheduler: store an entry', async () => {
      const entry = await this.repo.insertOrGet({ orgId, key, jobName, payload, runAt: at });
      if (entry.state === 'pending') this.tx.afterCommit(() => this.arm(entry));
      return entry.id;
    });
  }

  async reschedule(id: string, at: Date): Promise<void> {
    await this.inCallerOrOwn('scheduler: reschedule', async () => {
      const entry = await this.repo.reschedule(id, at);
      if (!entry) throw new SchedulerError(`scheduled entry ${id} is not pending`);
      this.tx.afterCommit(async () => {
        await this.disarm(entry.id, entry.version - 1);
        await this.arm(entry);
      });
    });
  }

  /**
   * True if the entry will not run. False if its run has already started (or finished), or it
   * was already cancelled: a cancel and a fire take the row lock in turn, so a cancel never
   * reports success for a run that goes ahead.
   */
  async cancel(id: string): Promise<boolean> {
    return this.inCallerOrOwn('scheduler: cancel', async () => {
      const entry = await this.repo.cancel(id);
      if (!entry) return false;
      this.tx.afterCommit(() => this.disarm(entry.id, entry.version - 1));
      return true;
    });
  }

  /** The caller's unit of work when there is one (tenant rules apply), else a system one. */
  private inCallerOrOwn<T>(reason: string, fn: () => Promise<T>): Promise<T> {
    return this.tx.currentScope() ? fn() : this.tx.withTenantBypass(reason, fn);
  }

  find(id: string): Promise<ScheduledEntry | undefined> {
    return this.tx.withTenantBypass('scheduler: read an entry', () => this.repo.findById(id));
  }

  /**
   * Claims the run (the entry becomes 'running' in its own committed transaction, under the row
   * lock), then runs the entry's job. The worker starts this no earlier than the entry's time
   * (the fire is armed with runAt). A claim that finds the entry cancelled or moved skips.
   */
  @JobHandler('scheduler.fire')
  async fire(p: GudduJobs['scheduler.fire'], ctx: JobContext): Promise<void> {
    const entry = await this.claims.add({ id: p.entryId, version: p.version });
    if (!entry) {
      this.log.info({ entryId: p.entryId, version: p.version }, 'scheduler: stale fire skipped');
      return;
    }
    try {
      await this.handlers.get(entry.job_name)(entry.payload, { ...ctx, name: entry.job_name as JobName });
    } catch (err) {
      // Pending again between attempts, so a cancel can still stop the retry.
      const last = ctx.attempt >= jobOptionsOf(entry.job_name).attempts;
      await this.outcomes.add({ id: entry.id, version: entry.version, state: last ? 'failed' : 'pending' });
      throw err;
    }
    await this.outcomes.add({ id: entry.id, version: entry.version, state: 'done' });
  }

  /**
   * Adds the entry's fire job, armed ahead and held by the worker until the entry's time; a
   * no-op when that (id, version) job already exists.
   */
  async arm(entry: ScheduledEntry): Promise<void> {
    const o = jobOptionsOf(entry.job_name);
    const idempotencyKey = `${entry.id}.v${entry.version}`;
    const envelope = entry.payload as Partial<JobEnvelope>;
    await this.queue.enqueue(
      'scheduler.fire',
      { entryId: entry.id, version: entry.version, orgId: entry.org_id, correlationId: envelope.correlationId ?? `scheduler:${entry.id}`, idempotencyKey },
      { runAt: entry.run_at, retry: o },
    );
  }

  fireJobId(entryId: string, version: number): string {
    return jobIdFor('scheduler.fire', `${entryId}.v${version}`);
  }

  /** Best effort: the stale job would find its version outdated and do nothing anyway. */
  private async disarm(entryId: string, version: number): Promise<void> {
    try {
      await this.queue.remove(this.fireJobId(entryId, version));
    } catch (err) {
      this.log.warn({ err, entryId, version }, 'scheduler: could not remove a stale fire job');
    }
  }
}
