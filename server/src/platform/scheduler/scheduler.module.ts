import { Global, Module } from '@nestjs/common';
import { SchedulerRepository } from './scheduler.repository.js';
import { SchedulerService } from './scheduler.service.js';
import { SchedulerSweep } from './scheduler.sweep.js';

/** The durable scheduler (decision 0007); global so publishing and reminders can inject it. */
@Global()
@Module({
  providers: [SchedulerRepository, SchedulerService, SchedulerSweep],
  exports: [SchedulerService, SchedulerSweep],
})
export class SchedulerModule {}
