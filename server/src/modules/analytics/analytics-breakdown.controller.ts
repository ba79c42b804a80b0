import { Controller, Get, Query } from '@nestjs/common';
import type { z } from 'zod';
import { orgOf, type RequestContext } from '../../platform/context/request-context.js';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { Route } from '../../platform/http/route.decorator.js';
import { BreakdownQuery, BreakdownView } from './analytics-breakdown.dto.js';
import { AnalyticsBreakdown } from './analytics-breakdown.service.js';

@Controller('api/v1/analytics')
export class AnalyticsBreakdownController {
  constructor(private readonly breakdown: AnalyticsBreakdown) {}

  @Get('organisation/breakdown')
  @Route({ summary: 'This organisation and those below it over a range: per network, the most seen messages, and the comments’ sentiment per bucket', access: 'analytics.read', tags: ['analytics'], query: BreakdownQuery, response: BreakdownView })
  organisation(@Ctx() ctx: RequestContext, @Query() q: z.output<typeof BreakdownQuery>) {
    return this.breakdown.organisation(orgOf(ctx), q);
  }
}
