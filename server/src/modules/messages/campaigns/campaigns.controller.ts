import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { Ctx } from '../../../platform/http/ctx.decorator.js';
import { type RequestContext } from '../../../platform/context/request-context.js';
import { Route } from '../../../platform/http/route.decorator.js';
import { CampaignsService, campaignView as view } from './campaigns.service.js';
import { IdParams } from '../messages.dto.js';

const T = ['campaigns'];
const date = z.iso.date();
const CampaignBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(5000).default(''),
    startsOn: date.nullable().default(null),
    endsOn: date.nullable().default(null),
  })
  .refine((c) => !c.startsOn || !c.endsOn || c.endsOn >= c.startsOn, 'endsOn is before startsOn');
const CampaignPatch = z
  .strictObject({ name: z.string().trim().min(1).max(200).optional(), description: z.string().max(5000).optional(), startsOn: date.nullable().optional(), endsOn: date.nullable().optional(), archived: z.boolean().optional() })
  .refine((c) => Object.keys(c).length > 0, 'nothing to change');
const CampaignView = z.object({ id: z.uuid(), orgId: z.uuid(), name: z.string(), description: z.string(), startsOn: z.string().nullable(), endsOn: z.string().nullable(), archived: z.boolean(), createdAt: z.string() });
const CampaignList = z.object({ items: z.array(CampaignView) });
const ListQuery = z.strictObject({ archived: z.enum(['true', 'false']).default('false').describe('Include archived campaigns') });

@Controller('api/v1/campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Get()
  @Route({ summary: 'Campaigns here and below', access: 'content.read', tags: T, query: ListQuery, response: CampaignList })
  async list(@Query() q: z.infer<typeof ListQuery>) {
    return { items: (await this.campaigns.list(q.archived === 'true')).map(view) };
  }

  @Post()
  @Route({ summary: 'Create a campaign in the organisation acted in', access: 'content.write', tags: T, body: CampaignBody, response: CampaignView, status: 201 })
  async create(@Ctx() ctx: RequestContext, @Body() b: z.infer<typeof CampaignBody>) {
    return view(await this.campaigns.create(ctx, b));
  }

  @Patch(':id')
  @Route({ summary: 'Rename, re-date or archive a campaign', access: 'content.write', tags: T, params: IdParams, body: CampaignPatch, response: CampaignView, errors: ['campaign_not_found'] })
  async update(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof IdParams>, @Body() b: z.infer<typeof CampaignPatch>) {
    return view(await this.campaigns.update(ctx, p.id, b));
  }
}
