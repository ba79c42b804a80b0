import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { EventEnvelope } from '../../platform/events/events.types.js';
import { OnEvent } from '../../platform/events/on-event.decorator.js';
import { ChannelsService } from '../channels/channels.service.js';
import '../channels/channels.events.js';
import '../messages/messages.events.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import '../publishing/deliveries.events.js';
import '../publishing/publishing.events.js';
import type { NotificationKind } from './notification-kinds.js';
import { NotificationRecipients, union } from './notification-recipients.js';
import { NotificationRecorder } from './notification-recorder.js';
import type { Recipient } from './notifications.repository.js';
import '../analytics/listening.events.js';
import '../identity/identity.events.js';

type MessageEventName = 'messages.published' | 'messages.partially_published' | 'messages.publish_failed' | 'messages.retracted' | 'publishing.delivery_failed';

/**
 * The domain events people are told about, each mapped to a kind and its recipients. Every
 * handler runs in the event's own transaction and organisation, at most once per event
 * (the subscriber's dedup), and reads who to tell at that moment.
 */
@Injectable()
export class NotificationsSubscriber {
  constructor(
    private readonly who: NotificationRecipients,
    private readonly recorder: NotificationRecorder,
    private readonly organisations: OrganisationsService,
    private readonly channels: ChannelsService,
  ) {}

  /** Submitted (or back in review): the approvers of the stage that waits now. */
  @OnEvent('messages.status_changed', 'notifications.status-changed')
  async statusChanged(e: EventEnvelope<'messages.status_changed'>): Promise<void> {
    const { messageId, to } = e.payload;
    if (to !== 'in_review' && to !== 'approved') return;
    const r = await this.who.forMessage(messageId);
    if (!r) return;
    const subject = { type: 'message', id: messageId };
    if (to === 'in_review') {
      if (!r.message.stage) return;
      await this.recorder.record(e, 'approval_requested', this.who.pick(r, r.message.stage.approvers), subject, { title: r.message.title, stage: r.message.stage.name });
    } else {
      await this.recorder.record(e, 'message_approved', this.who.pick(r, r.message.authors), subject, { title: r.message.title });
    }
  }

  @OnEvent('messages.approval_recorded', 'notifications.approval-recorded')
  async approvalRecorded(e: EventEnvelope<'messages.approval_recorded'>): Promise<void> {
    if (e.payload.decision !== 'changes_requested') return;
    const r = await this.who.forMessage(e.payload.messageId);
    if (!r) return;
    await this.recorder.record(e, 'changes_requested', this.who.pick(r, r.message.authors), { type: 'message', id: e.payload.messageId }, { title: r.message.title });
  }

  /** The SLA passed: the stage's approvers again, and the admins above them (the escalation). */
  @OnEvent('messages.approval_overdue', 'notifications.approval-overdue')
  async approvalOverdue(e: EventEnvelope<'messages.approval_overdue'>): Promise<void> {
    const r = await this.who.forMessage(e.payload.messageId, e.payload.stage);
    if (!r) return;
    const escalation = await this.who.holding(r.message.orgId, 'content.publish');
    await this.recorder.record(e, 'approval_overdue', union(this.who.pick(r, r.message.stage?.approvers ?? []), escalation), { type: 'message', id: e.payload.messageId }, {
      title: r.message.title,
      stage: e.payload.stageName,
      slaHours: e.payload.slaHours,
    });
  }

  @OnEvent('messages.published', 'notifications.published')
  async published(e: EventEnvelope<'messages.published'>): Promise<void> {
    await this.aboutOutcome(e, 'message_published', false, { succeeded: e.payload.succeeded });
  }

  @OnEvent('messages.partially_published', 'notifications.partially-published')
  async partiallyPublished(e: EventEnvelope<'messages.partially_published'>): Promise<void> {
    await this.aboutOutcome(e, 'message_partially_published', true, { succeeded: e.payload.succeeded, failed: e.payload.failed });
  }

  @OnEvent('messages.publish_failed', 'notifications.publish-failed')
  async publishFailed(e: EventEnvelope<'messages.publish_failed'>): Promise<void> {
    await this.aboutOutcome(e, 'publish_failed', true, { failed: e.payload.failed });
  }

  @OnEvent('messages.retracted', 'notifications.retracted')
  async retracted(e: EventEnvelope<'messages.retracted'>): Promise<void> {
    await this.aboutOutcome(e, 'message_retracted', true, { reason: e.payload.reason });
  }

