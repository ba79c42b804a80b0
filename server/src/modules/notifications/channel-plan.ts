import { isOnByDefault, NOTIFICATION_CHANNELS, urgencyOf, type NotificationChannel, type NotificationKind } from './notification-kinds.js';
import { isQuiet, nextDigestAt, quietEndsAt } from './quiet-hours.js';
import type { DigestCadence } from './notifications.tables.js';

export interface PlanInput {
  kind: NotificationKind;
  now: Date;
  /** Channels this installation can send by (SMTP set, an SMS provider bound, push keys). */
  configured: ReadonlySet<NotificationChannel>;
  /** What the person chose; missing pairs take the kind's default. */
  choices: ReadonlyMap<string, boolean>;
  /** (kind, channel) pairs an organisation on the path made mandatory. */
  mandatory: ReadonlySet<string>;
  settings: { zone: string; quiet: { start: number; end: number } | null; digest: DigestCadence };
  /** What the person can be reached at: an email unless it bounces, a phone and push subscriptions if given. */
  reachable: ReadonlySet<NotificationChannel>;
}

export type ChannelDecision =
  | { channel: NotificationChannel; state: 'pending'; notBefore: null; reason: null }
  | { channel: NotificationChannel; state: 'deferred'; notBefore: Date; reason: string }
  | { channel: NotificationChannel; state: 'skipped'; notBefore: null; reason: string };

export const pairKey = (kind: string, channel: string) => `${kind}:${channel}`;

/**
 * Which outside channels one notification goes by, and when. In order:
 * 1. wanted: mandatory on the path, else the person's choice, else the kind's default;
 * 2. possible: configured here and the person reachable by it (recorded as skipped otherwise,
 *    so an admin sees why a mandatory SMS never went);
 * 3. low kinds for a person with a digest: email waits for the digest, the rest are skipped;
 * 4. quiet hours hold everything but urgent kinds until they end, in the person's zone.
 */
export function planChannels(p: PlanInput): ChannelDecision[] {
  const out: ChannelDecision[] = [];
  const urgency = urgencyOf(p.kind);
  for (const channel of NOTIFICATION_CHANNELS) {
    const key = pairKey(p.kind, channel);
    const mandatory = p.mandatory.has(key);
    const wanted = mandatory || (p.choices.get(key) ?? isOnByDefault(p.kind, channel));
    if (!wanted) continue;
    if (!p.configured.has(channel)) {
      out.push({ channel, state: 'skipped', notBefore: null, reason: `${channel} is not configured on this installation` });
      continue;
    }
    if (!p.reachable.has(channel)) {
      out.push({ channel, state: 'skipped', notBefore: null, reason: channel === 'sms' ? 'no phone number on file' : channel === 'email' ? 'the email address bounces' : 'no browser subscribed to push' });
      continue;
    }
    if (urgency === 'low' && p.settings.digest !== 'off' && !mandatory) {
      if (channel === 'email') out.push({ channel, state: 'deferred', notBefore: nextDigestAt(p.now, p.settings.zone, p.settings.digest), reason: `in the ${p.settings.digest} digest` });
      else out.push({ channel, state: 'skipped', notBefore: null, reason: `in the ${p.settings.digest} digest` });
      continue;
    }
    const quiet = p.settings.quiet ? { zone: p.settings.zone, ...p.settings.quiet } : null;
    if (quiet && urgency !== 'urgent' && isQuiet(p.now, quiet)) {
      out.push({ channel, state: 'deferred', notBefore: quietEndsAt(p.now, quiet), reason: 'quiet hours' });
      continue;
    }
    out.push({ channel, state: 'pending', notBefore: null, reason: null });
  }
  return out;
}
