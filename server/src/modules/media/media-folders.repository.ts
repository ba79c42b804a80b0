import { Injectable } from '@nestjs/common';
import type { Selectable } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import type { MediaFoldersTable } from './media.tables.js';

export type FolderRow = Omit<Selectable<MediaFoldersTable>, 'org_path'>;
const COLUMNS = ['id', 'org_id', 'parent_id', 'name', 'shared_with_subtree', 'created_by', 'created_at'] as const;

/** Folders group assets; visible down the tree like assets (subtree, or shared from above). */
@Injectable()
export class MediaFoldersRepository {
  constructor(private readonly tx: Transactor) {}

  async insert(f: { orgId: string; parentId: string | null; name: string; sharedWithSubtree: boolean; createdBy: string }): Promise<FolderRow> {
    return this.tx
      .current()
      .insertInto('media_folders')
      .values({ org_id: f.orgId, parent_id: f.parentId, name: f.name, shared_with_subtree: f.sharedWithSubtree, created_by: f.createdBy })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
  }

  async find(id: string): Promise<FolderRow | undefined> {
    return this.tx.current().selectFrom('media_folders').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  async list(): Promise<FolderRow[]> {
    return this.tx.current().selectFrom('media_folders').select(COLUMNS).orderBy('name').limit(1000).execute();
  }
}
