import { Module } from '@nestjs/common';
import { EventsAdminController } from './events-admin.controller.js';
import { EventsAdminRepository } from './events-admin.repository.js';
import { EventsAdminService } from './events-admin.service.js';

/** Admin view of dead-lettered outbox events: list, redrive (decision 0006). */
@Module({ controllers: [EventsAdminController], providers: [EventsAdminService, EventsAdminRepository] })
export class EventsAdminModule {}
