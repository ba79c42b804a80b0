import { Injectable } from '@nestjs/common';
import { orgOf, type RequestContext } from '../../platform/context/request-context.js';
import { AuditService } from '../audit/audit.service.js';
import type { DeadLetterView } from './events-admin.dto.js';
import { eventsAdminError } from './events-admin.errors.js';
import { EventsAdminRepository, type DeadLetterSummary } from './events-admin.repository.js';

/**
 * Lets an organisation's admins see the events Guddu gave up on, by the relay (decisions 0006)
 * or by a subscriber (0013), and put one back in line once the cause is fixed, or discard it.
 * Both tables have row-level security: another organisation's dead letter answers 404, as a
 * missing one does. An admin of a ministry reaches a mission's events by acting in the mission
 * (x-guddu-org), as for every other tenant table.
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

  // One transaction: the audit record and the redrive commit together, and the relay or the
  // parked-event redelivery tries the event again with a fresh set of attempts.
  async redrive(ctx: RequestContext, id: string): Promise<void> {
    const letter = await this.deadLetter(ctx, id, 'redriven');
    await this.audit.record(ctx, { action: 'event.redriven', targetType: 'event', targetId: id, before: describe(letter) });
    const result = await this.repo.redrive(letter.kind, id);
    // Another admin may have come first (the function re-checks under the row lock).
    if (result !== 'done') throw eventsAdminError('event_not_dead_lettered', 'Only a dead-lettered event can be redriven');
  }

  /**
   * Gives the event up for good: it is never delivered (to that subscriber), and the events held
   * back behind it go on. The reason goes into the audit record with what was given up.
   */
  async discard(ctx: RequestContext, id: string, reason: string): Promise<void> {
    const letter = await this.deadLetter(ctx, id, 'discarded');
    await this.audit.record(ctx, { action: 'event.discarded', targetType: 'event', targetId: id, before: describe(letter), after: { reason } });
    const result = await this.repo.discard(letter.kind, id);
    if (result !== 'done') throw eventsAdminError('event_not_dead_lettered', 'Only a dead-lettered event can be discarded');
  }

  private async deadLetter(ctx: RequestContext, id: string, what: string): Promise<DeadLetterSummary> {
    const letter = await this.repo.find(orgOf(ctx), id);
    if (!letter) throw eventsAdminError('event_not_found', 'No such event in this organisation');
    if (!letter.deadLettered) throw eventsAdminError('event_not_dead_lettered', `Only a dead-lettered event can be ${what}`);
    return letter;
  }
}

const describe = (l: DeadLetterSummary) => ({ name: l.name, eventId: l.eventId, consumer: l.consumer, attempts: l.attempts, lastError: l.lastError });
