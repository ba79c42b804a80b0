import { Body, Controller, Post } from '@nestjs/common';
import { z } from 'zod';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { type RequestContext } from '../../platform/context/request-context.js';
import { Route } from '../../platform/http/route.decorator.js';
import { SetupService } from './setup.service.js';

const SetupBody = z.strictObject({
  token: z.string().min(1).max(200).describe('The one-time token printed at first start'),
  organisationName: z.string().trim().min(1).max(200),
  email: z.email().max(320),
  password: z.string().min(1).max(1024),
  displayName: z.string().trim().min(1).max(200).optional(),
});
const SetupResult = z.object({ organisationId: z.uuid(), userId: z.uuid() });

@Controller('api/v1/setup')
export class SetupController {
  constructor(private readonly setup: SetupService) {}

  @Post()
  @Route({
    summary: 'Create the first organisation and its owner (once, with the setup token)',
    access: 'public',
    tags: ['setup'],
    body: SetupBody,
    response: SetupResult,
    errors: ['setup_done', 'setup_token_invalid', 'weak_password'],
  })
  complete(@Ctx() ctx: RequestContext, @Body() body: z.infer<typeof SetupBody>) {
    const { token, ...input } = body;
    return this.setup.completeWithToken(ctx, token, input);
  }
}
