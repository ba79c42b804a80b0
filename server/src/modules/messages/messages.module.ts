import { Module } from '@nestjs/common';
import { AssetUsageRepository } from './asset-usage.repository.js';
import { AssetUsageService } from './asset-usage.service.js';
import { PublishingScheduleModule } from '../publishing/publishing-schedule.module.js';
import { PublishingValidationModule } from '../publishing/publishing-validation.module.js';
import { ApprovalLedger } from './approvals/approval-ledger.js';
import { ApprovalsController } from './approvals/approvals.controller.js';
import { ApprovalsRepository } from './approvals/approvals.repository.js';
import { ApprovalsService } from './approvals/approvals.service.js';
import { CampaignsController } from './campaigns/campaigns.controller.js';
import { CampaignsRepository } from './campaigns/campaigns.repository.js';
import { CampaignsService } from './campaigns/campaigns.service.js';
import { CalendarController } from './calendar/calendar.controller.js';
import { CalendarService } from './calendar/calendar.service.js';
import { MessageAudience } from './message-audience.service.js';
import { MessageLifecycle } from './message-lifecycle.service.js';
import { MessageRelease } from './message-release.service.js';
import { MessageTargets } from './message-targets.js';
import { MessageTransitions } from './message-transitions.js';
import { MessagesController } from './messages.controller.js';
import { MessagesQueryRepository } from './calendar/messages-query.repository.js';
import { MessagesSearchRepository } from './search/messages-search.repository.js';
import { MessagesRepository } from './messages.repository.js';
import { MessagesService } from './messages.service.js';
import { ScheduleHorizon } from './schedule-horizon.js';
import { SearchService } from './search/search.service.js';

/** Official messages: content and versions, approvals, the status machine, campaigns, calendar, search. */
@Module({
  imports: [PublishingScheduleModule, PublishingValidationModule],
  controllers: [MessagesController, ApprovalsController, CampaignsController, CalendarController],
  providers: [
    AssetUsageRepository,
    AssetUsageService,
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
    MessageAudience,
    MessageTargets,
    MessagesQueryRepository,
    MessagesSearchRepository,
    CalendarService,
    SearchService,
    ScheduleHorizon,
  ],
  exports: [MessagesService, MessageRelease, MessageAudience, AssetUsageService],
})
export class MessagesModule {}
