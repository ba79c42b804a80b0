import type { Permission } from '../../platform/access/permissions.js';
import type { EventName } from '../../platform/events/events.types.js';

/**
 * The events the console hears live, and the permission a user needs (on the event's
 * organisation or one above it) to hear each. Anything not listed never leaves the server.
 * Forwarding is generic by the event's organisation, so a new event is one line here; a name
 * that no module declares is a compile error.
 */
export const LIVE_EVENTS = {
  'messages.created': 'content.read',
  'messages.edited': 'content.read',
  'messages.status_changed': 'content.read',
  'messages.approval_recorded': 'content.read',
  'messages.approval_overdue': 'content.read',
  'messages.publish_requested': 'content.read',
  'messages.publishing_held': 'content.read',
  // The suspension banner is for every member: every role has content.read.
  'messages.publishing_suspended': 'content.read',
  'messages.publishing_resumed': 'content.read',
  // Channel health, as the channel list shows it (content.read).
  'channels.connected': 'content.read',
  'channels.disconnected': 'content.read',
  'channels.needs_reauth': 'content.read',
  // New metric snapshots: open dashboards refresh (analytics.read).
  'analytics.snapshots_recorded': 'analytics.read',
  // A spike alert: the listening screen refreshes its alerts (analytics.read).
  'analytics.spike_detected': 'analytics.read',
} as const satisfies Partial<Record<EventName, Permission>>;

export type LiveEventName = keyof typeof LIVE_EVENTS;

export function liveEventNames(): LiveEventName[] {
  return Object.keys(LIVE_EVENTS) as LiveEventName[];
}

/** The names a holder of these permissions may hear. */
export function namesVisibleWith(permissions: ReadonlySet<Permission>): LiveEventName[] {
  return liveEventNames().filter((n) => permissions.has(LIVE_EVENTS[n]));
}

/** What travels to a browser: the envelope minus the correlation id, plus the outbox position. */
export interface LiveEvent {
  id: string;
  position: number;
  name: string;
  orgId: string;
  aggregateType: string;
  aggregateId: string;
  occurredAt: string;
  payload: unknown;
}
