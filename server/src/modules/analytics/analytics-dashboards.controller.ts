import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { type RequestContext } from '../../platform/context/request-context.js';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { Route } from '../../platform/http/route.decorator.js';
import { AppError } from '../../platform/errors/app-error.js';
import * as dto from './analytics-dashboards.dto.js';
import { DASHBOARD_CSP, goneHtml } from './analytics-dashboards.page.js';
import { AnalyticsDashboards } from './analytics-dashboards.service.js';

const T = ['analytics'];

@Controller('api/v1')
export class AnalyticsDashboardsController {
  constructor(private readonly dashboards: AnalyticsDashboards) {}

  @Post('analytics/dashboards')
  @Route({ summary: 'Publish a dashboard (chosen widgets, aggregates only) behind a signed, expiring link; audited', access: 'settings.manage', tags: T, body: dto.DashboardBody, response: dto.DashboardView, status: 201 })
  create(@Ctx() ctx: RequestContext, @Body() b: z.output<typeof dto.DashboardBody>) {
    return this.dashboards.create(ctx, b);
  }

  @Get('analytics/dashboards')
  @Route({ summary: 'Dashboards this organisation has published, with their links', access: 'analytics.read', tags: T, response: dto.DashboardList })
  async list(@Ctx() ctx: RequestContext) {
    return { items: await this.dashboards.list(ctx) };
  }

  @Post('analytics/dashboards/:id/revoke')
  @HttpCode(200)
  @Route({ summary: 'Withdraw a public dashboard: its link stops working (caches keep it at most five minutes); audited', access: 'settings.manage', tags: T, params: dto.IdParams, response: dto.DashboardView, errors: ['dashboard_not_found'] })
  revoke(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>) {
    return this.dashboards.revoke(ctx, p.id);
  }

  @Get('public/dashboards/:id')
  @Route({ summary: 'A published dashboard as an accessible HTML page, embeddable in an iframe (no sign-in: the signed link is the permission)', access: 'public', tags: T, params: dto.IdParams, query: dto.PublicQuery, errors: ['dashboard_link_invalid'] })
  async page(@Param() p: z.infer<typeof dto.IdParams>, @Query() q: z.infer<typeof dto.PublicQuery>, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('content-type', 'text/html; charset=utf-8').header('content-security-policy', DASHBOARD_CSP).header('referrer-policy', 'no-referrer').removeHeader('x-frame-options');
    try {
      const { html, maxAge } = await this.dashboards.publicPage(p.id, q.exp, q.sig);
      void reply.header('cache-control', `public, max-age=${maxAge}`).header('cross-origin-resource-policy', 'cross-origin');
      return html;
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'dashboard_link_invalid') throw err;
      void reply.code(410).header('cache-control', 'no-store');
      return goneHtml();
    }
  }
}
