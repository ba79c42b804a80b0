import { Controller, Get, Query } from '@nestjs/common';
import type { z } from 'zod';
import type { RequestContext } from '../../platform/context/request-context.js';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { Route } from '../../platform/http/route.decorator.js';
import * as dto from './realtime.dto.js';
import { RealtimeService } from './realtime.service.js';

@Controller('api/v1/realtime')
export class RealtimeController {
  constructor(private readonly realtime: RealtimeService) {}

  @Get('events')
  @Route({
    summary: 'Polling fallback of the live feed: events after a position, here and below, that you may see',
    access: 'content.read',
    tags: ['realtime'],
    query: dto.EventsQuery,
    response: dto.EventsPage,
  })
  async events(@Ctx() ctx: RequestContext, @Query() q: z.infer<typeof dto.EventsQuery>) {
    return this.realtime.poll(ctx, q.after, q.limit);
  }
}
