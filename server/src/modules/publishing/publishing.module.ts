import { Module } from '@nestjs/common';
import { MessagesModule } from '../messages/messages.module.js';
import { PublishingGate } from './publishing-gate.service.js';
import { PublishingControlController } from './publishing.controller.js';
import { PublishingRepository } from './publishing.repository.js';
import { PublishingService } from './publishing.service.js';

/** May it go out, and when: the gate, crisis suspend and resume, blackout days (decision 0010). */
@Module({
  imports: [MessagesModule],
  controllers: [PublishingControlController],
  providers: [PublishingRepository, PublishingService, PublishingGate],
  exports: [PublishingService],
})
export class PublishingModule {}
