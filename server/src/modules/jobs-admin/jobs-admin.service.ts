import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobQueue } from '../../platform/jobs/job-queue.js';
import { orgOf, type RequestContext } from '../../platform/context/request-context.js';
import { AuditService } from '../audit/audit.service.js';
import type { JobView } from './jobs-admin.dto.js';
import { jobsAdminError } from './jobs-admin.errors.js';

// Failed jobs are scanned newest first up to this many per listing; enough for an admin screen.
const SCAN = 2_000;

/**
 * Lets an organisation's admins see and act on its permanently failed jobs. Jobs are system
 * level (no row-level security in the job store), so the organisation filter is applied here,
 * on the payload's orgId: another organisation's job answers 404, as an RLS miss would.
 */
@Injectable()
export class JobsAdminService {
  constructor(
    private readonly queue: JobQueue,
    private readonly audit: AuditService,
  ) {}

  async listFailed(ctx: RequestContext, limit: number): Promise<JobView[]> {
    const orgId = orgOf(ctx);
    const jobs = await this.queue.raw().getJobs(['failed'], 0, SCAN - 1, false);
    return jobs.filter((j) => ownedBy(j, orgId)).slice(0, limit).map((j) => view(j, 'failed'));
  }

  // Retry and discard audit first: if the queue refuses, the request fails and its audit record
  // rolls back with it.
  async retry(ctx: RequestContext, id: string): Promise<void> {
    const job = await this.failedJob(ctx, id);
    await this.audit.record(ctx, { action: 'job.retried', targetType: 'job', targetId: id, after: { name: job.name, attemptsMade: job.attemptsMade } });
    await job.retry('failed');
  }

  async discard(ctx: RequestContext, id: string): Promise<void> {
    const job = await this.failedJob(ctx, id);
    await this.audit.record(ctx, { action: 'job.discarded', targetType: 'job', targetId: id, before: { name: job.name, failedReason: job.failedReason } });
    await job.remove();
  }

  /** The organisation's job `id`, which must be in the failed state. */
  private async failedJob(ctx: RequestContext, id: string): Promise<Job> {
    const job = await this.queue.getJob(id);
    if (!job || !ownedBy(job, orgOf(ctx))) throw jobsAdminError('job_not_found', 'No such job in this organisation');
    if ((await job.getState()) !== 'failed') throw jobsAdminError('job_not_failed', 'Only a failed job can be retried or discarded');
    return job;
  }
}

function ownedBy(job: Job, orgId: string): boolean {
  return (job.data as { orgId?: unknown } | undefined)?.orgId === orgId;
}

function view(job: Job, state: string): JobView {
  const data = (job.data ?? {}) as Record<string, unknown>;
  return {
    id: job.id ?? '',
    name: job.name,
    state,
    attemptsMade: job.attemptsMade,
    failedReason: job.failedReason || null,
    correlationId: typeof data.correlationId === 'string' ? data.correlationId : null,
    createdAt: new Date(job.timestamp).toISOString(),
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    data,
  };
}
