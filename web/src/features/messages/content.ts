import type { MessageDetail } from './messages.keys';

export const CHANNELS = ['x', 'facebook', 'instagram', 'linkedin', 'youtube', 'mastodon', 'bluesky'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * The server documents a message's content as an open record (MessageDetail.content), so the
 * parts the console shows are read here, checked, rather than cast.
 */
export function readContent(content: MessageDetail['content']): { bodies: [string, string][]; channels: Channel[]; targets: string[]; media: string[] } {
  const bodies = typeof content.bodies === 'object' && content.bodies !== null ? Object.entries(content.bodies).filter((e): e is [string, string] => typeof e[1] === 'string') : [];
  const channels = Array.isArray(content.channels) ? CHANNELS.filter((c) => (content.channels as unknown[]).includes(c)) : [];
  const targets = Array.isArray(content.targets) ? content.targets.filter((t): t is string => typeof t === 'string') : [];
  const media = Array.isArray(content.media) ? content.media.filter((m): m is string => typeof m === 'string') : [];
  return { bodies, channels, targets, media };
}
