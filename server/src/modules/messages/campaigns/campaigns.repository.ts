import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Transactor } from '../../../platform/database/transactor.js';
import '../messages.tables.js';

export interface CampaignRow {
  id: string;
  org_id: string;
  name: string;
  description: string;
  starts_on: string | null;
  ends_on: string | null;
  archived_at: Date | null;
  created_at: Date;
}

const COLUMNS = ['id', 'org_id', 'name', 'description', sql<string | null>`starts_on::text`.as('starts_on'), sql<string | null>`ends_on::text`.as('ends_on'), 'archived_at', 'created_at'] as const;

/** Campaigns group messages (a state visit, a festival); visible down the tree like messages. */
@Injectable()
export class CampaignsRepository {
  constructor(private readonly tx: Transactor) {}

  async insert(c: { orgId: string; name: string; description: string; startsOn: string | null; endsOn: string | null; createdBy: string }): Promise<CampaignRow> {
    return this.tx
      .current()
      .insertInto('campaigns')
      .values({ org_id: c.orgId, name: c.name, description: c.description, starts_on: c.startsOn, ends_on: c.endsOn, created_by: c.createdBy, archived_at: null })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
  }

  async list(includeArchived: boolean): Promise<CampaignRow[]> {
    let q = this.tx.current().selectFrom('campaigns').select(COLUMNS);
    if (!includeArchived) q = q.where('archived_at', 'is', null);
    return q.orderBy('starts_on', 'desc').orderBy('name').limit(500).execute();
  }

  async find(id: string): Promise<CampaignRow | undefined> {
    return this.tx.current().selectFrom('campaigns').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  async update(id: string, patch: { name?: string | undefined; description?: string | undefined; startsOn?: string | null | undefined; endsOn?: string | null | undefined; archived?: boolean | undefined }): Promise<CampaignRow | undefined> {
    return this.tx
      .current()
      .updateTable('campaigns')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.startsOn !== undefined ? { starts_on: patch.startsOn } : {}),
        ...(patch.endsOn !== undefined ? { ends_on: patch.endsOn } : {}),
        ...(patch.archived !== undefined ? { archived_at: patch.archived ? new Date() : null } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returning(COLUMNS)
      .executeTakeFirst();
  }
}
