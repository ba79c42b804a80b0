import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';
import '../../platform/events/outbox.tables.js';

export interface DeadLetterAlert {
  id: string;
  kind: 'relay' | 'subscriber';
  org_id: string;
  name: string;
  consumer: string | null;
  last_error: string | null;
  correlation_id: string | null;
  dead_lettered_at: Date;
}

/**
 * What the admin alerts read (bypass only: every organisation's): the events the relay or a
 * subscriber gave up on since a mark, the installation's first root, and the marks themselves.
 * Read-only on the events' tables, which platform/events owns.
 */
@Injectable()
export class NotificationAlertsRepository {
  constructor(private readonly tx: Transactor) {}

  async mark(source: 'dead_letters' | 'jobs'): Promise<Date> {
    const row = await this.tx.current().selectFrom('notification_alert_marks').select('seen_until').where('source', '=', source).executeTakeFirst();
    return row?.seen_until ?? new Date(0);
  }

  /** Moves forward only: two processes scanning at once never move it back. */
  async advance(source: 'dead_letters' | 'jobs', to: Date): Promise<void> {
    await this.tx
      .current()
      .insertInto('notification_alert_marks')
      .values({ source, seen_until: to })
      .onConflict((oc) => oc.column('source').doUpdateSet({ seen_until: sql<Date>`greatest(notification_alert_marks.seen_until, excluded.seen_until)` }))
      .execute();
  }

  /** Dead letters at or after `since` (at: the same instant may hold more than one), oldest first. */
  async deadLettersSince(since: Date, limit: number): Promise<DeadLetterAlert[]> {
    const { rows } = await sql<DeadLetterAlert>`
      SELECT * FROM (
        SELECT o.id, 'relay' AS kind, o.org_id, o.name, NULL::text AS consumer, o.last_error, o.correlation_id, o.dead_lettered_at
        FROM outbox_events o WHERE o.dead_lettered_at >= ${since}
        UNION ALL
        SELECT d.id, 'subscriber' AS kind, d.org_id, d.name, d.consumer, d.last_error, d.envelope->>'correlationId', d.dead_lettered_at
        FROM event_dead_letters d WHERE d.state = 'dead' AND d.dead_lettered_at >= ${since}
      ) letters ORDER BY dead_lettered_at, id LIMIT ${limit}`.execute(this.tx.current());
    return rows;
  }

  /** The installation's first organisation: its owners hear of what belongs to no organisation. */
  async firstRoot(): Promise<string | undefined> {
    const row = await this.tx.current().selectFrom('organisations').select('id').where('parent_id', 'is', null).orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
    return row?.id;
  }
}
