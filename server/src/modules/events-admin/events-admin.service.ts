import { Injectable } from '@nestjs/common';
import { orgOf, type RequestContext } from '../../platform/context/request-context.js';
import { AuditService } from '../audit/audit.service.js';
import type { DeadLetterView } from './events-admin.dto.js';
import { eventsAdminError } from './events-admin.errors.js';
import { EventsAdminRepository } from './events-admin.repository.js';

/**
 * Lets an organisation's admins see the events the outbox relay gave up on (decision 0006) and
 * put them back in line once the cause is fixed. The outbox has row-level security: another
 * organisation's event answers 404, as a missing one does. An admin of a ministry reaches a
 * mission's events by acting in the mission (x-guddu-org), as for every other tenant table.
 */
@Injectable()
export class EventsAdminService {
  constructor(
    private readonly repo: EventsAdminRepository,
    private readonly audit: AuditService,
  ) {}

  async listDeadLettered(ctx: RequestContext, limit: number): Promise<DeadLetterView[]> {
    return this.repo.listDeadLettered(orgOf(ctx), limit);
  }

  // One transaction: the audit record and the redrive commit together, and the relay (woken at
  // commit) tries the event again with a fresh set of attempts.
  async redrive(ctx: RequestContext, id: string): Promise<void> {
    const event = await this.repo.findEvent(orgOf(ctx), id);
    if (!event) throw eventsAdminError('event_not_found', 'No such event in this organisation');
    if (!event.deadLettered) throw eventsAdminError('event_not_dead_lettered', 'Only a dead-lettered event can be redriven');
    await this.audit.record(ctx, { action: 'event.redriven', targetType: 'event', targetId: id, before: { name: event.name, attempts: event.attempts, lastError: event.lastError } });
    const result = await this.repo.redrive(id);
    // Another admin's redrive may have come first (the function re-checks under the row lock).
    if (result !== 'redriven') throw eventsAdminError('event_not_dead_lettered', 'Only a dead-lettered event can be redriven');
  }
}
