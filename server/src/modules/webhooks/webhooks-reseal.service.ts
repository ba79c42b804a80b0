import { Injectable } from '@nestjs/common';
import { SecretBox } from '../../platform/crypto/secret-box.js';
import { Transactor } from '../../platform/database/transactor.js';
import { secretContext } from './webhook-dispatch.service.js';
import { WebhooksRepository } from './webhooks.repository.js';

/** A rotation of GUDDU_SECRET_KEY for webhook secrets: opened with either key, sealed under the new one, in one transaction. */
@Injectable()
export class WebhooksReseal {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: WebhooksRepository,
    private readonly box: SecretBox,
  ) {}

  async resealAll(): Promise<{ webhookSecrets: number }> {
    return this.tx.withTenantBypass('webhooks: re-seal under a new secret key', async () => {
      const rows = await this.repo.allSealed();
      for (const r of rows) await this.repo.reseal(r.id, this.box.reseal(r.secret_sealed, secretContext(r.id)));
      return { webhookSecrets: rows.length };
    });
  }
}
