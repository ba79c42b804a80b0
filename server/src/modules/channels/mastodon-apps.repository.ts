import { Injectable } from '@nestjs/common';
import { Transactor } from '../../platform/database/transactor.js';

/** Guddu's app registration per Mastodon instance (installation-wide; bypass only). */
@Injectable()
export class MastodonAppsRepository {
  constructor(private readonly tx: Transactor) {}

  async find(baseUrl: string, redirectUri: string): Promise<{ client_id: string; client_secret_sealed: string } | undefined> {
    return this.tx
      .current()
      .selectFrom('mastodon_apps')
      .select(['client_id', 'client_secret_sealed'])
      .where('base_url', '=', baseUrl)
      .where('redirect_uri', '=', redirectUri)
      .executeTakeFirst();
  }

  async allSealed(): Promise<{ base_url: string; redirect_uri: string; client_secret_sealed: string }[]> {
    return this.tx.current().selectFrom('mastodon_apps').select(['base_url', 'redirect_uri', 'client_secret_sealed']).forUpdate().execute();
  }

  async reseal(baseUrl: string, redirectUri: string, sealed: string): Promise<void> {
    await this.tx.current().updateTable('mastodon_apps').set({ client_secret_sealed: sealed }).where('base_url', '=', baseUrl).where('redirect_uri', '=', redirectUri).execute();
  }

  /** First registration wins; a concurrent one's app is simply not used. */
  async insert(a: { baseUrl: string; redirectUri: string; clientId: string; clientSecretSealed: string; scopes: string }): Promise<void> {
    await this.tx
      .current()
      .insertInto('mastodon_apps')
      .values({ base_url: a.baseUrl, redirect_uri: a.redirectUri, client_id: a.clientId, client_secret_sealed: a.clientSecretSealed, scopes: a.scopes })
      .onConflict((oc) => oc.columns(['base_url', 'redirect_uri']).doNothing())
      .execute();
  }
}
