import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import type { MessageStatus } from './message-status.js';
import './messages.tables.js';

/** Statuses of a message that will (or is about to) go out: its assets must stay. */
const COMMITTED_STATUSES: MessageStatus[] = ['scheduled', 'publishing'];

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

  /** Messages whose current version attaches the asset, newest first (as many as RLS shows). */
  async users(assetId: string, limit: number): Promise<AssetUser[]> {
    return this.db
      .selectFrom('messages as m')
      .innerJoin('message_versions as v', (j) => j.onRef('v.message_id', '=', 'm.id').onRef('v.number', '=', 'm.version'))
      .select(['m.id', 'm.title', 'm.status', 'm.scheduled_at'])
      .where(sql<boolean>`v.content -> 'media' @> ${JSON.stringify([assetId])}::jsonb`)
      .orderBy('m.updated_at', 'desc')
      .limit(limit)
      .execute();
  }

  /**
   * Whether a scheduled or publishing message uses the asset. Run as the connecting role: a
   * mission's scheduled message must block the ministry's delete even where RLS hides it.
   */
  async usedByCommitted(assetId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('messages as m')
      .innerJoin('message_versions as v', (j) => j.onRef('v.message_id', '=', 'm.id').onRef('v.number', '=', 'm.version'))
      .select('m.id')
      .where('m.status', 'in', COMMITTED_STATUSES)
      .where(sql<boolean>`v.content -> 'media' @> ${JSON.stringify([assetId])}::jsonb`)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }
}
