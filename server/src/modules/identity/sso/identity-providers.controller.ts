import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { z } from 'zod';
import type { RequestContext } from '../../../platform/context/request-context.js';
import { Ctx } from '../../../platform/http/ctx.decorator.js';
import { Route } from '../../../platform/http/route.decorator.js';
import { IdParams } from '../identity.dto.js';
import { CreateIdentityProviderBody, CreateSamlIdentityProviderBody, IdentityProviderList, IdentityProviderView, UpdateIdentityProviderBody } from './sso.dto.js';
import { IdentityProvidersService } from './identity-providers.service.js';

const T = ['identity providers'];

@Controller('api/v1/identity-providers')
export class IdentityProvidersController {
  constructor(private readonly providers: IdentityProvidersService) {}

  @Get()
  @Route({ summary: 'Identity providers usable here: own and inherited from above', access: 'settings.manage', tags: T, response: IdentityProviderList })
  list(@Ctx() ctx: RequestContext) {
    return this.providers.list(ctx);
  }

  @Post()
  @HttpCode(201)
  @Route({
    summary: 'Configure an OpenID Connect provider for this organisation and those below it',
    access: 'settings.manage',
    stepUp: true,
    tags: T,
    body: CreateIdentityProviderBody,
    response: IdentityProviderView,
    status: 201,
  })
  create(@Ctx() ctx: RequestContext, @Body() body: z.infer<typeof CreateIdentityProviderBody>) {
    return this.providers.create(ctx, body);
  }

  @Post('saml')
  @HttpCode(201)
  @Route({
    summary: 'Configure a SAML 2.0 identity provider (from its metadata, or entity id, SSO URL and certificates) for this organisation and those below it',
    access: 'settings.manage',
    stepUp: true,
    tags: T,
    body: CreateSamlIdentityProviderBody,
    response: IdentityProviderView,
    status: 201,
    errors: ['saml_metadata_invalid'],
  })
  createSaml(@Ctx() ctx: RequestContext, @Body() body: z.infer<typeof CreateSamlIdentityProviderBody>) {
    return this.providers.createSaml(ctx, body);
  }

  @Patch(':id')
  @Route({
    summary: "Change one of this organisation's identity providers in place (domains, role mapping, JIT; a SAML certificate rollover): its links stay",
    access: 'settings.manage',
    stepUp: true,
    tags: T,
    params: IdParams,
    body: UpdateIdentityProviderBody,
    response: IdentityProviderView,
    errors: ['identity_provider_not_found', 'identity_provider_kind_mismatch', 'saml_metadata_invalid'],
  })
  update(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof IdParams>, @Body() body: z.infer<typeof UpdateIdentityProviderBody>) {
    return this.providers.update(ctx, p.id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Route({
    summary: "Remove one of this organisation's identity providers (its links go with it)",
    access: 'settings.manage',
    stepUp: true,
    tags: T,
    params: IdParams,
    status: 204,
    errors: ['identity_provider_not_found', 'sso_provider_in_use'],
  })
  async remove(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof IdParams>) {
    await this.providers.remove(ctx, p.id);
  }
}
