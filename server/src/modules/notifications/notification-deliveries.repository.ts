import { Injectable } from '@nestjs/common';
import { Transactor } from '../../platform/database/transactor.js';
import type { NotificationChannel, NotificationKind } from './notification-kinds.js';
import type { DeliveryState } from './notifications.tables.js';
import './notifications.tables.js';

export interface PlannedDelivery {
  notificationId: string;
  orgId: string;
  userId: string;
  eventId: string;
  kind: NotificationKind;
  channel: NotificationChannel;
  state: 'pending' | 'deferred' | 'skipped';
  notBefore: Date | null;
  reason: string | null;
}

const COLUMNS = ['id', 'notification_id', 'org_id', 'user_id', 'event_id', 'kind', 'channel', 'state', 'not_before', 'attempts', 'reason', 'provider_ref', 'bounced_at', 'sent_at', 'created_at'] as const;

/** One row per (event, person, channel): the record of what was sent and the guard against sending it twice. */
@Injectable()
export class NotificationDeliveriesRepository {
  constructor(private readonly tx: Transactor) {}

  /** Plans; a delivery planned before (a job run again) comes back as it stands, not twice. */
  async plan(rows: PlannedDelivery[]) {
    if (rows.length === 0) return [];
    const db = this.tx.current();
    await db
      .insertInto('notification_deliveries')
      .values(rows.map((r) => ({ notification_id: r.notificationId, org_id: r.orgId, user_id: r.userId, event_id: r.eventId, kind: r.kind, channel: r.channel, state: r.state, not_before: r.notBefore, reason: r.reason })))
      .onConflict((oc) => oc.columns(['event_id', 'user_id', 'channel']).doNothing())
      .execute();
    return db.selectFrom('notification_deliveries').select(COLUMNS).where('notification_id', '=', rows[0]!.notificationId).execute();
  }

  /** Locked for the send: a second worker on the same delivery waits, then finds it sent. */
  lockForSend(id: string) {
    return this.tx.current().selectFrom('notification_deliveries').select(COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
  }

  async settle(id: string, state: DeliveryState, patch: { reason?: string | null; providerRef?: string | null; attempts: number; notBefore?: Date | null; bounced?: boolean }): Promise<void> {
    await this.tx
      .current()
      .updateTable('notification_deliveries')
      .set({
        state,
        attempts: patch.attempts,
        reason: patch.reason?.slice(0, 2000) ?? null,
        ...(patch.providerRef !== undefined ? { provider_ref: patch.providerRef } : {}),
        ...(patch.notBefore !== undefined ? { not_before: patch.notBefore } : {}),
        ...(state === 'sent' ? { sent_at: new Date() } : {}),
        ...(patch.bounced ? { bounced_at: new Date() } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
  }

  /** Sends to this person on this channel since `since`: the per-recipient rate limit. */
  async sentSince(userId: string, channel: NotificationChannel, since: Date): Promise<number> {
    const row = await this.tx
      .current()
      .selectFrom('notification_deliveries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('user_id', '=', userId)
      .where('channel', '=', channel)
      .where('state', '=', 'sent')
      .where('sent_at', '>=', since)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Deliveries whose job may have been lost: open and untouched since `olderThan`. Bypass only. */
  stale(olderThan: Date, limit: number) {
    // A row waiting for its next try (not_before ahead) still has its job; only once due is it lost.
    return this.tx
      .current()
      .selectFrom('notification_deliveries')
      .select(['id', 'org_id', 'state', 'not_before'])
      .where('state', 'in', ['pending', 'deferred'])
      .where('updated_at', '<', olderThan)
      .where((eb) => eb.or([eb('not_before', 'is', null), eb('not_before', '<=', new Date())]))
      .orderBy('updated_at')
      .limit(limit)
      .execute();
  }

  /** The person's email deliveries waiting for the digest and due by `at`, locked (one digest sends them all). */
  dueDigest(userId: string, at: Date) {
    return this.tx
      .current()
      .selectFrom('notification_deliveries')
      .select(COLUMNS)
      .where('user_id', '=', userId)
      .where('channel', '=', 'email')
      .where('state', '=', 'deferred')
      .where('reason', 'like', 'in the % digest')
      .where('not_before', '<=', at)
      .orderBy('created_at')
      .forUpdate()
      .execute();
  }

  /** For admins: failed or bounced deliveries here and below (row-level security), newest first. */
  failures(limit: number, before: Date | undefined) {
    let q = this.tx
      .current()
      .selectFrom('notification_deliveries as d')
      // Who it did not reach, as far as this organisation may see its members (row-level security on users).
      .leftJoin('users as u', 'u.id', 'd.user_id')
      .select(['d.id', 'd.org_id', 'd.user_id', 'd.kind', 'd.channel', 'd.state', 'd.attempts', 'd.reason', 'd.bounced_at', 'd.updated_at', 'u.email', 'u.display_name'])
      .where((eb) => eb.or([eb('d.state', '=', 'failed'), eb('d.bounced_at', 'is not', null)]));
    if (before) q = q.where('d.updated_at', '<', before);
    return q.orderBy('d.updated_at', 'desc').limit(limit).execute();
  }
}

export type DeliveryRow = NonNullable<Awaited<ReturnType<NotificationDeliveriesRepository['lockForSend']>>>;
