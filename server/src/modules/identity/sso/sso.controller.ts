import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AccessTokens } from '../../../platform/auth/access-tokens.js';
import type { Config } from '../../../platform/config/config.js';
import { CONFIG } from '../../../platform/config/config.tokens.js';
import type { RequestContext } from '../../../platform/context/request-context.js';
import { Ctx } from '../../../platform/http/ctx.decorator.js';
import { ACCESS_COOKIE, appendCookies, isSecure, readCookies, serializeCookie } from '../../../platform/http/cookies.js';
import { Route } from '../../../platform/http/route.decorator.js';
import { setSessionCookies } from '../console-cookies.js';
import { IdentityProvidersService } from './identity-providers.service.js';
import { SamlService } from './saml.service.js';
import { SsoCallbackQuery, SsoLinkBody, SsoProvidersQuery, SsoProvidersView, SsoStartBody, SsoStartView } from './sso.dto.js';
import { SSO_CALLBACK_PATH, SsoService, STATE_TTL_MS, type SsoStarted } from './sso.service.js';

/**
 * Binds a sign-in to the browser that started it. Lax, not Strict: it must come back on the
 * provider's redirect, a navigation from another site; only the callback ever receives it.
 */
const SSO_BROWSER_COOKIE = 'guddu_sso';

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
  'sso_browser_mismatch',
  'sso_link_wrong_account',
  'account_inactive',
  'no_membership',
  'saml_idp_initiated_disabled',
  'saml_in_response_to_invalid',
  'sso_invitation_mismatch',
  'invitation_not_found',
  'invitation_expired',
  'invitation_used',
  'already_member',
];

/** Single sign-on (OpenID Connect and SAML): the browser goes to the provider and comes back here. */
@Controller('api/v1/auth/sso')
export class SsoController {
  constructor(
    private readonly sso: SsoService,
    private readonly saml: SamlService,
    private readonly providers: IdentityProvidersService,
    private readonly tokens: AccessTokens,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Get('providers')
  @Route({
    summary: 'The identity providers for an email address’s domain (the sign-in page’s choice): names only',
    access: 'public',
    tags: T,
    query: SsoProvidersQuery,
    response: SsoProvidersView,
  })
  providersFor(@Query() q: z.infer<typeof SsoProvidersQuery>) {
    return this.providers.forEmail(q.email);
  }

  @Post('start')
  @HttpCode(200)
  @Route({
    summary: 'Start signing in with an identity provider: where to send the browser',
    access: 'public',
    tags: T,
    body: SsoStartBody,
    response: SsoStartView,
    status: 200,
    errors: ['identity_provider_not_found', 'sso_provider_unreachable', 'invitation_not_found', 'invitation_expired', 'invitation_used'],
  })
  async start(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: z.infer<typeof SsoStartBody>) {
    return bindBrowser(req, reply, await this.sso.startSignIn(body));
  }

  @Post('link')
  @HttpCode(200)
  @Route({
    summary: 'Start linking my account to my identity at a provider (signed in: proves the account; the provider proves the identity)',
    access: 'authenticated',
    stepUp: true,
    tags: T,
    body: SsoLinkBody,
    response: SsoStartView,
    status: 200,
    errors: ['identity_provider_not_found', 'sso_provider_unreachable', 'step_up_required'],
  })
  async link(@Ctx() ctx: RequestContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: z.infer<typeof SsoLinkBody>) {
    return bindBrowser(req, reply, await this.sso.startLink(ctx, body.providerId));
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
    const cookies = readCookies(req);
    // Spent whatever happens: a binding cookie serves one callback.
    appendCookies(reply, [serializeCookie(SSO_BROWSER_COOKIE, '', { path: SSO_CALLBACK_PATH, maxAgeSeconds: 0, httpOnly: true, secure: isSecure(req), sameSite: 'Lax' })]);
    const browser = { nonce: cookies.get(SSO_BROWSER_COOKIE), userId: await this.signedInUser(req, cookies) };
    // SAML arrives from its ACS with the handle of a verified assertion; OIDC with state and code.
    const samlHandle = search.get('saml');
    const outcome = samlHandle ? await this.saml.complete(ctx, samlHandle, browser) : await this.sso.callback(ctx, search, browser);
    if (outcome.kind === 'signed_in') {
      setSessionCookies(req, reply, outcome.tokens, this.config.refreshTokenTtlSeconds);
      void reply.header('location', `${this.config.publicUrl}/`);
    } else if (outcome.kind === 'mfa_required') {
      // The login page asks for the code and completes with POST /auth/session/mfa. In the
      // fragment: never sent to a server, nor in a Referer.
      void reply.header('location', `${this.config.publicUrl}/login#mfa=${encodeURIComponent(outcome.challenge.challengeToken)}`);
    } else {
      void reply.header('location', `${this.config.publicUrl}/settings?linked=${outcome.providerId}`);
    }
  }

  /** The user signed in on this browser (a Bearer token or the console's cookie), if any. */
  private async signedInUser(req: FastifyRequest, cookies: Map<string, string>): Promise<string | undefined> {
    const bearer = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? cookies.get(ACCESS_COOKIE);
    if (!token) return undefined;
    return this.tokens.verify(token).then(
      (claims) => claims.sub,
      () => undefined,
    );
  }
}

function bindBrowser(req: FastifyRequest, reply: FastifyReply, started: SsoStarted): { authorizationUrl: string } {
  appendCookies(reply, [
    serializeCookie(SSO_BROWSER_COOKIE, started.browserNonce, {
      path: SSO_CALLBACK_PATH,
      maxAgeSeconds: STATE_TTL_MS / 1000,
      httpOnly: true,
      secure: isSecure(req),
      sameSite: 'Lax',
    }),
  ]);
  return { authorizationUrl: started.authorizationUrl };
}
