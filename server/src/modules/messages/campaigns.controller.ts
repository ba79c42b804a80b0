import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { orgOf, userOf, type RequestContext } from '../../platform/context/request-context.js';
import { Route } from '../../platform/http/route.decorator.js';
import { AuditService } from '../audit/audit.service.js';
import { CampaignsRepository, type CampaignRow } from './campaigns.repository.js';
import { IdParams } from './messages.dto.js';
import { messageError } from './messages.errors.js';

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

const view = (c: CampaignRow) => ({ id: c.id, orgId: c.org_id, name: c.name, description: c.description, startsOn: c.starts_on, endsOn: c.ends_on, archived: c.archived_at !== null, createdAt: c.created_at.toISOString() });

/** Small enough to need no service: a campaign is a named, dated group of messages. */
@Controller('api/v1/campaigns')
export class CampaignsController {
  constructor(
    private readonly repo: CampaignsRepository,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @Route({ summary: 'Campaigns here and below', access: 'content.read', tags: T, query: ListQuery, response: CampaignList })
  async list(@Query() q: z.infer<typeof ListQuery>) {
    return { items: (await this.repo.list(q.archived === 'true')).map(view) };
  }

  @Post()
  @Route({ summary: 'Create a campaign in the organisation acted in', access: 'content.write', tags: T, body: CampaignBody, response: CampaignView, status: 201 })
  async create(@Ctx() ctx: RequestContext, @Body() b: z.infer<typeof CampaignBody>) {
    const c = await this.repo.insert({ orgId: orgOf(ctx), name: b.name, description: b.description, startsOn: b.startsOn, endsOn: b.endsOn, createdBy: userOf(ctx).id });
    await this.audit.record(ctx, { action: 'campaign.created', targetType: 'campaign', targetId: c.id, after: b });
    return view(c);
  }

  @Patch(':id')
  @Route({ summary: 'Rename, re-date or archive a campaign', access: 'content.write', tags: T, params: IdParams, body: CampaignPatch, response: CampaignView, errors: ['campaign_not_found'] })
  async update(@Ctx() ctx: RequestContext, @Param() p: z.infer<typeof IdParams>, @Body() b: z.infer<typeof CampaignPatch>) {
    const before = await this.repo.find(p.id);
    const c = before && (await this.repo.update(p.id, b));
    if (!before || !c) throw messageError('campaign_not_found', 'No such campaign');
    await this.audit.record(ctx, { action: 'campaign.updated', targetType: 'campaign', targetId: p.id, before: view(before), after: view(c) });
    return view(c);
  }
}
