import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { Ctx } from '../../../platform/http/ctx.decorator.js';
import { orgOf, type RequestContext } from '../../../platform/context/request-context.js';
import { Route } from '../../../platform/http/route.decorator.js';
import { ApprovalsService } from './approvals.service.js';
import { TRANSITION_ERROR_CODES } from '../messages.errors.js';
import * as dto from '../messages.dto.js';
import { MessagesRepository } from '../messages.repository.js';
import { MessagesService } from '../messages.service.js';
import { approvalsView, messageDetail, setEtag } from '../messages.views.js';

const T = ['approvals'];

@Controller('api/v1')
export class ApprovalsController {
  constructor(
    private readonly approvals: ApprovalsService,
    private readonly messages: MessagesService,
    private readonly repo: MessagesRepository,
  ) {}

  @Get('approval-policy')
  @Route({ summary: 'The approval policy in force here: own, inherited from above, or the default', access: 'content.read', tags: T, response: dto.PolicyView })
  async policy(@Ctx() ctx: RequestContext) {
    const { policy, source } = await this.approvals.effective(await this.repo.orgPath(orgOf(ctx)));
    return { policy, inheritedFrom: source?.orgId ?? null, own: source?.orgId === orgOf(ctx), revision: source?.revision ?? null };
  }

  @Put('approval-policy')
  @Route({ summary: 'Set this organisation’s own policy (children inherit it unless they set theirs)', access: 'settings.manage', stepUp: true, tags: T, body: dto.PolicyBody, response: dto.PolicyView })
  async setPolicy(@Ctx() ctx: RequestContext, @Body() b: z.infer<typeof dto.PolicyBody>) {
    const row = await this.approvals.setPolicy(ctx, b);
    return { policy: row.policy, inheritedFrom: row.orgId, own: true, revision: row.revision };
  }

  @Delete('approval-policy')
  @HttpCode(204)
  @Route({ summary: 'Drop this organisation’s own policy and inherit again', access: 'settings.manage', stepUp: true, tags: T, status: 204 })
  async clearPolicy(@Ctx() ctx: RequestContext) {
    await this.approvals.clearPolicy(ctx);
  }

  @Get('messages/:id/approvals')
  @Route({ summary: 'Approval progress of the current content, and every decision ever made', access: 'content.read', tags: T, params: dto.IdParams, response: dto.ApprovalsView, errors: ['message_not_found'] })
  async progress(@Param() p: z.infer<typeof dto.IdParams>) {
    const { msg, decisions, progress } = await this.approvals.history(p.id);
    return approvalsView(msg, progress, decisions);
  }

  @Post('messages/:id/approvals')
  @HttpCode(200)
  @Route({
    summary: 'Approve the current content at the open stage, or request changes',
    access: 'content.approve',
    tags: T,
    params: dto.IdParams,
    body: dto.DecisionBody,
    response: dto.MessageDetail,
    errors: ['message_not_found', 'content_changed', 'stage_not_current', 'not_an_approver', 'self_approval_not_allowed', 'language_not_in_stage', 'already_decided', 'stale_revision', ...TRANSITION_ERROR_CODES],
  })
  async decide(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof dto.IdParams>, @Body() b: z.infer<typeof dto.DecisionBody>, @Res({ passthrough: true }) reply: FastifyReply) {
    const m = await this.approvals.decide(ctx, p.id, b);
    const fresh = await this.messages.get(m.id);
    setEtag(reply, fresh);
    const v = await this.messages.version(fresh.id, fresh.version);
    return messageDetail(fresh, v.content, await this.messages.publishingProblems(v.content));
  }
}
