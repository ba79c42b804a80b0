import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module.js';
import { MessagesModule } from '../messages/messages.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { RealtimeModule } from '../realtime/realtime.module.js';
import { EmailChannel } from './email.channel.js';
import { NotificationChannels } from './notification-channels.js';
import { NotificationDeliveriesRepository } from './notification-deliveries.repository.js';
import { NotificationDispatcher } from './notification-dispatcher.js';
import { NotificationPreferencesRepository } from './notification-preferences.repository.js';
import { NotificationRecipients } from './notification-recipients.js';
import { NotificationRecorder } from './notification-recorder.js';
import { NotificationSender } from './notification-sender.js';
import { NotificationSweep } from './notification-sweep.js';
import { NotificationBouncesController, NotificationsAdminController, NotificationsController } from './notifications.controller.js';
import { NotificationAdminAlerts } from './notification-admin-alerts.js';
import { NotificationAlertsRepository } from './notification-alerts.repository.js';
import { NotificationBouncesRepository } from './notification-bounces.repository.js';
import { NotificationBounces } from './notification-bounces.service.js';
import { NotificationsRepository } from './notifications.repository.js';
import { NotificationsService } from './notifications.service.js';
import { NotificationsSubscriber } from './notifications.subscriber.js';
import { PushChannel } from './push.channel.js';
import { PUSH_ENDPOINTS, publicPushEndpoints } from './push-endpoints.js';
import { SmsChannel } from './sms.channel.js';

/**
 * Notifications (decision 0025): domain events become one record per person (the notification
 * centre, pushed live), then one delivery per outside channel the person wants (email, browser
 * push, SMS), planned against quiet hours, digests and mandates, sent as retried jobs.
 * SMS goes through the SMS_SENDER port; bind it in a module this one imports to configure SMS.
 */
@Module({
  imports: [MessagesModule, ChannelsModule, OrganisationsModule, RealtimeModule],
  controllers: [NotificationsController, NotificationsAdminController, NotificationBouncesController],
  providers: [
    NotificationsRepository,
    NotificationDeliveriesRepository,
    NotificationPreferencesRepository,
    NotificationRecipients,
    NotificationRecorder,
    NotificationsSubscriber,
    NotificationDispatcher,
    NotificationSender,
    NotificationSweep,
    NotificationChannels,
    NotificationsService,
    NotificationBouncesRepository,
    NotificationBounces,
    NotificationAlertsRepository,
    NotificationAdminAlerts,
    EmailChannel,
    PushChannel,
    SmsChannel,
    // A fresh instance per app: the wire test points its own at a local push service.
    { provide: PUSH_ENDPOINTS, useFactory: publicPushEndpoints },
  ],
})
export class NotificationsModule {}
