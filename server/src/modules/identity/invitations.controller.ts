import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { z } from 'zod';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { type RequestContext } from '../../platform/context/request-context.js';
import { Route } from '../../platform/http/route.decorator.js';
import {
  AcceptedInvitationView,
  AcceptInvitationBody,
  CreatedInvitationView,
  CreateInvitationBody,
  IdParams,
  InvitationList,
} from './identity.dto.js';
import type { InvitationRecord } from './invitations.repository.js';
import { InvitationsService, invitationStatus } from './invitations.service.js';

const view = (inv: InvitationRecord) => ({
  id: inv.id,
  email: inv.email,
  role: inv.role,
  status: invitationStatus(inv),
  createdAt: inv.createdAt.toISOString(),
  expiresAt: inv.expiresAt.toISOString(),
});

@Controller('api/v1/invitations')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post()
  @Route({
    summary: 'Invite someone by email to a role in this organisation',
    access: 'user.invite',
    tags: ['users'],
    body: CreateInvitationBody,
    response: CreatedInvitationView,
    errors: ['role_too_high', 'already_member'],
  })
  async create(@Ctx() ctx: RequestContext, @Body() body: z.infer<typeof CreateInvitationBody>) {
    const { invitation, token, acceptUrl } = await this.invitations.create(ctx, body);
    return { ...view(invitation), token, acceptUrl };
  }

  @Get()
  @Route({ summary: "List this organisation's invitations", access: 'user.invite', tags: ['users'], response: InvitationList })
  async list(@Ctx() ctx: RequestContext) {
    return { items: (await this.invitations.list(ctx)).map(view) };
  }

  @Delete(':id')
  @HttpCode(204)
  @Route({ summary: 'Revoke a pending invitation', access: 'user.invite', tags: ['users'], params: IdParams, status: 204, errors: ['invitation_not_found', 'invitation_used'] })
  async revoke(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof IdParams>) {
    await this.invitations.revoke(ctx, p.id);
  }

  @Post('accept')
  @HttpCode(200)
  @Route({
    summary: 'Accept an invitation (creates the account if the email has none)',
    access: 'public',
    tags: ['users'],
    body: AcceptInvitationBody,
    response: AcceptedInvitationView,
    status: 200,
    errors: ['invitation_not_found', 'invitation_expired', 'invitation_used', 'weak_password', 'display_name_required', 'invalid_credentials', 'login_throttled', 'already_member', 'sso_required'],
  })
  accept(@Ctx() ctx: RequestContext, @Body() body: z.infer<typeof AcceptInvitationBody>) {
    return this.invitations.accept(ctx, body);
  }
}
