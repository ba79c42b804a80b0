import { Injectable } from '@nestjs/common';
import { SchedulerError, SchedulerService } from '../../platform/scheduler/scheduler.service.js';
import { PublishingRepository } from './publishing.repository.js';
import './publishing.jobs.js';

/** The message a due entry is armed for, as the messages module knows it. */
export interface DueMessage {
  id: string;
  orgId: string;
  revision: number;
  contentHash: string;
  /** The entry and key already armed for it, if any. */
  entryId: string | null;
  key: string | null;
}

/**
 * What the messages module asks publishing about "when": which blackout days cover a time, and
 * the scheduler entry that brings a message to the gate (armed at once unless a blackout covers
 * the time, for an approval). It depends on nothing of messages, so
 * messages can import it while publishing imports messages' services (no Nest cycle).
 */
@Injectable()
export class PublishingSchedule {
  constructor(
    private readonly repo: PublishingRepository,
    private readonly scheduler: SchedulerService,
  ) {}

  /** The blackout covering `at` for an organisation path, if any. */
  blackoutAt(orgPath: string[], at: Date) {
    return this.repo.blackoutAt(orgPath, at);
  }

  /**
   * Arms (or moves) the entry that makes the message due at `at`. The key is kept on the
   * message: the gate acts only on a fire carrying the current key, so an entry this could not
   * move or cancel stays harmless.
   */
  async armDue(msg: DueMessage, at: Date, correlationId: string): Promise<{ entryId: string; key: string }> {
    let entryId = msg.entryId;
    if (entryId) {
      try {
        await this.scheduler.reschedule(entryId, at);
      } catch (err) {
        if (!(err instanceof SchedulerError)) throw err;
        entryId = null;
      }
    }
    if (entryId && msg.key) return { entryId, key: msg.key };
    const key = `message-due:${msg.id}:r${msg.revision}`;
    // The entry belongs to the message's organisation, so that it and every organisation above
    // it can move or cancel it (the scheduled_jobs rules of 0003 and 0005).
    const payload = { messageId: msg.id, orgId: msg.orgId, correlationId, idempotencyKey: key, contentHash: msg.contentHash };
    return { entryId: await this.scheduler.schedule(at, 'publishing.due', payload, key), key };
  }

  /**
   * Approval's one question to publishing: arms the entry unless blackout days cover `at`, in
   * which case nothing is armed and the blackout is returned for the message to be held.
   */
  async armUnlessBlackout(msg: DueMessage, orgPath: string[], at: Date, correlationId: string): Promise<{ armed: { entryId: string; key: string } } | { blackout: { reason: string } }> {
    const blackout = await this.repo.blackoutAt(orgPath, at);
    if (blackout) return { blackout };
    return { armed: await this.armDue(msg, at, correlationId) };
  }

  /** The message is no longer due (unscheduled, edited, withdrawn). */
  async disarmDue(entryId: string | null): Promise<void> {
    if (entryId) await this.scheduler.cancel(entryId);
  }
}
