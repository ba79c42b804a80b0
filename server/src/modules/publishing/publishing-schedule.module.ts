import { Module } from '@nestjs/common';
import { PublishingSchedule } from './publishing-schedule.service.js';
import { PublishingRepository } from './publishing.repository.js';

/**
 * "When", as messages needs it: blackout days and the due entry. Depends on nothing of
 * messages, so MessagesModule imports it while PublishingModule imports MessagesModule.
 */
@Module({
  providers: [PublishingRepository, PublishingSchedule],
  exports: [PublishingSchedule],
})
export class PublishingScheduleModule {}
