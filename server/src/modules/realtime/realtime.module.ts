import { Module } from '@nestjs/common';
import { RealtimeController } from './realtime.controller.js';
import { RealtimeFeed } from './realtime-feed.js';
import { RealtimeGateway } from './realtime.gateway.js';
import { RealtimeRepository } from './realtime.repository.js';
import { RealtimeService } from './realtime.service.js';
import { RealtimeUsers } from './realtime-users.service.js';

/** The console's live feed: socket.io gateway, its event subscribers, the polling fallback (decision 0020). */
@Module({
  controllers: [RealtimeController],
  providers: [RealtimeRepository, RealtimeService, RealtimeGateway, RealtimeFeed, RealtimeUsers],
  exports: [RealtimeGateway, RealtimeUsers],
})
export class RealtimeModule {}
