import { Global, Module } from '@nestjs/common';
import { CHANNEL_TARGETS } from '../messages/channel-targets.port.js';
import { CHANNEL_ACCESS } from '../publishing/channel-access.port.js';
import { ChannelAccess } from './channel-access.service.js';
import { ChannelHealth } from './channel-health.service.js';
import { ChannelNetworks } from './channel-networks.service.js';
import { ChannelSecrets } from './channel-secrets.js';
import { ChannelTargets } from './channel-targets.service.js';
import { ChannelTokens } from './channel-tokens.service.js';
import { ChannelsConnect } from './channels-connect.service.js';
import { ChannelsReseal } from './channels-reseal.service.js';
import { ChannelsController } from './channels.controller.js';
import { ChannelsRepository } from './channels.repository.js';
import { ChannelsService } from './channels.service.js';
import { ConnectAttemptsRepository } from './connect-attempts.repository.js';
import { MastodonApps } from './mastodon-apps.service.js';
import { MastodonAppsRepository } from './mastodon-apps.repository.js';

/**
 * Channels: connected social network accounts, their sealed tokens and health (decision 0017).
 * Global so that publishing (CHANNEL_ACCESS) and messages (CHANNEL_TARGETS) inject the ports
 * without importing this module; the ports live with their users, the implementations here.
 */
@Global()
@Module({
  controllers: [ChannelsController],
  providers: [
    ChannelsRepository,
    ConnectAttemptsRepository,
    MastodonAppsRepository,
    ChannelSecrets,
    ChannelNetworks,
    MastodonApps,
    ChannelTokens,
    ChannelsConnect,
    ChannelsService,
    ChannelHealth,
    ChannelAccess,
    ChannelTargets,
    ChannelsReseal,
    { provide: CHANNEL_ACCESS, useExisting: ChannelAccess },
    { provide: CHANNEL_TARGETS, useExisting: ChannelTargets },
  ],
  exports: [CHANNEL_ACCESS, CHANNEL_TARGETS, ChannelNetworks, ChannelsService, ChannelsReseal],
})
export class ChannelsModule {}
