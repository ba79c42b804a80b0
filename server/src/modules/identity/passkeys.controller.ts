import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { z } from 'zod';
import type { RequestContext } from '../../platform/context/request-context.js';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { Route } from '../../platform/http/route.decorator.js';
import { IdParams, StepUpView } from './identity.dto.js';
import {
  CreationOptionsView,
  PasskeyAssertionBody,
  PasskeyList,
  PasskeyView,
  RegisteredPasskeyView,
  RegisterPasskeyBody,
  RenamePasskeyBody,
  RequestOptionsView,
} from './passkeys.dto.js';
import { PasskeysService } from './passkeys.service.js';

const ceremonyErrors = ['passkey_rejected', 'passkey_challenge_invalid'];

/** My passkeys. Registration and step-up are open to a session held for enrolment, like TOTP's. */
@Controller('api/v1/auth/passkeys')
export class PasskeysController {
  constructor(private readonly passkeys: PasskeysService) {}

  @Get()
  @Route({ summary: 'My passkeys', access: 'authenticated', duringEnrolment: true, tags: ['auth'], response: PasskeyList })
  list(@Ctx() ctx: RequestContext) {
    return this.passkeys.list(ctx);
  }

  @Post('registration/options')
  @HttpCode(200)
  @Route({
    summary: 'Start registering a passkey: options for navigator.credentials.create, bound to this session',
    access: 'authenticated',
    duringEnrolment: true,
    tags: ['auth'],
    response: CreationOptionsView,
    status: 200,
    errors: ['step_up_required'],
  })
  registrationOptions(@Ctx() ctx: RequestContext) {
    return this.passkeys.registrationOptions(ctx);
  }

  @Post('registration')
  @HttpCode(201)
  @Route({
    summary: 'Finish registering a passkey with the browser’s new credential',
    access: 'authenticated',
    duringEnrolment: true,
    tags: ['auth'],
    body: RegisterPasskeyBody,
    response: RegisteredPasskeyView,
    status: 201,
    errors: [...ceremonyErrors, 'passkey_already_registered'],
  })
  register(@Ctx() ctx: RequestContext, @Body() body: z.infer<typeof RegisterPasskeyBody>) {
    return this.passkeys.register(ctx, body.name, body.credential);
  }

  @Patch(':id')
  @Route({ summary: 'Rename one of my passkeys', access: 'authenticated', tags: ['auth'], params: IdParams, body: RenamePasskeyBody, response: PasskeyView, errors: ['passkey_not_found'] })
  rename(@Ctx() ctx: RequestContext, @Param() params: z.infer<typeof IdParams>, @Body() body: z.infer<typeof RenamePasskeyBody>) {
    return this.passkeys.rename(ctx, params.id, body.name);
  }

  @Delete(':id')
  @HttpCode(204)
  @Route({
    summary: 'Remove one of my passkeys (needs a fresh second factor)',
    access: 'authenticated',
    stepUp: true,
    tags: ['auth'],
    params: IdParams,
    status: 204,
    errors: ['passkey_not_found', 'mfa_last_factor'],
  })
  async remove(@Ctx() ctx: RequestContext, @Param() params: z.infer<typeof IdParams>) {
    await this.passkeys.remove(ctx, params.id);
  }

  @Post('step-up/options')
  @HttpCode(200)
  @Route({
    summary: 'Options for showing a passkey for this session (step-up)',
    access: 'authenticated',
    duringEnrolment: true,
    tags: ['auth'],
    response: RequestOptionsView,
    status: 200,
    errors: ['mfa_not_enrolled'],
  })
  stepUpOptions(@Ctx() ctx: RequestContext) {
    return this.passkeys.stepUpOptions(ctx);
  }

  @Post('step-up')
  @HttpCode(200)
  @Route({
    summary: 'Show a passkey for this session now (before a sensitive action)',
    access: 'authenticated',
    duringEnrolment: true,
    tags: ['auth'],
    body: PasskeyAssertionBody,
    response: StepUpView,
    status: 200,
    errors: [...ceremonyErrors, 'passkey_counter_regressed'],
  })
  stepUp(@Ctx() ctx: RequestContext, @Body() body: z.infer<typeof PasskeyAssertionBody>) {
    return this.passkeys.stepUp(ctx, body.credential);
  }
}
