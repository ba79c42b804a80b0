import type { EventName } from '../../platform/events/events.types.js';

/** The domains whose events an organisation may receive by webhook. */
type Deliverable = Extract<EventName, `messages.${string}` | `publishing.${string}` | `channels.${string}` | `identity.${string}` | `organisations.${string}`>;

/**
 * Every event of those domains, listed so that the list exists at run time (types vanish) and so
 * that a new event in one of them is a compile error here until someone decides it may leave the
 * server: payloads carry ids and states, never secrets or tokens, and a new one must stay so.
 * `webhooks.*` is left out: a webhook's own failures go to admins through notifications.
 */
const WEBHOOK_EVENTS = {
  'channels.connected': true,
  'channels.disconnected': true,
  'channels.needs_reauth': true,
  'identity.invitation_accepted': true,
  'identity.invitation_created': true,
  'identity.membership_role_changed': true,
  'identity.second_factor_enrolled': true,
  'identity.second_factors_reset': true,
  'identity.sign_in_policy_changed': true,
  'identity.user_deactivated': true,
  'identity.user_reactivated': true,
  'messages.approval_overdue': true,
  'messages.approval_recorded': true,
  'messages.created': true,
  'messages.edited': true,
  'messages.partially_published': true,
  'messages.publish_failed': true,
  'messages.publish_requested': true,
  'messages.published': true,
  'messages.publishing_held': true,
  'messages.publishing_resumed': true,
  'messages.publishing_suspended': true,
  'messages.retracted': true,
  'messages.status_changed': true,
  'organisations.created': true,
  'organisations.updated': true,
  'publishing.delivery_failed': true,
  'publishing.delivery_held': true,
  'publishing.delivery_retracted': true,
  'publishing.delivery_succeeded': true,
} as const satisfies Record<Deliverable, true>;

export type WebhookEventName = keyof typeof WEBHOOK_EVENTS;

export function webhookEventNames(): WebhookEventName[] {
  return Object.keys(WEBHOOK_EVENTS).sort() as WebhookEventName[];
}

const DOMAINS = new Set(webhookEventNames().map((n) => n.slice(0, n.indexOf('.'))));

/** A filter entry is an event name, `<domain>.*` or `*`; false for one that can never match. */
export function validPattern(pattern: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return DOMAINS.has(pattern.slice(0, -2));
  return Object.hasOwn(WEBHOOK_EVENTS, pattern);
}

export function matches(patterns: readonly string[], event: string): boolean {
  if (!Object.hasOwn(WEBHOOK_EVENTS, event)) return false;
  const domain = event.slice(0, event.indexOf('.'));
  return patterns.some((p) => p === '*' || p === event || p === `${domain}.*`);
}
