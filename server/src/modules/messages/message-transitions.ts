import { Injectable } from '@nestjs/common';
import { platformError } from '../../platform/errors/app-error.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import type { RequestContext } from '../../platform/context/request-context.js';
import { AuditService } from '../audit/audit.service.js';
import { checkTransition, TRANSITIONS, type TransitionName } from './message-status.js';
import { messageError, transitionError } from './messages.errors.js';
import { MessagesRepository, type MessagePatch, type MessageRow } from './messages.repository.js';

/**
 * The one way a message changes status: checks the transition and the caller's permission
 * (message-status.ts), applies it with any accompanying changes under optimistic concurrency,
 * and writes its one audit event and one outbox event in the same transaction (start_publishing
 * adds the request to publish, startPublishing).
 */
@Injectable()
export class MessageTransitions {
  constructor(
    private readonly repo: MessagesRepository,
    private readonly audit: AuditService,
    private readonly events: EventOutbox,
  ) {}

  /** `system`: taken by the platform (due job, publishing results), not by the caller's permissions. */
  async apply(ctx: RequestContext, msg: MessageRow, name: TransitionName, opts: { patch?: MessagePatch; reason?: string | null; system?: boolean } = {}): Promise<MessageRow> {
    const check = checkTransition(name, msg.status, opts.system ? undefined : ctx.permissions);
    if (!check.ok && check.reason === 'permission') throw platformError('forbidden', `Your role does not allow "${name}" on a message`, { transition: name });
    if (!check.ok) {
      throw transitionError(`cannot_${name}`, `A ${msg.status} message cannot be moved by "${name}"`, { transition: name, from: msg.status, to: TRANSITIONS[name].to });
    }
    const updated = await this.repo.update(msg.id, msg.revision, { ...opts.patch, status: check.to, status_reason: opts.reason ?? null });
    if (!updated) throw messageError('stale_revision', 'The message changed while this was being done; reload and try again');
    await this.audit.record(ctx, {
      action: `message.${name}`,
      targetType: 'message',
      targetId: msg.id,
      before: { status: msg.status },
      after: { status: updated.status, version: updated.version, contentHash: updated.content_hash, scheduledAt: updated.scheduled_at, scheduleZone: updated.schedule_zone, reason: opts.reason ?? null },
    });
    await this.events.emit(
      ctx,
      'messages.status_changed',
      { messageId: msg.id, transition: name, from: msg.status, to: updated.status, version: updated.version, contentHash: updated.content_hash, reason: opts.reason ?? null },
      { aggregateType: 'message', aggregateId: msg.id },
    );
    return updated;
  }

  /**
   * Cleared by the gate: into publishing, and the request to publish this content on its
   * channels goes into the outbox with the status change, in the same transaction.
   */
  async startPublishing(ctx: RequestContext, msg: MessageRow): Promise<MessageRow> {
    const started = await this.apply(ctx, msg, 'start_publishing', { system: true, patch: { publishing_started_at: new Date() } });
    await this.events.emit(ctx, 'messages.publish_requested', { messageId: msg.id, version: started.version, contentHash: started.content_hash, channels: started.channels }, { aggregateType: 'message', aggregateId: msg.id });
    return started;
  }
}
