import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { z } from 'zod';
import { orgOf, type RequestContext } from '../../platform/context/request-context.js';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { Route } from '../../platform/http/route.decorator.js';
import * as dto from './listening.dto.js';
import { ListeningService } from './listening.service.js';
import { SpikesService } from './spikes.service.js';
import { alertView, commentView, cursorOf } from './listening.views.js';

const T = ['listening'];

@Controller('api/v1')
export class ListeningController {
  constructor(
    private readonly listening: ListeningService,
    private readonly spikes: SpikesService,
  ) {}

  @Get('listening/comments')
  @Route({ summary: 'Comments, replies and mentions here and below, newest first: search and filter by message, sentiment, network, language', access: 'analytics.read', tags: T, query: dto.CommentsQuery, response: dto.CommentList })
  async comments(@Ctx() ctx: RequestContext, @Query() q: z.infer<typeof dto.CommentsQuery>) {
    const { rows, counts } = await this.listening.comments(q.orgId ?? orgOf(ctx), q);
    return { items: rows.map(commentView), nextCursor: cursorOf(rows, q.limit), counts };
  }

  @Get('listening/messages/:id/comments')
  @Route({ summary: "Comments on one message's posts on every network", access: 'analytics.read', tags: T, params: dto.IdParams, query: dto.MessageCommentsQuery, response: dto.CommentList })
  async messageComments(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>, @Query() q: z.infer<typeof dto.MessageCommentsQuery>) {
    const { rows, counts } = await this.listening.comments(orgOf(ctx), { ...q, messageId: p.id });
    return { items: rows.map(commentView), nextCursor: cursorOf(rows, q.limit), counts };
  }

  @Get('listening/alerts')
  @Route({ summary: 'Spike alerts here and below, newest first, each with its evidence and the suspend action', access: 'analytics.read', tags: T, query: dto.AlertsQuery, response: dto.AlertList })
  async alerts(@Ctx() ctx: RequestContext, @Query() q: z.infer<typeof dto.AlertsQuery>) {
    const rows = await this.spikes.list(ctx, { limit: q.limit, ...(q.messageId ? { messageId: q.messageId } : {}), ...(q.open ? { open: q.open === 'true' } : {}) });
    return { items: rows.map(alertView) };
  }

  @Get('listening/alerts/:id')
  @Route({ summary: 'One spike alert', access: 'analytics.read', tags: T, params: dto.IdParams, response: dto.AlertView, errors: ['spike_alert_not_found'] })
  async alert(@Param() p: z.infer<typeof dto.IdParams>) {
    return alertView(await this.spikes.get(p.id));
  }

  @Post('listening/alerts/:id/acknowledge')
  @HttpCode(200)
  @Route({ summary: 'Mark a spike alert as seen', access: 'analytics.read', tags: T, params: dto.IdParams, response: dto.AlertView, errors: ['spike_alert_not_found', 'spike_alert_acknowledged'] })
  async acknowledge(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>) {
    return alertView(await this.spikes.acknowledge(ctx, p.id));
  }

  @Get('listening/settings')
  @Route({ summary: "This organisation's spike sensitivity", access: 'analytics.read', tags: T, response: dto.SpikeSettingsView })
  async settings(@Ctx() ctx: RequestContext) {
    return this.spikes.settings(ctx);
  }

  @Put('listening/settings')
  @Route({ summary: "Set this organisation's spike sensitivity (k, negative-share jump, minimum comments)", access: 'settings.manage', tags: T, body: dto.SpikeSettingsBody, response: dto.SpikeSettingsView })
  async updateSettings(@Ctx() ctx: RequestContext, @Body() b: z.infer<typeof dto.SpikeSettingsBody>) {
    return this.spikes.updateSettings(ctx, b);
  }
}
