import { Inject, Injectable } from '@nestjs/common';
import { systemContext } from '../../platform/context/request-context.js';
import { Transactor } from '../../platform/database/transactor.js';
import { JobHandler } from '../../platform/jobs/job-handler.decorator.js';
import type { GudduJobs } from '../../platform/jobs/jobs.types.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import { MessageRelease } from '../messages/message-release.service.js';
import { DeliveryPlanner } from './delivery-planner.service.js';
import { PublishingRepository } from './publishing.repository.js';
import './publishing.jobs.js';

type DueJob = 'publishing.due' | 'messages.due';

/**
 * The publishing gate every due message passes. It decides whether the message may go out now;
 * the messages module applies the outcome (MessageRelease).
 *
 * The gate and a suspend serialise on advisory locks per organisation: the gate takes a shared
 * lock for each organisation of the message's path and holds it to its commit; a suspend takes
 * its organisation's lock exclusively before recording itself (PublishingService). So a suspend
 * commits only after every publish already cleared has committed, and every gate that runs after
 * it sees it: from the commit of the suspend, nothing below it starts publishing.
 */
@Injectable()
export class PublishingGate {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: PublishingRepository,
    private readonly messages: MessageRelease,
    private readonly planner: DeliveryPlanner,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  @JobHandler('publishing.due')
  async due(p: GudduJobs['publishing.due']): Promise<void> {
    await this.pass('publishing.due', p);
  }

  /** Entries armed before the publishing module carry the old job name: same gate. */
  @JobHandler('messages.due')
  async legacyDue(p: GudduJobs['messages.due']): Promise<void> {
    await this.pass('messages.due', p);
  }

  /**
   * In one transaction: lock the message and the organisation path, then hold it (suspended,
   * blackout), wait for its embargo, or release it. A stale fire (content changed, unscheduled,
   * already held) does nothing.
   */
  private async pass(job: DueJob, p: GudduJobs[DueJob]): Promise<void> {
    await this.tx.withTenantBypass('publishing: due message through the gate', async () => {
      // 1. Only the current arming counts: an entry superseded by a reschedule, an unschedule,
      //    an edit or a resume carries another key, and a held message waits for its resume.
      const msg = await this.messages.findLocked(p.messageId);
      if (!msg || msg.status !== 'scheduled' || msg.schedule_key !== p.idempotencyKey || msg.content_hash !== p.contentHash || msg.held_by_suspension) {
        this.log.info({ messageId: p.messageId, status: msg?.status }, 'publishing: due fire no longer applies');
        return;
      }
      const ctx = systemContext(job, msg.org_id, p.correlationId);
      // 2. Suspended here or above: held for a decision at resume.
      await this.repo.lockPathForPublishing(msg.org_path);
      const suspension = await this.repo.activeSuspension(msg.org_path);
      if (suspension) return this.messages.holdForSuspension(ctx, msg, suspension);
      // 3. Blackout days declared after it was scheduled: it waits for a new time.
      const blackout = await this.repo.blackoutAt(msg.org_path, new Date());
      if (blackout) return this.messages.holdForBlackout(ctx, msg, blackout.reason);
      // 4. Embargoed beyond now: due again when the embargo lifts.
      if (msg.embargo_until && msg.embargo_until.getTime() > Date.now()) return this.messages.waitForEmbargo(ctx, msg, msg.embargo_until);
      // 5. May go out: publishing starts (or back to review if its approvals no longer hold),
      //    and its deliveries are planned in this same transaction, their jobs enqueued at its
      //    commit: no hop through the outbox between "may go out" and the first network call.
      const started = await this.messages.release(ctx, msg);
      if (started) await this.planner.planRelease(ctx, { orgId: started.org_id, messageId: started.id, version: started.version, contentHash: started.content_hash });
    });
  }
}
