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
