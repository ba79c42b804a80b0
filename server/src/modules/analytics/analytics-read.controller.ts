import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { orgOf, type RequestContext } from '../../platform/context/request-context.js';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { Route } from '../../platform/http/route.decorator.js';
import * as dto from './analytics-read.dto.js';
import { prefersCsv } from './analytics-read.accept.js';
import { seriesCsv } from './analytics-read.csv.js';
import type { ReadScope } from './analytics-read.repository.js';
import { AnalyticsRead } from './analytics-read.service.js';

const T = ['analytics'];
type Q = z.output<typeof dto.SeriesQuery>;

/**
 * Figures over time for a message, a channel, the caller's organisation and its subtree, or a
 * campaign. Each has a `.csv` twin (same query) for spreadsheets, and answers the same CSV when
 * asked with `Accept: text/csv` (the route's declared format stays JSON; see prefersCsv).
 */
@Controller('api/v1/analytics')
export class AnalyticsReadController {
  constructor(private readonly read: AnalyticsRead) {}

  @Get('messages/:id')
  @Route({ summary: 'A message’s reach and reactions over time, all its deliveries summed', access: 'analytics.read', tags: T, csv: true, params: dto.IdParams, query: dto.SeriesQuery, response: dto.SeriesView, errors: ['message_not_found'] })
  message(@Param() p: z.infer<typeof dto.IdParams>, @Query() q: Q, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.negotiate({ kind: 'message' as const, id: p.id }, q, accept, reply);
  }

  @Get('messages/:id/series.csv')
  @Route({ summary: 'The same as CSV (text/csv; empty cell: not available)', access: 'analytics.read', tags: T, params: dto.IdParams, query: dto.SeriesQuery, errors: ['message_not_found'] })
  messageCsv(@Param() p: z.infer<typeof dto.IdParams>, @Query() q: Q, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.csv({ kind: 'message', id: p.id }, q, reply);
  }

  @Get('channels/:id')
  @Route({ summary: 'A channel’s posts and followers over time', access: 'analytics.read', tags: T, csv: true, params: dto.IdParams, query: dto.SeriesQuery, response: dto.SeriesView })
  channel(@Param() p: z.infer<typeof dto.IdParams>, @Query() q: Q, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.negotiate({ kind: 'channel' as const, id: p.id }, q, accept, reply);
  }

  @Get('channels/:id/series.csv')
  @Route({ summary: 'The same as CSV (text/csv; empty cell: not available)', access: 'analytics.read', tags: T, params: dto.IdParams, query: dto.SeriesQuery })
  channelCsv(@Param() p: z.infer<typeof dto.IdParams>, @Query() q: Q, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.csv({ kind: 'channel', id: p.id }, q, reply);
  }

  @Get('campaigns/:id')
  @Route({ summary: 'A campaign’s messages summed over time', access: 'analytics.read', tags: T, csv: true, params: dto.IdParams, query: dto.SeriesQuery, response: dto.SeriesView })
  campaign(@Param() p: z.infer<typeof dto.IdParams>, @Query() q: Q, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.negotiate({ kind: 'campaign' as const, id: p.id }, q, accept, reply);
  }

  @Get('campaigns/:id/series.csv')
  @Route({ summary: 'The same as CSV (text/csv; empty cell: not available)', access: 'analytics.read', tags: T, params: dto.IdParams, query: dto.SeriesQuery })
  campaignCsv(@Param() p: z.infer<typeof dto.IdParams>, @Query() q: Q, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.csv({ kind: 'campaign', id: p.id }, q, reply);
  }

  @Get('organisation')
  @Route({ summary: 'This organisation and every organisation below it (a ministry sees its missions), over time', access: 'analytics.read', tags: T, csv: true, query: dto.SeriesQuery, response: dto.SeriesView })
  organisation(@Ctx() ctx: RequestContext, @Query() q: Q, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.negotiate({ kind: 'organisation' as const, id: orgOf(ctx) }, q, accept, reply);
  }

  @Get('organisation/series.csv')
  @Route({ summary: 'The same as CSV (text/csv; empty cell: not available)', access: 'analytics.read', tags: T, query: dto.SeriesQuery })
  organisationCsv(@Ctx() ctx: RequestContext, @Query() q: Q, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.csv({ kind: 'organisation', id: orgOf(ctx) }, q, reply);
  }

  /** JSON, or the CSV twin's answer when the client prefers text/csv. */
  private negotiate(scope: ReadScope, q: Q, accept: string | undefined, reply: FastifyReply) {
    void reply.header('vary', 'Accept');
    return prefersCsv(accept) ? this.csv(scope, q, reply) : this.read.series(scope, q);
  }

  private async csv(scope: ReadScope, q: Q, reply: FastifyReply): Promise<string> {
    const s = await this.read.series(scope, q);
    const periods = [{ label: 'current', series: s.current.series }, ...(s.previous ? [{ label: 'previous', series: s.previous.series }] : [])];
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="guddu-${scope.kind}-${scope.id}.csv"`)
      .header('cache-control', 'private, no-store');
    return seriesCsv(periods, `${scope.kind}:${scope.id}`);
  }
}
