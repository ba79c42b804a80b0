import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import type { z } from 'zod';
import type { RequestContext } from '../../platform/context/request-context.js';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { Route } from '../../platform/http/route.decorator.js';
import type { NotificationKind } from './notification-kinds.js';
import * as dto from './notifications.dto.js';
import { NotificationBounces } from './notification-bounces.service.js';
import { NotificationsService } from './notifications.service.js';

const T = ['notifications'];

/** A person's own notification centre and choices. */
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Route({ summary: 'Your notifications, newest first, here and below (cursor paging)', access: 'authenticated', tags: T, query: dto.ListQuery, response: dto.NotificationPage })
  list(@Ctx() ctx: RequestContext, @Query() q: z.infer<typeof dto.ListQuery>) {
    return this.notifications.list(ctx, q);
  }

  @Get('unread-count')
  @Route({ summary: 'How many of your notifications are unread', access: 'authenticated', tags: T, response: dto.UnreadCount })
  unread(@Ctx() ctx: RequestContext) {
    return this.notifications.unread(ctx);
  }

  @Post('read-all')
  @HttpCode(200)
  @Route({ summary: 'Mark all your notifications read', access: 'authenticated', tags: T, response: dto.Marked })
  readAll(@Ctx() ctx: RequestContext) {
    return this.notifications.markAllRead(ctx);
  }

  @Get('preferences')
  @Route({ summary: 'Your channels per kind, quiet hours, digest, and which channels this installation has', access: 'authenticated', tags: T, response: dto.PreferencesView })
  preferences(@Ctx() ctx: RequestContext) {
    return this.notifications.preferences(ctx);
  }

  @Put('preferences')
  @Route({ summary: 'Change your channels per kind, zone, quiet hours, digest or phone (audited)', access: 'authenticated', tags: T, body: dto.PreferencesBody, response: dto.PreferencesView, errors: ['time_zone_unknown', 'channel_not_configured'] })
  setPreferences(@Ctx() ctx: RequestContext, @Body() b: z.infer<typeof dto.PreferencesBody>) {
    return this.notifications.setPreferences(ctx, b);
  }

  @Post('push-subscriptions')
  @Route({ summary: 'Subscribe this browser to push (its PushSubscription, sealed at rest)', access: 'authenticated', tags: T, body: dto.PushSubscriptionBody, response: dto.Created, status: 201, errors: ['push_subscription_invalid'] })
  subscribe(@Ctx() ctx: RequestContext, @Body() b: z.infer<typeof dto.PushSubscriptionBody>) {
    return this.notifications.subscribePush(ctx, b);
  }

  @Delete('push-subscriptions/:id')
  @HttpCode(204)
  @Route({ summary: 'Unsubscribe a browser from push', access: 'authenticated', tags: T, params: dto.IdParams, status: 204, errors: ['notification_not_found'] })
  async unsubscribe(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>) {
    await this.notifications.unsubscribePush(ctx, p.id);
  }

  @Post(':id/read')
  @HttpCode(204)
  @Route({ summary: 'Mark one of your notifications read', access: 'authenticated', tags: T, params: dto.IdParams, status: 204, errors: ['notification_not_found'] })
  async read(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>) {
    await this.notifications.markRead(ctx, p.id);
  }
}

/** What an organisation's admins decide and see: mandatory kinds, and what failed to reach people. */
@Controller('api/v1/notification-admin')
export class NotificationsAdminController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('mandates')
  @Route({ summary: 'Kinds and channels nobody here may switch off (this organisation’s and inherited ones)', access: 'settings.manage', tags: T, response: dto.MandatesView })
  mandates(@Ctx() ctx: RequestContext) {
    return this.notifications.mandates(ctx);
  }

  @Put('mandates/:kind/:channel')
  @HttpCode(204)
  @Route({ summary: 'Make a kind mandatory on a channel here and below (audited)', access: 'settings.manage', tags: T, params: dto.MandateParams, status: 204 })
  async setMandate(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.MandateParams>) {
    await this.notifications.setMandate(ctx, p.kind as NotificationKind, p.channel);
  }

  @Delete('mandates/:kind/:channel')
  @HttpCode(204)
  @Route({ summary: 'No longer mandatory here (inherited mandates stay; audited)', access: 'settings.manage', tags: T, params: dto.MandateParams, status: 204 })
  async clearMandate(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.MandateParams>) {
    await this.notifications.clearMandate(ctx, p.kind as NotificationKind, p.channel);
  }

  @Get('failures')
  @Route({ summary: 'Notifications that failed or bounced, here and below, newest first', access: 'settings.manage', tags: T, query: dto.FailuresQuery, response: dto.FailuresView })
  failures(@Ctx() ctx: RequestContext, @Query() q: z.infer<typeof dto.FailuresQuery>) {
    return this.notifications.failures(ctx, q);
  }
}

/** A mail provider's bounce webhook: no session, a shared secret (GUDDU_NOTIFY_BOUNCE_SECRET) as the bearer token. */
@Controller('api/v1/notifications/bounces')
export class NotificationBouncesController {
  constructor(private readonly bounces: NotificationBounces) {}

  @Post()
  @HttpCode(200)
  @Route({ summary: 'Report a bounced email (provider webhook; Authorization: Bearer <shared secret>; audited)', access: 'public', tags: T, body: dto.BounceBody, response: dto.BounceAccepted, errors: ['bounce_secret_invalid', 'bounce_webhook_disabled'] })
  report(@Ctx() ctx: RequestContext, @Headers('authorization') authorization: string | undefined, @Body() b: z.infer<typeof dto.BounceBody>) {
    return this.bounces.report(ctx, authorization, b);
  }
}
