import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../../platform/config/config.js';
import { CONFIG } from '../../../platform/config/config.tokens.js';
import type { RequestContext } from '../../../platform/context/request-context.js';
import { Ctx } from '../../../platform/http/ctx.decorator.js';
import { Route } from '../../../platform/http/route.decorator.js';
import { setSessionCookies } from '../console-cookies.js';
import { SsoCallbackQuery, SsoLinkBody, SsoStartBody, SsoStartView } from './sso.dto.js';
import { SsoService } from './sso.service.js';

const T = ['auth'];
const callbackErrors = [
  'sso_state_invalid',
  'sso_nonce_invalid',
  'sso_rejected',
  'sso_provider_unreachable',
  'sso_email_missing',
  'sso_domain_not_allowed',
  'sso_no_account',
  'sso_no_role',
  'sso_link_required',
  'sso_identity_taken',
  'sso_already_linked',
  'account_inactive',
  'no_membership',
];

/** Single sign-on with OpenID Connect: the browser goes to the provider and comes back here. */
@Controller('api/v1/auth/sso')
export class SsoController {
  constructor(
    private readonly sso: SsoService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Post('start')
  @HttpCode(200)
  @Route({
    summary: 'Start signing in with an identity provider: where to send the browser',
    access: 'public',
    tags: T,
    body: SsoStartBody,
    response: SsoStartView,
    status: 200,
    errors: ['identity_provider_not_found', 'sso_provider_unreachable'],
  })
  start(@Body() body: z.infer<typeof SsoStartBody>) {
    return this.sso.startSignIn(body);
  }

  @Post('link')
  @HttpCode(200)
  @Route({
    summary: 'Start linking my account to my identity at a provider (signed in: proves the account; the provider proves the identity)',
    access: 'authenticated',
    tags: T,
    body: SsoLinkBody,
    response: SsoStartView,
    status: 200,
    errors: ['identity_provider_not_found', 'sso_provider_unreachable'],
  })
  link(@Ctx() ctx: RequestContext, @Body() body: z.infer<typeof SsoLinkBody>) {
    return this.sso.startLink(ctx, body.providerId);
  }

  @Get('callback')
  @HttpCode(303)
  @Route({
    summary: "The provider's redirect: signs the console in (session cookies) or completes a link, then back to the console",
    access: 'public',
    tags: T,
    query: SsoCallbackQuery,
    status: 303,
    errors: callbackErrors,
  })
  async callback(@Ctx() ctx: RequestContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    // The raw query: the provider's parameters (iss among them) are checked as sent.
    const search = new URL(req.url, 'http://callback.invalid').searchParams;
    const outcome = await this.sso.callback(ctx, search);
    if (outcome.kind === 'signed_in') {
      setSessionCookies(req, reply, outcome.tokens, this.config.refreshTokenTtlSeconds);
      void reply.header('location', `${this.config.publicUrl}/`);
    } else {
      void reply.header('location', `${this.config.publicUrl}/settings?linked=${outcome.providerId}`);
    }
  }
}
