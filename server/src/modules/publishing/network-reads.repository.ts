import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import type { Network } from './channel-access.port.js';
import type { PublishedPostRef, ReadableChannelRef } from './network-reads.port.js';
import './deliveries.tables.js';

interface PostRow {
  id: string;
  org_id: string;
  message_id: string;
  channel_id: string;
  network: Network;
  external_id: string;
  published_at: Date;
}

const live = (p: PostRow): PublishedPostRef => ({ deliveryId: p.id, orgId: p.org_id, messageId: p.message_id, channelId: p.channel_id, network: p.network, externalId: p.external_id, publishedAt: p.published_at });

/** Live deliveries as the readers of analytics see them; always as the system (every organisation). */
@Injectable()
export class NetworkReadsRepository {
  constructor(private readonly tx: Transactor) {}

  async publishedPosts(p: { since: Date; limit: number; afterId?: string }): Promise<PublishedPostRef[]> {
    const { rows } = await sql<PostRow>`
      SELECT id, org_id, message_id, channel_id, network, external_id, published_at FROM deliveries
      WHERE state = 'succeeded' AND external_id IS NOT NULL AND network IS NOT NULL AND published_at >= ${p.since}
        AND (${p.afterId ?? null}::uuid IS NULL OR id > ${p.afterId ?? null}::uuid)
      ORDER BY id LIMIT ${p.limit}`.execute(this.tx.current());
    return rows.map(live);
  }

  async postByExternalId(channelId: string, externalId: string): Promise<PublishedPostRef | undefined> {
    const { rows } = await sql<PostRow>`
      SELECT id, org_id, message_id, channel_id, network, external_id, published_at FROM deliveries
      WHERE channel_id = ${channelId} AND external_id = ${externalId} AND state IN ('succeeded', 'retracting', 'retract_failed')
      ORDER BY published_at DESC LIMIT 1`.execute(this.tx.current());
    return rows[0] ? live(rows[0]) : undefined;
  }

  async channelsWithPosts(since: Date): Promise<ReadableChannelRef[]> {
    const { rows } = await sql<{ channel_id: string; org_id: string; network: Network }>`
      SELECT DISTINCT ON (channel_id) channel_id, org_id, network FROM deliveries
      WHERE state = 'succeeded' AND network IS NOT NULL AND published_at >= ${since}
      ORDER BY channel_id, published_at DESC`.execute(this.tx.current());
    return rows.map((r) => ({ channelId: r.channel_id, orgId: r.org_id, network: r.network }));
  }
}
