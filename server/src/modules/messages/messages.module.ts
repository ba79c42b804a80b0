import { Module } from '@nestjs/common';
import { PublishingScheduleModule } from '../publishing/publishing-schedule.module.js';
import { ApprovalLedger } from './approval-ledger.js';
import { ApprovalsController } from './approvals.controller.js';
import { ApprovalsRepository } from './approvals.repository.js';
import { ApprovalsService } from './approvals.service.js';
import { CampaignsController } from './campaigns.controller.js';
import { CampaignsRepository } from './campaigns.repository.js';
import { CampaignsService } from './campaigns.service.js';
import { CalendarController } from './calendar.controller.js';
import { CalendarService } from './calendar.service.js';
import { MessageLifecycle } from './message-lifecycle.service.js';
import { MessageRelease } from './message-release.service.js';
import { MessageTransitions } from './message-transitions.js';
import { MessagesController } from './messages.controller.js';
import { MessagesQueryRepository } from './messages-query.repository.js';
import { MessagesSearchRepository } from './messages-search.repository.js';
import { MessagesRepository } from './messages.repository.js';
import { MessagesService } from './messages.service.js';
import { SearchService } from './search.service.js';

/** Official messages: content and versions, approvals, the status machine, campaigns, calendar, search. */
@Module({
  imports: [PublishingScheduleModule],
  controllers: [MessagesController, ApprovalsController, CampaignsController, CalendarController],
  providers: [
    MessagesRepository,
    CampaignsRepository,
    CampaignsService,
    ApprovalsRepository,
    ApprovalLedger,
    MessageTransitions,
    MessageLifecycle,
    MessagesService,
    ApprovalsService,
    MessageRelease,
    MessagesQueryRepository,
    MessagesSearchRepository,
    CalendarService,
    SearchService,
  ],
  exports: [MessagesService, MessageRelease],
})
export class MessagesModule {}
