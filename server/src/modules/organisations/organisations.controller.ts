import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { z } from 'zod';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { type RequestContext } from '../../platform/context/request-context.js';
import { Route } from '../../platform/http/route.decorator.js';
import { CreateOrganisationBody, OrganisationList, OrganisationView, OrgIdParams, UpdateOrganisationBody } from './organisations.dto.js';
import type { OrganisationRecord } from './organisations.repository.js';
import { OrganisationsService } from './organisations.service.js';

const view = (o: OrganisationRecord) => ({
  id: o.id,
  parentId: o.parentId,
  name: o.name,
  kind: o.kind,
  depth: o.ancestry.length,
  createdAt: o.createdAt.toISOString(),
});

@Controller('api/v1/organisations')
export class OrganisationsController {
  constructor(private readonly orgs: OrganisationsService) {}

  @Get()
  @Route({ summary: 'This organisation and all below it', access: 'org.read', tags: ['organisations'], response: OrganisationList })
  async list(@Ctx() ctx: RequestContext) {
    return { items: (await this.orgs.listSubtree(ctx)).map(view) };
  }

  @Get(':id')
  @Route({ summary: 'One organisation', access: 'org.read', tags: ['organisations'], params: OrgIdParams, response: OrganisationView, errors: ['organisation_not_found'] })
  async get(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof OrgIdParams>) {
    return view(await this.orgs.get(ctx, p.id));
  }

  @Post()
  @Route({
    summary: 'Create a child organisation (division, mission)',
    access: 'org.manage',
    tags: ['organisations'],
    body: CreateOrganisationBody,
    response: OrganisationView,
    errors: ['organisation_not_found'],
  })
  async create(@Ctx() ctx: RequestContext, @Body() body: z.infer<typeof CreateOrganisationBody>) {
    return view(await this.orgs.create(ctx, body));
  }

  @Patch(':id')
  @Route({
    summary: 'Rename an organisation or change its kind',
    access: 'org.manage',
    tags: ['organisations'],
    params: OrgIdParams,
    body: UpdateOrganisationBody,
    response: OrganisationView,
    errors: ['organisation_not_found'],
  })
  async update(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof OrgIdParams>, @Body() body: z.infer<typeof UpdateOrganisationBody>) {
    return view(await this.orgs.update(ctx, p.id, body));
  }
}
