import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import type { RequestContext } from '../../platform/context/request-context.js';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { Route } from '../../platform/http/route.decorator.js';
import { MfaCodeBody, MfaStatusView, MfaVerifyBody, RecoveryCodesView, StepUpView, TokenPairView, TotpEnrolmentView } from './identity.dto.js';
import { MfaService } from './mfa.service.js';

const codeErrors = ['mfa_code_invalid', 'mfa_throttled'];

/** My second factors; every route but the last is open to a session held for enrolment. */
@Controller('api/v1/auth/mfa')
export class MfaController {
  constructor(private readonly mfa: MfaService) {}

  @Get()
  @Route({ summary: 'My second factors, and what this organisation requires', access: 'authenticated', duringEnrolment: true, tags: ['auth'], response: MfaStatusView })
  status(@Ctx() ctx: RequestContext) {
    return this.mfa.status(ctx);
  }

  @Post('totp')
  @HttpCode(200)
  @Route({
    summary: 'Start enrolling an authenticator app: a secret and its otpauth:// URI',
    access: 'authenticated',
    duringEnrolment: true,
    tags: ['auth'],
    response: TotpEnrolmentView,
    status: 200,
    errors: ['mfa_already_enrolled'],
  })
  startTotp(@Ctx() ctx: RequestContext) {
    return this.mfa.startTotp(ctx);
  }

  @Post('totp/confirm')
  @HttpCode(200)
  @Route({
    summary: 'Confirm the authenticator with its first code: answers ten recovery codes, shown once',
    access: 'authenticated',
    duringEnrolment: true,
    tags: ['auth'],
    body: MfaCodeBody,
    response: RecoveryCodesView,
    status: 200,
    errors: [...codeErrors, 'mfa_not_pending'],
  })
  confirmTotp(@Ctx() ctx: RequestContext, @Body() body: z.infer<typeof MfaCodeBody>) {
    return this.mfa.confirmTotp(ctx, body.code);
  }

  @Post('step-up')
  @HttpCode(200)
  @Route({
    summary: 'Show a second factor for this session now (before a sensitive action)',
    access: 'authenticated',
    duringEnrolment: true,
    tags: ['auth'],
    body: MfaCodeBody,
    response: StepUpView,
    status: 200,
    errors: codeErrors,
  })
  stepUp(@Ctx() ctx: RequestContext, @Body() body: z.infer<typeof MfaCodeBody>) {
    return this.mfa.stepUp(ctx, body.code);
  }

  @Post('recovery-codes')
  @HttpCode(200)
  @Route({
    summary: 'Replace my recovery codes (the old ones stop working)',
    access: 'authenticated',
    tags: ['auth'],
    body: MfaCodeBody,
    response: RecoveryCodesView,
    status: 200,
    errors: [...codeErrors, 'mfa_not_enrolled'],
  })
  regenerate(@Ctx() ctx: RequestContext, @Body() body: z.infer<typeof MfaCodeBody>) {
    return this.mfa.regenerateRecoveryCodes(ctx, body.code);
  }

  @Post('verify')
  @HttpCode(200)
  @Route({
    summary: 'Second step of sign-in: the challenge and a code for a token pair',
    access: 'public',
    tags: ['auth'],
    body: MfaVerifyBody,
    response: TokenPairView,
    status: 200,
    errors: [...codeErrors, 'mfa_challenge_invalid', 'sso_required'],
  })
  verify(@Ctx() ctx: RequestContext, @Body() body: z.infer<typeof MfaVerifyBody>) {
    return this.mfa.completeSignIn(ctx, body.challengeToken, body.code);
  }
}
