import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import type { Config } from '../../platform/config/config.js';
import { CONFIG } from '../../platform/config/config.tokens.js';
import type { RequestContext } from '../../platform/context/request-context.js';
import { Transactor } from '../../platform/database/transactor.js';
import { AuditService } from '../audit/audit.service.js';
import { NotificationBouncesRepository, type BounceType } from './notification-bounces.repository.js';
import type * as dto from './notifications.dto.js';
import { notificationsError } from './notifications.errors.js';

/**
 * Email that came back. A bounce mailbox is out of Guddu's reach, so bounces arrive two ways: a
 * mail server's 5xx refusal of the recipient while sending (NotificationSender), and a mail
 * provider's webhook (generic JSON, a shared secret). A hard bounce stops email to the address;
 * either kind is marked on the deliveries, where the organisations' admins see it.
 */
@Injectable()
export class NotificationBounces {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: NotificationBouncesRepository,
    private readonly audit: AuditService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async report(ctx: RequestContext, authorization: string | undefined, b: z.infer<typeof dto.BounceBody>): Promise<{ organisations: number }> {
    const secret = this.config.notifications.bounceSecret;
    if (!secret) throw notificationsError('bounce_webhook_disabled', 'This installation has no bounce webhook');
    if (!sameSecret(/^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '', secret)) throw notificationsError('bounce_secret_invalid', 'The bounce webhook secret is missing or wrong');
    return this.tx.withTenantBypass('notifications: a bounce names an address, which belongs to no one organisation', async () => {
      await this.repo.record(b.address, b.type, b.reason, 'webhook');
      const touched = await this.repo.markDeliveries(b.address, b.type, b.reason);
      // Audited where it shows: the organisations whose deliveries it marked, else the person's.
      for (const orgId of touched.length > 0 ? touched : await this.repo.orgsOf(b.address)) {
        await this.audit.record(ctx, { orgId, action: 'notifications.email_bounced', targetType: 'email_address', after: { address: b.address.toLowerCase(), type: b.type, reason: b.reason, source: 'webhook' } });
      }
      return { organisations: touched.length };
    });
  }

  /** The mail server refused the recipient for good while sending: the address bounces hard. Inside the sender's transaction. */
  async refusedAtSend(address: string, reason: string): Promise<void> {
    await this.repo.record(address, 'hard', reason, 'smtp');
  }

  bouncesHard(userId: string): Promise<boolean> {
    return this.repo.bouncesHard(userId);
  }
}

export type { BounceType };

/** Compared as digests, in constant time: neither the length nor a prefix of the secret leaks. */
function sameSecret(given: string, secret: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(secret));
}
