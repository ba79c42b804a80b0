import { Inject, Injectable } from '@nestjs/common';
import type { Config } from '../../platform/config/config.js';
import { CONFIG } from '../../platform/config/config.tokens.js';
import { Transactor } from '../../platform/database/transactor.js';
import { ChannelSecrets } from './channel-secrets.js';
import { registerMastodonApp } from './connectors/mastodon.connector.js';
import { MastodonAppsRepository } from './mastodon-apps.repository.js';

/**
 * Guddu's client on each Mastodon instance, registered the first time someone connects an
 * account there. Sandbox instances are registered per process and kept in memory: the simulators
 * forget their apps when the process stops, so a stored one would outlive the server it names.
 */
@Injectable()
export class MastodonApps {
  private readonly sandboxApps = new Map<string, { clientId: string; clientSecret: string }>();

  constructor(
    private readonly repo: MastodonAppsRepository,
    private readonly secrets: ChannelSecrets,
    private readonly tx: Transactor,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** The client for an instance, registering Guddu there first if needed (its own transaction: the network call is not the caller's). */
  /**
   * The app an existing channel's tokens were issued to: the one registered for the current
   * redirect URI, else one registered for an earlier one (channels connected before the redirect
   * URI moved to the console's landing page refresh with the app that issued their tokens).
   */
  async existingClientFor(baseUrl: string, redirectUris: readonly string[], sandbox: boolean): Promise<{ clientId: string; clientSecret: string }> {
    if (!sandbox) {
      for (const redirectUri of redirectUris) {
        const stored = await this.tx.withTenantBypass('channels: Mastodon app registry', () => this.repo.find(baseUrl, redirectUri));
        if (stored) return { clientId: stored.client_id, clientSecret: this.secrets.openMastodonSecret(baseUrl, stored.client_secret_sealed) };
      }
    }
    return this.clientFor(baseUrl, redirectUris[0]!, sandbox);
  }

  async clientFor(baseUrl: string, redirectUri: string, sandbox: boolean): Promise<{ clientId: string; clientSecret: string }> {
    const key = `${baseUrl} ${redirectUri}`;
    if (sandbox) {
      const known = this.sandboxApps.get(key);
      if (known) return known;
      const app = await registerMastodonApp(baseUrl, redirectUri, this.config.publicUrl);
      this.sandboxApps.set(key, app);
      return app;
    }
    const stored = await this.tx.withTenantBypass('channels: Mastodon app registry', () => this.repo.find(baseUrl, redirectUri));
    if (stored) return { clientId: stored.client_id, clientSecret: this.secrets.openMastodonSecret(baseUrl, stored.client_secret_sealed) };
    const app = await registerMastodonApp(baseUrl, redirectUri, this.config.publicUrl);
    await this.tx.withTenantBypass('channels: Mastodon app registry', () =>
      this.repo.insert({ baseUrl, redirectUri, clientId: app.clientId, clientSecretSealed: this.secrets.sealMastodonSecret(baseUrl, app.clientSecret), scopes: 'read write' }),
    );
    // A concurrent registration may have won: use whichever is stored.
    return this.clientFor(baseUrl, redirectUri, false);
  }
}
