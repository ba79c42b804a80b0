import { Inject, Injectable, Optional } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context.js';
import { CHANNELS, normaliseContent, type MessageContent } from './message-content.js';
import { CHANNEL_TARGETS, type ChannelTargetsPort } from './channel-targets.port.js';
import { messageError } from './messages.errors.js';

/**
 * `content.targets`: the connected channels a message goes to. Checked through the channels
 * module when content is saved and again at submit (a channel can be disconnected or restricted
 * in between); each target's network joins `content.channels`, so the per-network checks and
 * variants cover it.
 */
@Injectable()
export class MessageTargets {
  constructor(@Optional() @Inject(CHANNEL_TARGETS) private readonly channels?: ChannelTargetsPort) {}

  async resolve(ctx: RequestContext, orgId: string, content: MessageContent): Promise<MessageContent> {
    const targets = content.targets ?? [];
    if (targets.length === 0) return content;
    if (!this.channels) throw messageError('channel_not_usable', 'Channels are not available on this server', { channelIds: targets });
    const found = await this.channels.check(ctx, orgId, targets);
    const networks = new Set([...content.channels, ...found.map((c) => c.network)]);
    return normaliseContent({ ...content, channels: CHANNELS.filter((n) => networks.has(n)) });
  }
}
