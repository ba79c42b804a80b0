import type { MessageContent } from '../messages/messages.dto.js';
import type { DeliveryChannel } from './channel-access.port.js';
import type { PostInput } from './providers/provider.js';

/**
 * Exactly what one delivery sends: the approved version's variant for the channel's network, in
 * the channel's language (else the message's first), byte for byte as approved.
 */
export function postInputOf(content: MessageContent, channel: DeliveryChannel, idempotencyKey: string): PostInput {
  const languages = Object.keys(content.bodies);
  const language = channel.language && languages.includes(channel.language) ? channel.language : languages[0]!;
  const variant = content.variants[channel.network];
  return {
    idempotencyKey,
    text: variant?.bodies?.[language] ?? content.bodies[language] ?? '',
    link: variant?.link !== undefined ? variant.link : content.link,
    language,
    media: [],
    options: variant?.options ?? {},
  };
}


/** Stable for (message, version, channel): the networks' idempotency and record keys derive from it. */
export function deliveryKey(messageId: string, version: number, channelId: string): string {
  return `${messageId}.v${version}.${channelId}`;
}
