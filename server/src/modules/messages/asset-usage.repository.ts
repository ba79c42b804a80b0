import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import './messages.tables.js';

export interface AssetUser {
  id: string;
  title: string;
  status: string;
  scheduled_at: Date | null;
}

/** Which messages attach a media asset in their current version (the media library asks). */
@Injectable()
export class AssetUsageRepository {
  constructor(private readonly tx: Transactor) {}

  private get db() {
    return this.tx.current();
  }

  /** Messages whose current version attaches the asset, in its media or a network's, newest first (as many as RLS shows). */
  async users(assetId: string, limit: number): Promise<AssetUser[]> {
    const ref = JSON.stringify([assetId]);
    return this.db
      .selectFrom('messages as m')
      .innerJoin('message_versions as v', (j) => j.onRef('v.message_id', '=', 'm.id').onRef('v.number', '=', 'm.version'))
      .select(['m.id', 'm.title', 'm.status', 'm.scheduled_at'])
      .where(
        // Both sides are GIN-indexed (migrations 0010 and 0016): keep the expressions as written there.
        sql<boolean>`(v.content -> 'media' @> ${ref}::jsonb OR jsonb_path_query_array(v.content, '$.variants.*.media[*]') @> ${ref}::jsonb)`,
      )
      .orderBy('m.updated_at', 'desc')
      .limit(limit)
      .execute();
  }

  /**
   * Whether a scheduled or publishing message uses the asset, in any organisation: through a
   * SECURITY DEFINER function (migrations 0010 and 0016), because a ministry's scheduled message must
   * block a mission's delete even though RLS hides that message from the mission.
   */
  async usedByCommitted(assetId: string): Promise<boolean> {
    const r = await sql<{ used: boolean }>`SELECT guddu_asset_in_committed_use(${assetId}::uuid) AS used`.execute(this.db);
    return r.rows[0]?.used === true;
  }
}
