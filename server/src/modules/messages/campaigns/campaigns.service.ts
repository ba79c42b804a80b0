import { Injectable } from '@nestjs/common';
import { orgOf, userOf, type RequestContext } from '../../../platform/context/request-context.js';
import { AuditService } from '../../audit/audit.service.js';
import { CampaignsRepository, type CampaignRow } from './campaigns.repository.js';
import { messageError } from '../messages.errors.js';

export type CampaignPatch = Parameters<CampaignsRepository['update']>[1];

/** The answer's and the audit record's shape of a campaign. */
export const campaignView = (c: CampaignRow) => ({ id: c.id, orgId: c.org_id, name: c.name, description: c.description, startsOn: c.starts_on, endsOn: c.ends_on, archived: c.archived_at !== null, createdAt: c.created_at.toISOString() });

/** A campaign is a named, dated group of messages in one organisation. */
@Injectable()
export class CampaignsService {
  constructor(
    private readonly repo: CampaignsRepository,
    private readonly audit: AuditService,
  ) {}

  list(includeArchived: boolean): Promise<CampaignRow[]> {
    return this.repo.list(includeArchived);
  }

  async create(ctx: RequestContext, input: { name: string; description: string; startsOn: string | null; endsOn: string | null }): Promise<CampaignRow> {
    const c = await this.repo.insert({ orgId: orgOf(ctx), ...input, createdBy: userOf(ctx).id });
    await this.audit.record(ctx, { action: 'campaign.created', targetType: 'campaign', targetId: c.id, after: input });
    return c;
  }

  async update(ctx: RequestContext, id: string, patch: CampaignPatch): Promise<CampaignRow> {
    const before = await this.repo.find(id);
    const c = before && (await this.repo.update(id, patch));
    if (!before || !c) throw messageError('campaign_not_found', 'No such campaign');
    await this.audit.record(ctx, { action: 'campaign.updated', targetType: 'campaign', targetId: id, before: campaignView(before), after: campaignView(c) });
    return c;
  }
}
