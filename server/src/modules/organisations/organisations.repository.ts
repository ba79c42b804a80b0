import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { preparedQuery } from '../../platform/database/prepared-query.js';
import { Transactor } from '../../platform/database/transactor.js';
import './organisations.tables.js';
import type { OrganisationKind } from './organisations.tables.js';

export interface OrganisationRecord {
  id: string;
  parentId: string | null;
  ancestry: string[];
  name: string;
  kind: OrganisationKind;
  createdAt: Date;
}

const COLUMNS = ['id', 'parent_id', 'ancestry', 'name', 'kind', 'created_at'] as const;
type Row = { id: string; parent_id: string | null; ancestry: string[]; name: string; kind: OrganisationKind; created_at: Date };
const toOrg = (r: Row): OrganisationRecord => ({
  id: r.id,
  parentId: r.parent_id,
  ancestry: r.ancestry,
  name: r.name,
  kind: r.kind,
  createdAt: r.created_at,
});

// Every authenticated console page lists the subtree: compiled once (see preparedQuery).
const subtree = preparedQuery((db, a: { rootId: string }) =>
  db
    .selectFrom('organisations')
    .select(COLUMNS)
    .where((eb) => eb.or([eb('id', '=', a.rootId), sql<boolean>`${a.rootId}::uuid = ANY (ancestry)`]))
    .orderBy(sql`cardinality(ancestry)`)
    .orderBy('name'),
);

@Injectable()
export class OrganisationsRepository {
  constructor(private readonly tx: Transactor) {}

  /** The organisation and everything below it, parents before children. */
  async listSubtree(rootId: string): Promise<OrganisationRecord[]> {
    const rows = await subtree(this.tx.current(), { rootId });
    return rows.map(toOrg);
  }

  async findById(id: string): Promise<OrganisationRecord | undefined> {
    const row = await this.tx.current().selectFrom('organisations').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    return row && toOrg(row);
  }

  async insert(org: { parentId: string | null; name: string; kind: OrganisationKind }): Promise<OrganisationRecord> {
    const row = await this.tx
      .current()
      .insertInto('organisations')
      .values({ parent_id: org.parentId, name: org.name, kind: org.kind })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    return toOrg(row);
  }

  async update(id: string, patch: { name?: string | undefined; kind?: OrganisationKind | undefined }): Promise<OrganisationRecord | undefined> {
    const row = await this.tx
      .current()
      .updateTable('organisations')
      .set({ ...(patch.name !== undefined ? { name: patch.name } : {}), ...(patch.kind !== undefined ? { kind: patch.kind } : {}), updated_at: new Date() })
      .where('id', '=', id)
      .returning(COLUMNS)
      .executeTakeFirst();
    return row && toOrg(row);
  }

  /** Whether any organisation exists at all (first-start setup). Bypass only. */
  async anyExists(): Promise<boolean> {
    return (await this.tx.current().selectFrom('organisations').select('id').limit(1).executeTakeFirst()) !== undefined;
  }

  /** Every organisation's id (operator commands). Bypass only. */
  async allIds(): Promise<string[]> {
    const rows = await this.tx.current().selectFrom('organisations').select('id').orderBy('created_at').execute();
    return rows.map((r) => r.id);
  }
}
