import { Module, type DynamicModule } from '@nestjs/common';
import { AnalyticsModule } from './modules/analytics/analytics.module.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { ChannelsModule } from './modules/channels/channels.module.js';
import { EventsAdminModule } from './modules/events-admin/events-admin.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { IdentityModule } from './modules/identity/identity.module.js';
import { JobsAdminModule } from './modules/jobs-admin/jobs-admin.module.js';
import { MediaModule } from './modules/media/media.module.js';
import { MessagesModule } from './modules/messages/messages.module.js';
import { OrganisationsModule } from './modules/organisations/organisations.module.js';
import { RealtimeModule } from './modules/realtime/realtime.module.js';
import { PublishingModule } from './modules/publishing/publishing.module.js';
import { SetupModule } from './modules/setup/setup.module.js';
import { WebhooksModule } from './modules/webhooks/webhooks.module.js';
import { EventsModule } from './platform/events/events.module.js';
import { JobsModule } from './platform/jobs/jobs.module.js';
import { PlatformModule } from './platform/platform.module.js';
import { SchedulerModule } from './platform/scheduler/scheduler.module.js';
import { SmsModule } from './platform/sms/sms.module.js';
import type { PlatformResources } from './platform/platform.module.js';

@Module({})
export class AppModule {
  static forRoot(resources: PlatformResources): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(resources),
        JobsModule,
        SchedulerModule,
        EventsModule,
        SmsModule,
        HealthModule,
        AuditModule,
        AnalyticsModule,
        OrganisationsModule,
        IdentityModule,
        SetupModule,
        MessagesModule,
        PublishingModule,
        MediaModule,
        ChannelsModule,
        JobsAdminModule,
        EventsAdminModule,
        RealtimeModule,
        WebhooksModule,
      ],
    };
  }
}
