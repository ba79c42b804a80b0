import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Transactor } from '../../platform/database/transactor.js';

export type BounceType = 'hard' | 'soft';

/** Email addresses that bounce (installation-wide; bypass only), and the deliveries they touch. */
@Injectable()
export class NotificationBouncesRepository {
  constructor(private readonly tx: Transactor) {}

  /** Counts a bounce; once hard, an address stays hard (a later soft report does not reopen it). */
  async record(address: string, type: BounceType, reason: string, source: 'smtp' | 'webhook'): Promise<void> {
    const now = new Date();
    await this.tx
      .current()
      .insertInto('notification_email_bounces')
      .values({ address: address.toLowerCase(), type, reason: reason.slice(0, 2000), source, first_at: now, last_at: now })
      .onConflict((oc) =>
        oc.column('address').doUpdateSet((eb) => ({
          type: sql<BounceType>`CASE WHEN ${eb.ref('notification_email_bounces.type')} = 'hard' THEN 'hard' ELSE ${eb.ref('excluded.type')} END`,
          reason: eb.ref('excluded.reason'),
          source: eb.ref('excluded.source'),
          bounces: sql<number>`${eb.ref('notification_email_bounces.bounces')} + 1`,
          last_at: now,
        })),
      )
      .execute();
  }

  /** Whether this person's current address has bounced hard: email to it is neither planned nor sent. */
  async bouncesHard(userId: string): Promise<boolean> {
    const row = await this.tx
      .current()
      .selectFrom('users as u')
      .innerJoin('notification_email_bounces as b', (j) => j.on((eb) => eb(eb.fn('lower', ['u.email']), '=', eb.ref('b.address'))))
      .select('b.address')
      .where('u.id', '=', userId)
      .where('b.type', '=', 'hard')
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Marks what a bounce report is about, so the organisations' admins see it in their failure
   * list: the latest email sent to the address (it came back), and with a hard bounce every email
   * still waiting for it (failed now, never sent). Returns the organisations touched.
   */
  async markDeliveries(address: string, type: BounceType, reason: string): Promise<string[]> {
    const db = this.tx.current();
    const users = db.selectFrom('users').select('id').where(sql<boolean>`lower(email) = ${address.toLowerCase()}`);
    const latest = await db
      .updateTable('notification_deliveries')
      .set({ bounced_at: new Date(), reason: `bounced (${type}): ${reason}`.slice(0, 2000), updated_at: new Date() })
      .where('id', '=', (eb) =>
        eb.selectFrom('notification_deliveries').select('id').where('user_id', 'in', users).where('channel', '=', 'email').where('state', '=', 'sent').orderBy('sent_at', 'desc').limit(1),
      )
      .returning('org_id')
      .execute();
    const open =
      type === 'hard'
        ? await db
            .updateTable('notification_deliveries')
            .set({ state: 'failed', bounced_at: new Date(), reason: `the address bounces: ${reason}`.slice(0, 2000), updated_at: new Date() })
            .where('user_id', 'in', users)
            .where('channel', '=', 'email')
            .where('state', 'in', ['pending', 'deferred'])
            .returning('org_id')
            .execute()
        : [];
    return [...new Set([...latest, ...open].map((r) => r.org_id))];
  }

  /** The organisations a person with this address belongs to (where a bounce with nothing to mark is audited). */
  async orgsOf(address: string): Promise<string[]> {
    const rows = await this.tx
      .current()
      .selectFrom('memberships as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select('m.org_id')
      .distinct()
      .where(sql<boolean>`lower(u.email) = ${address.toLowerCase()}`)
      .execute();
    return rows.map((r) => r.org_id);
  }
}
