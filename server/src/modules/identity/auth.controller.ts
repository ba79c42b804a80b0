import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { userOf, type RequestContext } from '../../platform/context/request-context.js';
import { Route } from '../../platform/http/route.decorator.js';
import { AuthService } from './auth.service.js';
import { ChangePasswordBody, IdParams, LoginBody, LoginResponse, MeView, RefreshBody, SessionList, SignedOutEverywhereView, TokenPairView } from './identity.dto.js';
import { clearSessionCookies } from './console-cookies.js';
import { UsersService } from './users.service.js';

@Controller('api/v1')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Post('auth/login')
  @HttpCode(200)
  @Route({
    summary: 'Sign in with email and password (with a second factor enrolled: a challenge for POST /auth/mfa/verify)',
    access: 'public',
    tags: ['auth'],
    body: LoginBody,
    response: LoginResponse,
    status: 200,
    errors: ['invalid_credentials', 'login_throttled', 'no_membership', 'sso_required'],
  })
  login(@Ctx() ctx: RequestContext, @Body() body: z.infer<typeof LoginBody>) {
    return this.auth.login(ctx, body);
  }

  @Post('auth/refresh')
  @HttpCode(200)
  @Route({
    summary: 'Exchange a refresh token for a new pair (the old one is spent)',
    access: 'public',
    tags: ['auth'],
    body: RefreshBody,
    response: TokenPairView,
    status: 200,
    errors: ['refresh_token_invalid', 'refresh_token_reused', 'sso_required'],
  })
  refresh(@Ctx() ctx: RequestContext, @Body() body: z.infer<typeof RefreshBody>) {
    return this.auth.refresh(ctx, body.refreshToken);
  }

  @Post('auth/logout')
  @HttpCode(204)
  @Route({ summary: 'End the current session', access: 'authenticated', duringEnrolment: true, tags: ['auth'], status: 204 })
  async logout(@Ctx() ctx: RequestContext) {
    await this.auth.logout(ctx, userOf(ctx).sessionId);
  }

  @Get('auth/sessions')
  @Route({ summary: 'List my live sessions', access: 'authenticated', duringEnrolment: true, tags: ['auth'], response: SessionList })
  async sessions(@Ctx() ctx: RequestContext) {
    const me = userOf(ctx);
    const items = await this.auth.listSessions(me.id);
    return {
      items: items.map((s) => ({
        id: s.id,
        organisationId: s.orgId,
        createdAt: s.createdAt.toISOString(),
        lastUsedAt: s.lastUsedAt.toISOString(),
        expiresAt: s.expiresAt.toISOString(),
        ip: s.ip,
        userAgent: s.userAgent,
        current: s.id === me.sessionId,
      })),
    };
  }

  @Delete('auth/sessions/:id')
  @HttpCode(204)
  @Route({ summary: 'Revoke one of my sessions', access: 'authenticated', duringEnrolment: true, tags: ['auth'], params: IdParams, status: 204, errors: ['session_not_found'] })
  async revokeSession(@Ctx() ctx: RequestContext, @Param() params: z.infer<typeof IdParams>) {
    await this.auth.revokeSession(ctx, params.id);
  }

  @Delete('auth/sessions')
  @Route({
    summary: 'Sign out everywhere: end all my sessions, this one included',
    access: 'authenticated',
    duringEnrolment: true,
    tags: ['auth'],
    response: SignedOutEverywhereView,
  })
  async signOutEverywhere(@Ctx() ctx: RequestContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const sessionsEnded = await this.auth.signOutEverywhere(ctx);
    clearSessionCookies(req, reply);
    return { sessionsEnded };
  }

  @Post('auth/password')
  @HttpCode(204)
  @Route({
    summary: 'Change my password (ends my other sessions)',
    access: 'authenticated',
    tags: ['auth'],
    body: ChangePasswordBody,
    status: 204,
    errors: ['invalid_credentials', 'weak_password'],
  })
  async changePassword(@Ctx() ctx: RequestContext, @Body() body: z.infer<typeof ChangePasswordBody>) {
    await this.users.changeOwnPassword(ctx, body.currentPassword, body.newPassword);
  }

  @Get('me')
  @Route({ summary: 'Who I am, my roles here, and where else I can act', access: 'authenticated', duringEnrolment: true, tags: ['auth'], response: MeView })
  me(@Ctx() ctx: RequestContext) {
    return this.users.me(ctx);
  }
}
