import { sql } from 'kysely';
import { Injectable } from '@nestjs/common';
import { Transactor } from '../../platform/database/transactor.js';
import type { NotificationChannel, NotificationKind } from './notification-kinds.js';
import type { DigestCadence } from './notifications.tables.js';
import './notifications.tables.js';

export interface SettingsRow {
  time_zone: string;
  quiet_start: number | null;
  quiet_end: number | null;
  digest: DigestCadence;
  phone_sealed: string | null;
}

/** What a person chose (preferences, settings, push subscriptions) and what their organisations made mandatory. */
@Injectable()
export class NotificationPreferencesRepository {
  constructor(private readonly tx: Transactor) {}

  settings(userId: string): Promise<SettingsRow | undefined> {
    return this.tx.current().selectFrom('notification_settings').select(['time_zone', 'quiet_start', 'quiet_end', 'digest', 'phone_sealed']).where('user_id', '=', userId).executeTakeFirst();
  }

  async putSettings(userId: string, s: SettingsRow): Promise<void> {
    await this.tx
      .current()
      .insertInto('notification_settings')
      .values({ user_id: userId, ...s })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ ...s, updated_at: new Date() }))
      .execute();
  }

  choices(userId: string) {
    return this.tx.current().selectFrom('notification_preferences').select(['kind', 'channel', 'enabled']).where('user_id', '=', userId).execute();
  }

  async putChoices(userId: string, rows: { kind: NotificationKind; channel: NotificationChannel; enabled: boolean }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.tx
      .current()
      .insertInto('notification_preferences')
      .values(rows.map((r) => ({ user_id: userId, ...r })))
      .onConflict((oc) => oc.columns(['user_id', 'kind', 'channel']).doUpdateSet((eb) => ({ enabled: eb.ref('excluded.enabled'), updated_at: new Date() })))
      .execute();
  }

  /** Mandatory (kind, channel) pairs set on any organisation of `orgPath` (inherited down the tree). */
  mandatoryOn(orgPath: readonly string[]) {
    return this.tx.current().selectFrom('notification_mandatory').select(['org_id', 'kind', 'channel']).where('org_id', 'in', [...orgPath]).execute();
  }

  async addMandatory(orgId: string, kind: NotificationKind, channel: NotificationChannel, by: string | null): Promise<boolean> {
    const r = await this.tx.current().insertInto('notification_mandatory').values({ org_id: orgId, kind, channel, created_by: by }).onConflict((oc) => oc.doNothing()).returning('kind').executeTakeFirst();
    return r !== undefined;
  }

  async removeMandatory(orgId: string, kind: NotificationKind, channel: NotificationChannel): Promise<boolean> {
    const r = await this.tx.current().deleteFrom('notification_mandatory').where('org_id', '=', orgId).where('kind', '=', kind).where('channel', '=', channel).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  pushSubscriptions(userId: string) {
    return this.tx.current().selectFrom('notification_push_subscriptions').select(['id', 'subscription_sealed', 'created_at']).where('user_id', '=', userId).execute();
  }

  async addPushSubscription(userId: string, endpointHash: string, sealed: string): Promise<string> {
    // One browser endpoint is one person's: whoever subscribes it last (migration 0027).
    await sql`SELECT guddu_push_subscription_release(${endpointHash})`.execute(this.tx.current());
    const row = await this.tx
      .current()
      .insertInto('notification_push_subscriptions')
      .values({ user_id: userId, endpoint_hash: endpointHash, subscription_sealed: sealed })
      .onConflict((oc) => oc.column('endpoint_hash').doUpdateSet({ subscription_sealed: sealed }))
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async removePushSubscription(userId: string, id: string): Promise<boolean> {
    const r = await this.tx.current().deleteFrom('notification_push_subscriptions').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** A browser said the subscription is gone (404/410): dropped. Bypass only. */
  async dropPushSubscription(id: string): Promise<void> {
    await this.tx.current().deleteFrom('notification_push_subscriptions').where('id', '=', id).execute();
  }

  vapidKeys() {
    return this.tx.current().selectFrom('notification_vapid_keys').select(['public_key', 'private_key_sealed']).where('id', '=', 1).executeTakeFirst();
  }

  /** First writer wins; a second process generating at the same moment reads the first's pair. */
  async storeVapidKeys(publicKey: string, privateSealed: string) {
    await this.tx.current().insertInto('notification_vapid_keys').values({ id: 1, public_key: publicKey, private_key_sealed: privateSealed }).onConflict((oc) => oc.doNothing()).execute();
    return this.vapidKeys();
  }
}
