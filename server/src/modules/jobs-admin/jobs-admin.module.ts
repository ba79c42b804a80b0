import { Module } from '@nestjs/common';
import { JobsAdminController } from './jobs-admin.controller.js';
import { JobsAdminService } from './jobs-admin.service.js';

/** Admin view of failed background jobs: list, retry, discard (issue 3, decision 0007). */
@Module({ controllers: [JobsAdminController], providers: [JobsAdminService] })
export class JobsAdminModule {}
