import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import type { NotificationChannel, NotificationKind, Urgency } from './notification-kinds.js';
import './notifications.tables.js';

export interface Recipient {
  userId: string;
  email: string;
  displayName: string;
  locale: string;
}

export interface NewNotification {
  orgId: string;
  userId: string;
  eventId: string;
  kind: NotificationKind;
  urgency: Urgency;
  subjectType: string;
  subjectId: string;
  params: Record<string, string | number>;
}

const NOTIFICATION_COLUMNS = ['id', 'org_id', 'user_id', 'event_id', 'kind', 'urgency', 'subject_type', 'subject_id', 'params', 'read_at', 'created_at'] as const;

/** The person's notifications: the centre, its unread count, read marks. Row-level security keeps them the person's own. */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly tx: Transactor) {}

  /** Active members holding one of `roles` on `orgId` or above it (and below it, with `below`). */
  async audience(orgId: string, roles: readonly string[], below = false): Promise<Recipient[]> {
    if (roles.length === 0) return [];
    const { rows } = await sql<{ user_id: string; email: string; display_name: string; locale: string }>`
      SELECT * FROM guddu_notification_audience(${orgId}::uuid, ${[...roles]}::text[], ${below})`.execute(this.tx.current());
    return rows.map((r) => ({ userId: r.user_id, email: r.email, displayName: r.display_name, locale: r.locale }));
  }

  /** Records one per person; an event seen again records nothing (UNIQUE (event_id, user_id)). */
  async insertMany(rows: NewNotification[]): Promise<{ id: string; user_id: string; created_at: Date }[]> {
    if (rows.length === 0) return [];
    return this.tx
      .current()
      .insertInto('notifications')
      .values(
        rows.map((r) => ({
          org_id: r.orgId,
          user_id: r.userId,
          event_id: r.eventId,
          kind: r.kind,
          urgency: r.urgency,
          subject_type: r.subjectType,
          subject_id: r.subjectId,
          params: JSON.stringify(r.params),
        })),
      )
      .onConflict((oc) => oc.columns(['event_id', 'user_id']).doNothing())
      .returning(['id', 'user_id', 'created_at'])
      .execute();
  }

  find(id: string) {
    return this.tx.current().selectFrom('notifications').select(NOTIFICATION_COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  /** Newest first; the cursor is the last row's (created_at, id). */
  page(userId: string, limit: number, before: { at: Date; id: string } | undefined, unreadOnly: boolean) {
    let q = this.tx.current().selectFrom('notifications').select(NOTIFICATION_COLUMNS).where('user_id', '=', userId);
    if (unreadOnly) q = q.where('read_at', 'is', null);
    if (before) q = q.where((eb) => eb.or([eb('created_at', '<', before.at), eb.and([eb('created_at', '=', before.at), eb('id', '<', before.id)])]));
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  async unreadCount(userId: string): Promise<number> {
    const row = await this.tx.current().selectFrom('notifications').select((eb) => eb.fn.countAll<string>().as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async markRead(userId: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const r = await this.tx.current().updateTable('notifications').set({ read_at: new Date() }).where('user_id', '=', userId).where('id', 'in', ids).where('read_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** The notification with its organisation path, for planning its channels. Bypass only. */
  forDispatch(id: string) {
    return this.tx.current().selectFrom('notifications').select([...NOTIFICATION_COLUMNS, 'org_path', 'dispatched_at']).where('id', '=', id).executeTakeFirst();
  }

  async markDispatched(id: string): Promise<void> {
    await this.tx.current().updateTable('notifications').set({ dispatched_at: new Date() }).where('id', '=', id).where('dispatched_at', 'is', null).execute();
  }

  /** Several by id, for a digest. Bypass only. */
  findMany(ids: readonly string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.tx.current().selectFrom('notifications').select(NOTIFICATION_COLUMNS).where('id', 'in', ids).orderBy('created_at').execute();
  }

  /** Where and in which language to reach a person (the identity module's users row). Bypass only. */
  contactOf(userId: string) {
    return this.tx.current().selectFrom('users').select(['email', 'locale', 'display_name', 'status']).where('id', '=', userId).executeTakeFirst();
  }

  /** Notifications whose dispatch job was lost (the process died between commit and queue). Bypass only. */
  async undispatched(olderThan: Date, limit: number): Promise<{ id: string; org_id: string }[]> {
    return this.tx.current().selectFrom('notifications').select(['id', 'org_id']).where('dispatched_at', 'is', null).where('created_at', '<', olderThan).orderBy('created_at').limit(limit).execute();
  }

  async markAllRead(userId: string): Promise<number> {
    const r = await this.tx.current().updateTable('notifications').set({ read_at: new Date() }).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }
}

export type NotificationRow = NonNullable<Awaited<ReturnType<NotificationsRepository['find']>>>;
export type { NotificationChannel };
