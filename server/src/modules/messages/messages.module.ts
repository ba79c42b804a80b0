import { Module } from '@nestjs/common';
import { ApprovalLedger } from './approval-ledger.js';
import { ApprovalsController } from './approvals.controller.js';
import { ApprovalsRepository } from './approvals.repository.js';
import { ApprovalsService } from './approvals.service.js';
import { CampaignsController } from './campaigns.controller.js';
import { CampaignsRepository } from './campaigns.repository.js';
import { CalendarController } from './calendar.controller.js';
import { CalendarService } from './calendar.service.js';
import { MessageLifecycle } from './message-lifecycle.service.js';
import { MessageTransitions } from './message-transitions.js';
import { MessagesController } from './messages.controller.js';
import { MessagesQueryRepository } from './messages-query.repository.js';
import { MessagesSearchRepository } from './messages-search.repository.js';
import { MessagesRepository } from './messages.repository.js';
import { MessagesService } from './messages.service.js';
import { PublishingControlController } from './publishing-control.controller.js';
import { PublishingControlRepository } from './publishing-control.repository.js';
import { PublishingControlService } from './publishing-control.service.js';
import { ScheduleHorizon } from './schedule-horizon.js';
import { SearchService } from './search.service.js';

/** Official messages: content and versions, approvals, lifecycle, crisis control. */
@Module({
  controllers: [MessagesController, ApprovalsController, PublishingControlController, CampaignsController, CalendarController],
  providers: [
    MessagesRepository,
    CampaignsRepository,
    ApprovalsRepository,
    PublishingControlRepository,
    ApprovalLedger,
    MessageTransitions,
    MessageLifecycle,
    MessagesService,
    ApprovalsService,
    PublishingControlService,
    MessagesQueryRepository,
    MessagesSearchRepository,
    CalendarService,
    SearchService,
    ScheduleHorizon,
  ],
  exports: [MessagesService, MessageLifecycle, PublishingControlService, ApprovalLedger],
})
export class MessagesModule {}
