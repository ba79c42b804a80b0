import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { z } from 'zod';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { type RequestContext } from '../../platform/context/request-context.js';
import { Route } from '../../platform/http/route.decorator.js';
import { ChangeRoleBody, IdParams, MemberList } from './identity.dto.js';
import { UsersService } from './users.service.js';

const guarded = ['user_not_found', 'cannot_change_self', 'role_too_high', 'last_owner', 'user_outside_scope'];

@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Route({ summary: 'List members of the organisation', access: 'user.read', tags: ['users'], response: MemberList })
  async list(@Ctx() ctx: RequestContext) {
    const members = await this.users.listMembers(ctx);
    return {
      items: members.map((m) => ({
        id: m.userId,
        email: m.email,
        displayName: m.displayName,
        status: m.status,
        role: m.role,
        memberSince: m.memberSince.toISOString(),
      })),
    };
  }

  @Patch(':id/role')
  @HttpCode(204)
  @Route({ summary: "Change a member's role", access: 'user.manage', tags: ['users'], params: IdParams, body: ChangeRoleBody, status: 204, errors: guarded })
  async changeRole(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof IdParams>, @Body() body: z.infer<typeof ChangeRoleBody>) {
    await this.users.changeRole(ctx, p.id, body.role);
  }

  @Delete(':id/membership')
  @HttpCode(204)
  @Route({ summary: 'Remove a member from the organisation', access: 'user.manage', tags: ['users'], params: IdParams, status: 204, errors: guarded })
  async remove(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof IdParams>) {
    await this.users.removeMember(ctx, p.id);
  }

  @Post(':id/deactivate')
  @HttpCode(204)
  @Route({ summary: 'Deactivate a user: they can no longer sign in or call the API', access: 'user.manage', tags: ['users'], params: IdParams, status: 204, errors: guarded })
  async deactivate(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof IdParams>) {
    await this.users.setActive(ctx, p.id, false);
  }

  @Post(':id/mfa/reset')
  @HttpCode(204)
  @Route({
    summary: "Reset a member's second factors (a lost authenticator): their sessions end and they enrol again",
    access: 'user.manage',
    stepUp: true,
    tags: ['users'],
    params: IdParams,
    status: 204,
    errors: guarded,
  })
  async resetFactors(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof IdParams>) {
    await this.users.resetFactors(ctx, p.id);
  }

  @Post(':id/reactivate')
  @HttpCode(204)
  @Route({ summary: 'Reactivate a deactivated user', access: 'user.manage', tags: ['users'], params: IdParams, status: 204, errors: guarded })
  async reactivate(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof IdParams>) {
    await this.users.setActive(ctx, p.id, true);
  }
}
