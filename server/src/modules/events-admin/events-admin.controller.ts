import { Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { type RequestContext } from '../../platform/context/request-context.js';
import { Route } from '../../platform/http/route.decorator.js';
import { DeadLetterList, DiscardQuery, EventIdParams, EventsQuery } from './events-admin.dto.js';
import { EventsAdminService } from './events-admin.service.js';

@Controller('api/v1/admin/events')
export class EventsAdminController {
  constructor(private readonly events: EventsAdminService) {}

  @Get()
  @Route({ summary: "List this organisation's dead-lettered events (by the relay or by a subscriber), most recent first", access: 'jobs.manage', tags: ['admin'], query: EventsQuery, response: DeadLetterList })
  async list(@Ctx() ctx: RequestContext, @Query() q: EventsQuery) {
    return { items: await this.events.listDeadLettered(ctx, q.limit) };
  }

  @Post(':id/redrive')
  @HttpCode(204)
  @Route({ summary: 'Deliver a dead-lettered event again, with a fresh set of attempts (audited)', access: 'jobs.manage', tags: ['admin'], params: EventIdParams, status: 204, errors: ['event_not_found', 'event_not_dead_lettered'] })
  async redrive(@Ctx() ctx: RequestContext, @Param() p: EventIdParams) {
    await this.events.redrive(ctx, p.id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Route({ summary: 'Discard a dead-lettered event: never delivered, the events behind it go on (audited, with a reason)', access: 'jobs.manage', tags: ['admin'], params: EventIdParams, query: DiscardQuery, status: 204, errors: ['event_not_found', 'event_not_dead_lettered'] })
  async discard(@Ctx() ctx: RequestContext, @Param() p: EventIdParams, @Query() q: DiscardQuery) {
    await this.events.discard(ctx, p.id, q.reason);
  }
}
