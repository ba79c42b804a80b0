/**
 * What Guddu tells people about, how urgent each is, and which outside channels it uses unless
 * the person says otherwise. In-app is not a channel here: every notification is kept in the
 * person's notification centre, the record they can always go back to.
 *
 * Urgent kinds break through quiet hours (a suspension at 02:00 in a mission abroad must wake
 * someone); low kinds go into the digest for people who chose one.
 */
export const NOTIFICATION_CHANNELS = ['email', 'push', 'sms'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export type Urgency = 'low' | 'normal' | 'urgent';

interface KindSpec {
  urgency: Urgency;
  /** Channels on when the person has set nothing for this kind. */
  defaults: readonly NotificationChannel[];
}

export const NOTIFICATION_KINDS = {
  approval_requested: { urgency: 'normal', defaults: ['email', 'push'] },
  approval_overdue: { urgency: 'normal', defaults: ['email', 'push'] },
  changes_requested: { urgency: 'normal', defaults: ['email', 'push'] },
  message_approved: { urgency: 'low', defaults: ['email'] },
  message_published: { urgency: 'low', defaults: ['email'] },
  message_partially_published: { urgency: 'normal', defaults: ['email', 'push'] },
  publish_failed: { urgency: 'urgent', defaults: ['email', 'push', 'sms'] },
  delivery_failed: { urgency: 'normal', defaults: ['email'] },
  message_retracted: { urgency: 'normal', defaults: ['email'] },
  publishing_suspended: { urgency: 'urgent', defaults: ['email', 'push', 'sms'] },
  publishing_resumed: { urgency: 'normal', defaults: ['email', 'push'] },
  channel_needs_reauth: { urgency: 'normal', defaults: ['email', 'push'] },
  spike_detected: { urgency: 'urgent', defaults: ['email', 'push', 'sms'] },
  event_dead_lettered: { urgency: 'normal', defaults: ['email'] },
  job_failed: { urgency: 'normal', defaults: ['email'] },
  // Security: the person learns at once that their sign-in factors were reset by someone else.
  second_factors_reset: { urgency: 'urgent', defaults: ['email', 'push'] },
} as const satisfies Record<string, KindSpec>;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;
export const KIND_NAMES = Object.keys(NOTIFICATION_KINDS) as NotificationKind[];

export function urgencyOf(kind: NotificationKind): Urgency {
  return NOTIFICATION_KINDS[kind].urgency;
}

export function isOnByDefault(kind: NotificationKind, channel: NotificationChannel): boolean {
  return (NOTIFICATION_KINDS[kind].defaults as readonly NotificationChannel[]).includes(channel);
}
