import type { MessageContent } from '../messages/messages.dto.js';
import type { DeliveryChannel } from './channel-access.port.js';
import type { DeliveryMediaRequest } from './delivery-media.port.js';
import type { PostInput, PostMedia } from './providers/provider.js';

/** The approved language a channel gets: its own when the message has it, else the message's first. */
export function languageFor(content: MessageContent, channel: DeliveryChannel): string {
  const languages = Object.keys(content.bodies);
  return channel.language && languages.includes(channel.language) ? channel.language : languages[0]!;
}

/**
 * Exactly what one delivery sends: the approved version's variant for the channel's network, in
 * the channel's language (else the message's first), byte for byte as approved, with the media
 * the media library resolved for it (mediaRequestOf).
 */
export function postInputOf(content: MessageContent, channel: DeliveryChannel, idempotencyKey: string, media: readonly PostMedia[] = []): PostInput {
  const language = languageFor(content, channel);
  const variant = content.variants[channel.network];
  return {
    idempotencyKey,
    text: variant?.bodies?.[language] ?? content.bodies[language] ?? '',
    link: variant?.link !== undefined ? variant.link : content.link,
    language,
    media,
    options: variant?.options ?? {},
  };
}

/** The media a channel's post carries: the network variant's own list replaces the message's, with its rendition picks. */
export function mediaRequestOf(content: MessageContent, channel: DeliveryChannel): DeliveryMediaRequest {
  const variant = content.variants[channel.network];
  return { assetIds: variant?.media ?? content.media, network: channel.network, picks: variant?.renditions ?? {}, language: languageFor(content, channel) };
}

/** Stable for (message, version, channel): the networks' idempotency and record keys derive from it. */
export function deliveryKey(messageId: string, version: number, channelId: string): string {
  return `${messageId}.v${version}.${channelId}`;
}
