import type { MessageStatus, TransitionName } from './message-status.js';

/**
 * Events of the message lifecycle. Aggregate: `message` / the message id (in order per message).
 * Notifications, search and analytics subscribe; the message services never call them.
 */
declare module '../../platform/events/events.types.js' {
  interface GudduEvents {
    'messages.created': { messageId: string; version: number; contentHash: string };
    'messages.edited': { messageId: string; version: number; contentHash: string; approvalsInvalidated: number };
    'messages.status_changed': { messageId: string; transition: TransitionName; from: MessageStatus; to: MessageStatus; version: number; contentHash: string; reason: string | null };
    'messages.approval_recorded': { messageId: string; stage: number; language: string | null; decision: 'approved' | 'changes_requested'; approverId: string; contentHash: string };
    /** A stage stayed incomplete past its SLA: notifications escalate. */
    'messages.approval_overdue': { messageId: string; reviewRound: number; stage: number; stageName: string; slaHours: number };
    /** Due and cleared by the publishing gate: the delivery workers take it from here. */
    'messages.publish_requested': { messageId: string; version: number; contentHash: string; channels: string[] };
    /** Every delivery settled: the message is out everywhere, somewhere, or nowhere. */
    'messages.published': { messageId: string; version: number; succeeded: number };
    'messages.partially_published': { messageId: string; version: number; succeeded: number; failed: number };
    'messages.publish_failed': { messageId: string; version: number; failed: number };
    /** A person took a published message down (per network: what the delivery says). */
    'messages.retracted': { messageId: string; reason: string; deliveries: number };
    /** Fell due while publishing was suspended above it: waits for a decision at resume. */
    'messages.publishing_held': { messageId: string; suspensionId: string };
  }
}
