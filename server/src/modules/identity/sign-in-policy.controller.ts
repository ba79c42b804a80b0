import { Body, Controller, Get, Put } from '@nestjs/common';
import { z } from 'zod';
import type { RequestContext } from '../../platform/context/request-context.js';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { Route } from '../../platform/http/route.decorator.js';
import { SignInPolicyBody, SignInPolicyView } from './identity.dto.js';
import { SignInPolicyService } from './sign-in-policy.service.js';

const T = ['sign-in policy'];

@Controller('api/v1/sign-in-policy')
export class SignInPolicyController {
  constructor(private readonly policies: SignInPolicyService) {}

  @Get()
  @Route({ summary: 'The sign-in policy in force here: own, and the strictest on the path', access: 'org.read', tags: T, response: SignInPolicyView })
  get(@Ctx() ctx: RequestContext) {
    return this.policies.inForce(ctx);
  }

  @Put()
  @Route({
    summary: 'Set what this organisation requires at sign-in of everyone in its subtree',
    access: 'settings.manage',
    stepUp: true,
    tags: T,
    body: SignInPolicyBody,
    response: SignInPolicyView,
    errors: ['mfa_enrol_first', 'sso_provider_missing', 'sso_sign_in_first'],
  })
  set(@Ctx() ctx: RequestContext, @Body() body: z.infer<typeof SignInPolicyBody>) {
    return this.policies.set(ctx, body);
  }
}
