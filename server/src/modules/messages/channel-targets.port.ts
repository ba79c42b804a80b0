import type { RequestContext } from '../../platform/context/request-context.js';
import type { Channel } from './message-content.js';

/**
 * What messages need from the channels module: whether a message may target the connected
 * accounts it names (`content.targets`). Channels implement it and provide it under this token
 * from their global module (the dependency is inverted, as for MEDIA_ATTACHMENTS).
 */
export const CHANNEL_TARGETS = Symbol('CHANNEL_TARGETS');

export interface ChannelTargetsPort {
  /**
   * Under the caller's tenant context: each id must be a channel of the message's organisation or
   * shared down to it from above, connected, and usable by the caller (its access restrictions).
   * Returns each channel's network. Throws `channel_not_usable` (422) naming the ids that fail.
   */
  check(ctx: RequestContext, orgId: string, channelIds: readonly string[]): Promise<{ id: string; network: Channel }[]>;
}
