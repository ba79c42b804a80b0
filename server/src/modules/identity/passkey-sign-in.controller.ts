import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../platform/config/config.js';
import { CONFIG } from '../../platform/config/config.tokens.js';
import type { RequestContext } from '../../platform/context/request-context.js';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { Route } from '../../platform/http/route.decorator.js';
import { setSessionCookies } from './console-cookies.js';
import { ConsoleSessionView, TokenPairView } from './identity.dto.js';
import { MfaChallengeBody, MfaPasskeyBody, PasskeySignInBody, RequestOptionsView } from './passkeys.dto.js';
import { PasskeySignInService } from './passkey-sign-in.service.js';

const assertion = (c: unknown) => c as AuthenticationResponseJSON;
const secondStepErrors = ['passkey_rejected', 'passkey_challenge_invalid', 'passkey_counter_regressed', 'mfa_challenge_invalid', 'sso_required'];
const signInErrors = ['passkey_rejected', 'passkey_challenge_invalid', 'passkey_counter_regressed', 'invalid_credentials', 'no_membership', 'sso_required'];

/**
 * Signing in with a passkey, for API clients (a token pair) and for the console (httpOnly
 * cookies): the second step after a password, or passwordless.
 */
@Controller('api/v1/auth')
export class PasskeySignInController {
  constructor(
    private readonly signIn: PasskeySignInService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Post('mfa/passkey/options')
  @HttpCode(200)
  @Route({
    summary: 'Second step of sign-in with a passkey: options for the challenge’s user',
    access: 'public',
    tags: ['auth'],
    body: MfaChallengeBody,
    response: RequestOptionsView,
    status: 200,
    errors: ['mfa_challenge_invalid', 'mfa_not_enrolled'],
  })
  secondStepOptions(@Body() body: z.infer<typeof MfaChallengeBody>) {
    return this.signIn.secondStepOptions(body.challengeToken);
  }

  @Post('mfa/passkey')
  @HttpCode(200)
  @Route({ summary: 'Second step of sign-in: the challenge and a passkey assertion for a token pair', access: 'public', tags: ['auth'], body: MfaPasskeyBody, response: TokenPairView, status: 200, errors: secondStepErrors })
  completeSecondStep(@Ctx() ctx: RequestContext, @Body() body: z.infer<typeof MfaPasskeyBody>) {
    return this.signIn.completeSecondStep(ctx, body.challengeToken, assertion(body.credential));
  }

  @Post('session/mfa/passkey')
  @HttpCode(200)
  @Route({ summary: 'Second step of console sign-in with a passkey; the session goes into httpOnly cookies', access: 'public', tags: ['auth'], body: MfaPasskeyBody, response: ConsoleSessionView, status: 200, errors: secondStepErrors })
  async completeConsoleSecondStep(
    @Ctx() ctx: RequestContext,
    @Body() body: z.infer<typeof MfaPasskeyBody>,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const pair = await this.signIn.completeSecondStep(ctx, body.challengeToken, assertion(body.credential));
    return setSessionCookies(req, reply, pair, this.config.refreshTokenTtlSeconds);
  }

  @Post('passkeys/sign-in/options')
  @HttpCode(200)
  @Route({ summary: 'Passwordless sign-in: options for navigator.credentials.get (any of this site’s passkeys)', access: 'public', tags: ['auth'], response: RequestOptionsView, status: 200, errors: ['login_throttled'] })
  signInOptions(@Ctx() ctx: RequestContext) {
    return this.signIn.signInOptions(ctx.ip);
  }

  @Post('passkeys/sign-in')
  @HttpCode(200)
  @Route({ summary: 'Passwordless sign-in with a passkey (user verification required) for a token pair', access: 'public', tags: ['auth'], body: PasskeySignInBody, response: TokenPairView, status: 200, errors: signInErrors })
  passwordless(@Ctx() ctx: RequestContext, @Body() body: z.infer<typeof PasskeySignInBody>) {
    return this.signIn.signIn(ctx, assertion(body.credential), body.organisationId);
  }

  @Post('session/passkey')
  @HttpCode(200)
  @Route({ summary: 'Passwordless console sign-in with a passkey; the session goes into httpOnly cookies', access: 'public', tags: ['auth'], body: PasskeySignInBody, response: ConsoleSessionView, status: 200, errors: signInErrors })
  async consolePasswordless(
    @Ctx() ctx: RequestContext,
    @Body() body: z.infer<typeof PasskeySignInBody>,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const pair = await this.signIn.signIn(ctx, assertion(body.credential), body.organisationId);
    return setSessionCookies(req, reply, pair, this.config.refreshTokenTtlSeconds);
  }
}
