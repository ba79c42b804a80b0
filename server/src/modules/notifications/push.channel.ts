import { Agent as HttpsAgent } from 'node:https';
import { Inject, Injectable } from '@nestjs/common';
import { NotPublicError, pinnedLookup } from '../../platform/net/public-address.js';
import { PermanentSendError } from './email.channel.js';
import webpush from 'web-push';
import type { Config } from '../../platform/config/config.js';
import { CONFIG } from '../../platform/config/config.tokens.js';
import { SecretBox } from '../../platform/crypto/secret-box.js';
import { Transactor } from '../../platform/database/transactor.js';
import { NotificationPreferencesRepository } from './notification-preferences.repository.js';
import { PUSH_ENDPOINTS, type PushEndpoints } from './push-endpoints.js';

const VAPID_CONTEXT = 'notifications.vapid';

export interface PushSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** The browser's push service no longer knows the subscription (404/410): it is dropped, not retried. */
export class SubscriptionGoneError extends Error {
  override readonly name = 'SubscriptionGoneError';
}

/**
 * Browser push (Web Push with VAPID). The key pair is generated once per installation, on first
 * use, and stored with the private half sealed; every replica reads the same pair, and browsers
 * subscribed with its public half keep working across restarts.
 */
@Injectable()
export class PushChannel {
  private keys: Promise<{ publicKey: string; privateKey: string }> | undefined;

  constructor(
    private readonly tx: Transactor,
    private readonly repo: NotificationPreferencesRepository,
    private readonly box: SecretBox,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(PUSH_ENDPOINTS) private readonly endpoints: PushEndpoints,
  ) {}

  publicKey(): Promise<string> {
    return this.vapid().then((k) => k.publicKey);
  }

  async send(subscription: PushSubscription, payload: { title: string; body: string; url: string }): Promise<{ ref: string }> {
    const { publicKey, privateKey } = await this.vapid();
    // A push endpoint is a URL a user handed us: only where PUSH_ENDPOINTS allows, and the
    // connection goes to the address checked (no second resolution), as webhooks do.
    let pinned: { address: string; family: 4 | 6 };
    try {
      pinned = await this.endpoints.resolve(new URL(subscription.endpoint).hostname);
    } catch (err) {
      if (err instanceof NotPublicError) throw new PermanentSendError(`push endpoint refused: ${err.message}`);
      throw err;
    }
    try {
      const res = await webpush.sendNotification(subscription, JSON.stringify(payload), {
        agent: new HttpsAgent({ lookup: pinnedLookup(pinned), ...(this.endpoints.ca ? { ca: this.endpoints.ca } : {}) }),
        TTL: 24 * 3600,
        vapidDetails: { subject: vapidSubject(this.config.notifications.mailFrom), publicKey, privateKey },
      });
      return { ref: String(res.headers.location ?? res.statusCode) };
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 404 || status === 410) throw new SubscriptionGoneError('the browser unsubscribed');
      throw err;
    }
  }

  private vapid(): Promise<{ publicKey: string; privateKey: string }> {
    this.keys ??= this.loadOrCreate().catch((err: unknown) => {
      this.keys = undefined;
      throw err;
    });
    return this.keys;
  }

  private async loadOrCreate(): Promise<{ publicKey: string; privateKey: string }> {
    const row = await this.tx.withTenantBypass('notifications: the installation VAPID keys', async () => {
      const found = await this.repo.vapidKeys();
      if (found) return found;
      const fresh = webpush.generateVAPIDKeys();
      return this.repo.storeVapidKeys(fresh.publicKey, this.box.seal(fresh.privateKey, VAPID_CONTEXT));
    });
    if (!row) throw new Error('VAPID keys could not be stored');
    return { publicKey: row.public_key, privateKey: this.box.open(row.private_key_sealed, VAPID_CONTEXT) };
  }
}

/** VAPID wants a mailto: or https: contact; the From address is the installation's. */
function vapidSubject(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return `mailto:${address.trim()}`;
}
