import { Inject, Injectable } from '@nestjs/common';
import { Transactor } from '../../platform/database/transactor.js';
import type { EventEnvelope, EventName } from '../../platform/events/events.types.js';
import { JobQueue } from '../../platform/jobs/job-queue.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import { RealtimeUsers } from '../realtime/realtime-users.service.js';
import { urgencyOf, type NotificationKind } from './notification-kinds.js';
import { notificationView } from './notifications.views.js';
import { NotificationsRepository, type Recipient } from './notifications.repository.js';
import './notifications.jobs.js';

export interface Subject {
  type: string;
  id: string;
}

/**
 * Records one notification per person for an event, in the event's transaction, and after the
 * commit pushes each to its person's open consoles and queues its outside channels. An event
 * handled twice records nothing new (UNIQUE (event_id, user_id)) and so pushes and queues nothing.
 *
 * The push goes first and the queueing is not awaited: the event's delivery (and, in embedded
 * mode, the next event of its aggregate for every subscriber) does not wait on the job queue for
 * email, push and SMS (decision 0034). A queueing that fails or never happens leaves the
 * notifications undispatched, and the sweep queues them.
 */
@Injectable()
export class NotificationRecorder {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: NotificationsRepository,
    private readonly queue: JobQueue,
    private readonly live: RealtimeUsers,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** `event`: a domain event, or what stands for one (an admin alert derives its id from the dead letter or job). */
  async record<N extends EventName>(event: Pick<EventEnvelope<N>, 'id' | 'orgId' | 'correlationId'>, kind: NotificationKind, recipients: Recipient[], subject: Subject, params: Record<string, string | number>): Promise<number> {
    if (recipients.length === 0) return 0;
    const urgency = urgencyOf(kind);
    const rows = await this.repo.insertMany(
      recipients.map((r) => ({ orgId: event.orgId, userId: r.userId, eventId: event.id, kind, urgency, subjectType: subject.type, subjectId: subject.id, params })),
    );
    if (rows.length === 0) return 0;
    const correlationId = event.correlationId ?? `event:${event.id}`;
    this.tx.afterCommit(async () => {
      for (const row of rows) {
        this.live.notify(row.user_id, notificationView({ id: row.id, org_id: event.orgId, kind, urgency, subject_type: subject.type, subject_id: subject.id, params, read_at: null, created_at: row.created_at }));
      }
      // If this process dies before these are queued, the sweep finds the notifications undispatched.
      this.queue
        .enqueueMany(
          'notifications.dispatch',
          rows.map((row) => ({ payload: { notificationId: row.id, orgId: event.orgId, correlationId, idempotencyKey: `notification:${row.id}` } })),
        )
        .catch((err: unknown) => this.log.warn({ err, eventId: event.id, notifications: rows.length }, 'notifications: queueing their outside channels failed; the sweep queues them'));
    });
    return rows.length;
  }
}

