import { Injectable } from '@nestjs/common';
import { SecretBox } from '../../platform/crypto/secret-box.js';
import { Transactor } from '../../platform/database/transactor.js';
import { ChannelSecrets } from './channel-secrets.js';
import { ChannelsRepository } from './channels.repository.js';
import { ConnectAttemptsRepository } from './connect-attempts.repository.js';
import { MastodonAppsRepository } from './mastodon-apps.repository.js';

/**
 * A rotation of GUDDU_SECRET_KEY for what channels keep sealed: every token and Mastodon app
 * secret is opened (the previous key still opens it) and sealed again under the new key, in one
 * transaction. Connect attempts in flight are dropped rather than re-sealed: they live ten
 * minutes, and the officer starts again.
 */
@Injectable()
export class ChannelsReseal {
  constructor(
    private readonly tx: Transactor,
    private readonly channels: ChannelsRepository,
    private readonly attempts: ConnectAttemptsRepository,
    private readonly apps: MastodonAppsRepository,
    private readonly box: SecretBox,
  ) {}

  async resealAll(): Promise<{ channels: number; mastodonApps: number; attemptsDropped: number }> {
    return this.tx.withTenantBypass('channels: re-seal under a new secret key', async () => {
      const rows = await this.channels.allSealed();
      for (const r of rows) {
        const access = r.access_token_sealed && this.box.reseal(r.access_token_sealed, ChannelSecrets.tokenContext(r.id, 'access'));
        const refresh = r.refresh_token_sealed && this.box.reseal(r.refresh_token_sealed, ChannelSecrets.tokenContext(r.id, 'refresh'));
        await this.channels.reseal(r.id, access, refresh);
      }
      const apps = await this.apps.allSealed();
      for (const a of apps) await this.apps.reseal(a.base_url, a.redirect_uri, this.box.reseal(a.client_secret_sealed, ChannelSecrets.mastodonContext(a.base_url)));
      const attemptsDropped = await this.attempts.pruneBefore(new Date(8.64e15));
      return { channels: rows.length, mastodonApps: apps.length, attemptsDropped };
    });
  }
}
