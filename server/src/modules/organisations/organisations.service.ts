import { Injectable } from '@nestjs/common';
import { defineErrors } from '../../platform/errors/app-error.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import { orgOf, type RequestContext } from '../../platform/context/request-context.js';
import { AuditService } from '../audit/audit.service.js';
import { OrganisationsRepository, type OrganisationRecord } from './organisations.repository.js';
import type { OrganisationKind } from './organisations.tables.js';

export const organisationError = defineErrors({ organisation_not_found: 404 });

/**
 * The tree of ministry, divisions and missions. A caller sees the organisation it acts in and
 * everything below it (row-level security enforces the same), and creates children there.
 */
@Injectable()
export class OrganisationsService {
  constructor(
    private readonly repo: OrganisationsRepository,
    private readonly audit: AuditService,
    private readonly events: EventOutbox,
  ) {}

  /** Whether any organisation exists yet (first start); the caller bypasses tenancy. */
  anyExists(): Promise<boolean> {
    return this.repo.anyExists();
  }

  /** Every organisation's id, oldest first (operator commands); the caller bypasses tenancy. */
  allIds(): Promise<string[]> {
    return this.repo.allIds();
  }

  /** The first ministry, made by setup, which audits the whole first start. */
  createFirst(name: string): Promise<OrganisationRecord> {
    return this.repo.insert({ parentId: null, name, kind: 'ministry' });
  }

  /** An organisation as row-level security lets the caller see it, or undefined. */
  find(id: string): Promise<OrganisationRecord | undefined> {
    return this.repo.findById(id);
  }

  listSubtree(ctx: RequestContext): Promise<OrganisationRecord[]> {
    return this.repo.listSubtree(orgOf(ctx));
  }

  async get(ctx: RequestContext, id: string): Promise<OrganisationRecord> {
    const org = await this.repo.findById(id);
    if (!org || (org.id !== orgOf(ctx) && !org.ancestry.includes(orgOf(ctx)))) {
      throw organisationError('organisation_not_found', 'No such organisation');
    }
    return org;
  }

  async create(ctx: RequestContext, input: { name: string; kind: OrganisationKind; parentId?: string | undefined }) {
    const parent = await this.get(ctx, input.parentId ?? orgOf(ctx));
    const org = await this.repo.insert({ parentId: parent.id, name: input.name, kind: input.kind });
    await this.audit.record(ctx, {
      action: 'organisation.created',
      targetType: 'organisation',
      targetId: org.id,
      after: { name: org.name, kind: org.kind, parentId: org.parentId },
    });
    await this.events.emit(ctx, 'organisations.created', { organisationId: org.id, parentId: org.parentId, kind: org.kind }, { aggregateType: 'organisation', aggregateId: org.id });
    return org;
  }

  async update(ctx: RequestContext, id: string, patch: { name?: string | undefined; kind?: OrganisationKind | undefined }) {
    const before = await this.get(ctx, id);
    const after = (await this.repo.update(id, patch))!;
    await this.audit.record(ctx, {
      action: 'organisation.updated',
      targetType: 'organisation',
      targetId: id,
      before: { name: before.name, kind: before.kind },
      after: { name: after.name, kind: after.kind },
    });
    const changed = (['name', 'kind'] as const).filter((k) => before[k] !== after[k]);
    await this.events.emit(ctx, 'organisations.updated', { organisationId: id, changed }, { aggregateType: 'organisation', aggregateId: id });
    return after;
  }
}
