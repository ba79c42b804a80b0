import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Job } from 'bullmq';
import { Transactor } from '../../platform/database/transactor.js';
import { JobQueue } from '../../platform/jobs/job-queue.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import { PLATFORM_RESOURCES, runsBackgroundWork, type PlatformResources } from '../../platform/platform.module.js';
import { NotificationAlertsRepository } from './notification-alerts.repository.js';
import { NotificationRecipients } from './notification-recipients.js';
import { NotificationRecorder } from './notification-recorder.js';

const PAGE = 200;
/**
 * A dead letter is stamped when its transaction starts, and a relay round can stay open long
 * after (every subscriber of a batch runs inside it): one stamped earlier may commit after one
 * stamped later. The mark therefore trails the scan by this much, and what is seen again is
 * recorded once (the notification's id is the dead letter's).
 */
const LATE_COMMIT_GRACE_MS = 10 * 60_000;
/** Failed jobs looked at per scan, newest first (as the jobs admin screen does). */
const JOB_SCAN = 2_000;

/** A stable id for what stands in for an event: the same dead letter or failure always records the same notifications. */
export function alertEventId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/**
 * Tells admins what Guddu gave up on: an event dead-lettered (by the relay or a subscriber) and
 * a job that exhausted its retries reach those who can act on them (jobs.manage) in the
 * organisation concerned, or the first root's owners when a job belongs to no organisation.
 *
 * It reads rather than hooks in: the events and jobs platforms stay unaware of notifications, and
 * a process that was down when something failed still tells of it at its next scan. A mark per
 * source keeps each scan short; the recorder's UNIQUE (event_id, user_id) makes a scan that
 * overlaps another (two processes, a crash before the mark moved) record nothing twice.
 * Failures of notifications' own jobs are not announced: they are in the failure list already,
 * and announcing them could feed on itself.
 */
@Injectable()
export class NotificationAdminAlerts implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly tx: Transactor,
    private readonly repo: NotificationAlertsRepository,
    private readonly who: NotificationRecipients,
    private readonly recorder: NotificationRecorder,
    private readonly queue: JobQueue,
    @Inject(PLATFORM_RESOURCES) private readonly res: PlatformResources,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!runsBackgroundWork(this.res.role)) return;
    this.timer = setInterval(() => {
      this.running ??= this.scan()
        .catch((err: unknown) => this.log.warn({ err }, 'notifications: admin alert scan failed; the next one tries again'))
        .finally(() => (this.running = undefined));
    }, this.res.config.jobs.sweepMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass over both sources; returns how many notifications it recorded. */
  async scan(): Promise<{ deadLetters: number; jobs: number }> {
    return { deadLetters: await this.deadLetters(), jobs: await this.failedJobs() };
  }

  private deadLetters(): Promise<number> {
    const scanStart = Date.now();
    return this.tx.withTenantBypass('notifications: tell each organisation’s admins of its dead-lettered events', async () => {
      const letters = await this.repo.deadLettersSince(await this.repo.mark('dead_letters'), PAGE);
      let recorded = 0;
      for (const l of letters) {
        recorded += await this.recorder.record(
          { id: alertEventId('dead-letter', l.kind, l.id), orgId: l.org_id, correlationId: l.correlation_id },
          'event_dead_lettered',
          await this.who.holding(l.org_id, 'jobs.manage'),
          { type: 'event', id: l.id },
          { event: l.name, consumer: l.consumer ?? 'the event relay', reason: brief(l.last_error) },
        );
      }
      const last = letters.at(-1);
      if (last) await this.repo.advance('dead_letters', new Date(Math.min(last.dead_lettered_at.getTime(), scanStart - LATE_COMMIT_GRACE_MS)));
      return recorded;
    });
  }

  private async failedJobs(): Promise<number> {
    const jobs = await this.queue.raw().getJobs(['failed'], 0, JOB_SCAN - 1, false);
    return this.tx.withTenantBypass('notifications: tell admins of jobs that failed for good', async () => {
      const since = (await this.repo.mark('jobs')).getTime();
      // In the failed set a job has no retry left (one with retries left waits in the delayed set).
      const given = jobs.filter((j) => (j.finishedOn ?? 0) >= since && !j.name.startsWith('notifications.'));
      if (given.length === 0) return 0;
      const root = await this.repo.firstRoot();
      let recorded = 0;
      for (const j of given) {
        const orgId = orgOf(j) ?? root;
        if (!orgId) continue;
        const recipients = orgOf(j) ? await this.who.holding(orgId, 'jobs.manage') : await this.who.withRoles(orgId, ['owner']);
        recorded += await this.recorder.record(
          { id: alertEventId('job', j.id ?? '', String(j.finishedOn)), orgId, correlationId: correlationOf(j) },
          'job_failed',
          recipients,
          { type: 'job', id: j.id ?? '' },
          { job: j.name, attempts: j.attemptsMade, reason: brief(j.failedReason) },
        );
      }
      await this.repo.advance('jobs', new Date(Math.max(...given.map((j) => j.finishedOn ?? 0))));
      return recorded;
    });
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function orgOf(job: Job): string | undefined {
  const org = (job.data as { orgId?: unknown } | undefined)?.orgId;
  return typeof org === 'string' && UUID.test(org) ? org : undefined;
}

function correlationOf(job: Job): string | null {
  const c = (job.data as { correlationId?: unknown } | undefined)?.correlationId;
  return typeof c === 'string' ? c : null;
}

/** A reason fit for a notification (params stay small): the first line, 300 characters at most. */
function brief(reason: string | null | undefined): string {
  return (reason ?? 'no reason recorded').split('\n')[0]!.slice(0, 300);
}
