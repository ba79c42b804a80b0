import type { Channel, MessageContent } from './message-content.js';
import { checkChannelLimit, type ChannelTextField } from './text-metrics.js';

export interface ChannelCheck {
  channel: Channel;
  language: string;
  field: ChannelTextField;
  limit: number;
  used: number;
  ok: boolean;
}

/** The text that goes to `channel` in `language`: the variant's own, else the main body (plus the link). */
export function effectiveText(c: MessageContent, channel: Channel, language: string): string {
  const v = c.variants[channel];
  const body = v?.bodies?.[language] ?? c.bodies[language] ?? '';
  const link = v?.link !== undefined ? v.link : c.link;
  // X and Mastodon carry the link inside the post's text (weighted 23 by both); the other
  // networks carry it apart (a link field, an attachment or an embed card).
  return (channel === 'x' || channel === 'mastodon') && link ? `${body} ${link}`.trim() : body;
}

/** Every (channel, language) text measured against its network's limit, for previews and submit. */
export function channelChecks(c: MessageContent): ChannelCheck[] {
  const out: ChannelCheck[] = [];
  for (const channel of c.channels) {
    for (const language of Object.keys(c.bodies)) {
      const field: ChannelTextField = channel === 'youtube' ? 'youtube.description' : channel;
      out.push({ channel, language, field, ...checkChannelLimit(field, effectiveText(c, channel, language)) });
      const title = c.variants.youtube?.options?.title;
      if (channel === 'youtube' && typeof title === 'string') out.push({ channel, language, field: 'youtube.title', ...checkChannelLimit('youtube.title', title) });
    }
  }
  return out;
}

export function channelProblems(c: MessageContent): ChannelCheck[] {
  return channelChecks(c).filter((x) => !x.ok);
}
