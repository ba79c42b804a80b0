import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { type RequestContext } from '../../platform/context/request-context.js';
import { Route } from '../../platform/http/route.decorator.js';
import { TRANSITION_ERROR_CODES } from '../messages/messages.errors.js';
import * as dto from './publishing.dto.js';
import { PublishingService } from './publishing.service.js';
import { blackoutView, suspensionView } from './publishing.views.js';

const T = ['publishing control'];
const YEAR_MS = 366 * 86_400_000;

@Controller('api/v1')
/** Named as before the move: the class name is the OpenAPI operationId prefix, which clients use. */
export class PublishingControlController {
  constructor(private readonly control: PublishingService) {}

  @Get('publishing/suspension')
  @Route({ summary: 'Whether publishing is suspended here (by this organisation or one above)', access: 'content.read', tags: T, response: dto.SuspensionStatus })
  async status(@Ctx() ctx: RequestContext) {
    const s = await this.control.status(ctx);
    return { suspended: s !== undefined, suspension: s ? suspensionView(s) : null };
  }

  @Get('publishing/suspensions')
  @Route({ summary: 'Suspensions here and below, newest first', access: 'content.read', tags: T, response: dto.SuspensionList })
  async list() {
    return { items: (await this.control.list(100)).map(suspensionView) };
  }

  @Post('publishing/suspensions')
  @Route({ summary: 'Crisis suspend: from its commit nothing here or below is published until resumed', access: 'settings.manage', stepUp: true, tags: T, body: dto.SuspendBody, response: dto.SuspensionView, status: 201, errors: ['already_suspended'] })
  async suspend(@Ctx() ctx: RequestContext, @Body() b: z.infer<typeof dto.SuspendBody>) {
    return suspensionView(await this.control.suspend(ctx, b.reason));
  }

  @Get('publishing/suspensions/:id/held')
  @Route({ summary: 'Messages that fell due during the suspension and wait for a decision', access: 'content.read', tags: T, params: dto.IdParams, response: dto.HeldView, errors: ['suspension_not_found'] })
  async held(@Param() p: z.infer<typeof dto.IdParams>) {
    const { suspension, held } = await this.control.held(p.id);
    return { suspension: suspensionView(suspension), held: held.map((m) => ({ id: m.id, title: m.title, scheduledAt: m.scheduled_at?.toISOString() ?? null, orgId: m.org_id })) };
  }

  @Post('publishing/suspensions/:id/resume')
  @HttpCode(200)
  @Route({
    summary: 'Resume publishing, with a decision for each held message: publish, reschedule or withdraw',
    access: 'settings.manage',
    stepUp: true,
    tags: T,
    params: dto.IdParams,
    body: dto.ResumeBody,
    response: dto.ResumeView,
    errors: ['suspension_not_found', 'not_suspended', 'resume_decisions_incomplete', 'invalid_zone', 'schedule_in_past', 'schedule_in_blackout', 'embargoed', ...TRANSITION_ERROR_CODES],
  })
  async resume(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>, @Body() b: z.infer<typeof dto.ResumeBody>) {
    const decisions = b.decisions.map((d) => (d.action === 'reschedule' ? { messageId: d.messageId, action: d.action, schedule: { local: d.local, zone: d.zone } } : d));
    const r = await this.control.resume(ctx, p.id, decisions);
    return { suspension: suspensionView(r.suspension), outcomes: r.outcomes };
  }

  @Get('blackouts')
  @Route({ summary: 'Blackout days in force here (own, inherited and below) overlapping a range', access: 'content.read', tags: T, query: dto.BlackoutQuery, response: dto.BlackoutList })
  async blackouts(@Query() q: z.infer<typeof dto.BlackoutQuery>) {
    const from = q.from ? new Date(q.from) : new Date(Date.now() - YEAR_MS);
    const to = q.to ? new Date(q.to) : new Date(Date.now() + YEAR_MS);
    return { items: (await this.control.listBlackouts({ from, to })).map(blackoutView) };
  }

  @Post('blackouts')
  @Route({ summary: 'Declare blackout days (e.g. national mourning): nothing can be scheduled into them', access: 'settings.manage', tags: T, body: dto.BlackoutBody, response: dto.BlackoutCreated, status: 201, errors: ['invalid_zone'] })
  async addBlackout(@Ctx() ctx: RequestContext, @Body() b: z.infer<typeof dto.BlackoutBody>) {
    const r = await this.control.addBlackout(ctx, b);
    return { blackout: blackoutView(r.blackout), conflicts: r.conflicts.map((c) => ({ id: c.id, title: c.title, scheduledAt: c.scheduled_at.toISOString() })) };
  }

  @Delete('blackouts/:id')
  @HttpCode(204)
  @Route({ summary: 'Remove blackout days declared here', access: 'settings.manage', tags: T, params: dto.IdParams, status: 204, errors: ['blackout_not_found'] })
  async removeBlackout(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>) {
    await this.control.removeBlackout(ctx, p.id);
  }
}