  @OnEvent('publishing.delivery_failed', 'notifications.delivery-failed')
  async deliveryFailed(e: EventEnvelope<'publishing.delivery_failed'>): Promise<void> {
    await this.aboutOutcome(e, 'delivery_failed', true, { network: e.payload.network, reason: e.payload.reason });
  }

  /** Everyone the suspension touches: on its organisation's path and below. */
  @OnEvent('messages.publishing_suspended', 'notifications.publishing-suspended')
  async suspended(e: EventEnvelope<'messages.publishing_suspended'>): Promise<void> {
    await this.aboutSuspension(e, 'publishing_suspended', e.payload.organisationId, { reason: e.payload.reason });
  }

  @OnEvent('messages.publishing_resumed', 'notifications.publishing-resumed')
  async resumed(e: EventEnvelope<'messages.publishing_resumed'>): Promise<void> {
    await this.aboutSuspension(e, 'publishing_resumed', e.payload.organisationId, { held: e.payload.held });
  }

  /** Those who can put the channel right, as the channel says. */
  @OnEvent('channels.needs_reauth', 'notifications.channel-needs-reauth')
  async needsReauth(e: EventEnvelope<'channels.needs_reauth'>, ctx: RequestContext): Promise<void> {
    const { channelId, network, reason, fixableBy } = e.payload;
    // A channel removed meanwhile is named by its network; anything else fails the delivery and is retried.
    const channel = await this.channels.get(ctx, channelId).catch((err: unknown) => {
      if (err instanceof AppError && err.status === 404) return undefined;
      throw err;
    });
    const recipients = await this.who.withRoles(fixableBy.organisationId, fixableBy.roles);
    await this.recorder.record(e, 'channel_needs_reauth', recipients, { type: 'channel', id: channelId }, { network, channel: channel?.displayName ?? network, reason });
  }

  /** Analysts and admins of the organisation (analytics.read there or above). */
  @OnEvent('analytics.spike_detected', 'notifications.spike-detected')
  async spike(e: EventEnvelope<'analytics.spike_detected'>): Promise<void> {
    const recipients = await this.who.holding(e.orgId, 'analytics.read');
    await this.recorder.record(e, 'spike_detected', recipients, { type: 'analytics_alert', id: e.payload.alertId }, {
      metric: e.payload.kind === 'volume' ? 'comment volume' : 'negative share',
      summary: `${e.payload.severity}: ${round(e.payload.observed)} in the hour from ${e.payload.windowStart}, against a usual ${round(e.payload.baseline)} (threshold ${round(e.payload.threshold)})`,
    });
  }

  /** The person whose factors an admin reset (issue 16: "the user is told"), wherever they are a member here or below. */
  @OnEvent('identity.second_factors_reset', 'notifications.second-factors-reset')
  async secondFactorsReset(e: EventEnvelope<'identity.second_factors_reset'>): Promise<void> {
    const person = (await this.who.subtree(e.orgId)).filter((r) => r.userId === e.payload.userId);
    const org = await this.organisations.find(e.orgId);
    await this.recorder.record(e, 'second_factors_reset', person, { type: 'user', id: e.payload.userId }, { org: org?.name ?? '', sessions: e.payload.sessionsEnded });
  }

  /** Authors, and with `publishers` those who can publish or retract it. */
  private async aboutOutcome<N extends MessageEventName>(e: EventEnvelope<N>, kind: NotificationKind, publishers: boolean, params: Record<string, string | number>): Promise<void> {
    const messageId = (e.payload as { messageId: string }).messageId;
    const r = await this.who.forMessage(messageId);
    if (!r) return;
    let recipients: Recipient[] = this.who.pick(r, r.message.authors);
    if (publishers) recipients = union(recipients, await this.who.holding(r.message.orgId, 'content.publish'));
    await this.recorder.record(e, kind, recipients, { type: 'message', id: messageId }, { title: r.message.title, ...params });
  }

  private async aboutSuspension<N extends 'messages.publishing_suspended' | 'messages.publishing_resumed'>(e: EventEnvelope<N>, kind: NotificationKind, orgId: string, params: Record<string, string | number>): Promise<void> {
    const org = await this.organisations.find(orgId);
    const recipients = await this.who.subtree(orgId);
    await this.recorder.record(e, kind, recipients, { type: 'organisation', id: orgId }, { org: org?.name ?? '', ...params });
  }
}

const round = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
