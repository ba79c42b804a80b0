import { Body, Controller, Delete, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { userOf, type RequestContext } from '../../platform/context/request-context.js';
import type { Config } from '../../platform/config/config.js';
import { CONFIG } from '../../platform/config/config.tokens.js';
import { platformError } from '../../platform/errors/app-error.js';
import { csrfMatches, CSRF_HEADER, readCookies, REFRESH_COOKIE } from '../../platform/http/cookies.js';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { Route } from '../../platform/http/route.decorator.js';
import { AuthService, isChallenge } from './auth.service.js';
import { clearSessionCookies, setSessionCookies } from './console-cookies.js';
import { ConsoleSessionView, ConsoleSignInResponse, LoginBody, MfaVerifyBody } from './identity.dto.js';
import { MfaService } from './mfa.service.js';
import { identityError } from './identity.errors.js';

/**
 * The console's sign-in: the same sessions and rotating refresh tokens as the Bearer API, kept
 * in httpOnly cookies instead of the page's memory (decision 0016).
 */
@Controller('api/v1/auth/session')
export class ConsoleSessionController {
  constructor(
    private readonly auth: AuthService,
    private readonly mfa: MfaService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Post()
  @HttpCode(200)
  @Route({
    summary: 'Sign in to the console: the session goes into httpOnly cookies (or a second-factor challenge for POST /auth/session/mfa)',
    access: 'public',
    tags: ['auth'],
    body: LoginBody,
    response: ConsoleSignInResponse,
    status: 200,
    errors: ['invalid_credentials', 'login_throttled', 'no_membership', 'sso_required'],
  })
  async signIn(
    @Ctx() ctx: RequestContext,
    @Body() body: z.infer<typeof LoginBody>,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.auth.login(ctx, body);
    if (isChallenge(outcome)) return outcome;
    return setSessionCookies(req, reply, outcome, this.config.refreshTokenTtlSeconds);
  }

  @Post('mfa')
  @HttpCode(200)
  @Route({
    summary: 'Second step of console sign-in: the challenge and a code; the session goes into httpOnly cookies',
    access: 'public',
    tags: ['auth'],
    body: MfaVerifyBody,
    response: ConsoleSessionView,
    status: 200,
    errors: ['mfa_code_invalid', 'mfa_throttled', 'mfa_challenge_invalid', 'sso_required'],
  })
  async completeSignIn(
    @Ctx() ctx: RequestContext,
    @Body() body: z.infer<typeof MfaVerifyBody>,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const pair = await this.mfa.completeSignIn(ctx, body.challengeToken, body.code);
    return setSessionCookies(req, reply, pair, this.config.refreshTokenTtlSeconds);
  }

  @Post('refresh')
  @HttpCode(200)
  @Route({
    summary: 'Rotate the console session cookies (send the CSRF cookie in x-csrf-token)',
    access: 'public',
    tags: ['auth'],
    response: ConsoleSessionView,
    status: 200,
    errors: ['csrf_failed', 'refresh_token_invalid', 'refresh_token_reused', 'sso_required'],
  })
  async refresh(@Ctx() ctx: RequestContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const cookies = readCookies(req);
    if (!csrfMatches(req, cookies)) throw platformError('csrf_failed', `Echo the CSRF cookie in the ${CSRF_HEADER} header`);
    const token = cookies.get(REFRESH_COOKIE);
    if (!token) throw identityError('refresh_token_invalid', 'There is no console session to refresh; sign in');
    try {
      return setSessionCookies(req, reply, await this.auth.refresh(ctx, token), this.config.refreshTokenTtlSeconds);
    } catch (err) {
      // A dead session should not leave cookies that will only fail again.
      clearSessionCookies(req, reply);
      throw err;
    }
  }

  @Delete()
  @HttpCode(204)
  @Route({
    summary: 'Sign out of the console: ends this session and clears its cookies',
    access: 'authenticated',
    duringEnrolment: true,
    tags: ['auth'],
    status: 204,
  })
  async signOut(@Ctx() ctx: RequestContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.auth.logout(ctx, userOf(ctx).sessionId);
    clearSessionCookies(req, reply);
  }
}
