import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { orgOf, userOf, type RequestContext } from '../../platform/context/request-context.js';
import { SecretBox } from '../../platform/crypto/secret-box.js';
import { Transactor } from '../../platform/database/transactor.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import { PLATFORM_RESOURCES, type PlatformResources } from '../../platform/platform.module.js';
import { AuditService } from '../audit/audit.service.js';
import { WebhookDispatch, secretContext } from './webhook-dispatch.service.js';
import { webhookEventNames } from './webhook-events.js';
import { urlRefusal } from './webhook-sender.js';
import { newWebhookSecret } from './webhook-signature.js';
import type * as dto from './webhooks.dto.js';
import { webhooksError } from './webhooks.errors.js';
import { WebhooksRepository, type WebhookRow } from './webhooks.repository.js';
import { WEBHOOK_LOOKUP, type WebhookLookup } from './webhooks.tokens.js';
import { deliveryView, webhookView } from './webhooks.views.js';

/** An organisation's webhooks: registration, secrets, the delivery log and redelivery (decision 0026). */
@Injectable()
export class WebhooksService {
  constructor(
    @Inject(PLATFORM_RESOURCES) private readonly res: PlatformResources,
    private readonly tx: Transactor,
    private readonly repo: WebhooksRepository,
    private readonly box: SecretBox,
    private readonly audit: AuditService,
    private readonly events: EventOutbox,
    private readonly dispatch: WebhookDispatch,
    @Inject(WEBHOOK_LOOKUP) private readonly lookup: WebhookLookup,
  ) {}

  async list(ctx: RequestContext) {
    const rows = await this.repo.listOf(orgOf(ctx));
    return { items: rows.map(webhookView), events: webhookEventNames() };
  }

  async get(_ctx: RequestContext, id: string) {
    return webhookView(await this.found(id));
  }

  async create(ctx: RequestContext, b: z.infer<typeof dto.CreateBody>) {
    await this.assertUrl(b.url);
    const id = randomUUID();
    const secret = newWebhookSecret();
    const row = await this.repo.insert({ id, org_id: orgOf(ctx), url: b.url, description: b.description, events: b.events, enabled: b.enabled, secret_sealed: this.box.seal(secret, secretContext(id)), created_by: ctx.actor?.type === 'user' ? userOf(ctx).id : null });
    await this.audit.record(ctx, { action: 'webhooks.created', targetType: 'webhook', targetId: id, after: { url: b.url, events: b.events, enabled: b.enabled } });
    return { webhook: webhookView(row), secret };
  }

  async update(ctx: RequestContext, id: string, b: z.infer<typeof dto.UpdateBody>) {
    const before = await this.found(id, true);
    if (b.url !== undefined && b.url !== before.url) await this.assertUrl(b.url);
    const switchedOn = b.enabled === true && !before.enabled;
    const switchedOff = b.enabled === false && before.enabled;
    const row = (await this.repo.update(id, {
      ...(b.url !== undefined ? { url: b.url } : {}),
      ...(b.events !== undefined ? { events: b.events } : {}),
      ...(b.description !== undefined ? { description: b.description } : {}),
      ...(switchedOn ? { enabled: true, disabled_reason: null, disabled_at: null, consecutive_failures: 0, failing_since: null } : {}),
      ...(switchedOff ? { enabled: false, disabled_reason: 'switched off by an admin', disabled_at: new Date() } : {}),
    }))!;
    await this.audit.record(ctx, { orgId: row.org_id, action: 'webhooks.updated', targetType: 'webhook', targetId: id, before: { url: before.url, events: before.events, description: before.description, enabled: before.enabled }, after: { url: row.url, events: row.events, description: row.description, enabled: row.enabled } });
    if (switchedOff) {
      await this.events.emit(ctx, 'webhooks.disabled', { webhookId: id, url: row.url, reason: 'switched off by an admin', auto: false, consecutiveFailures: row.consecutive_failures }, { aggregateType: 'webhook', aggregateId: id, orgId: row.org_id });
    }
    return webhookView(row);
  }

  async remove(ctx: RequestContext, id: string): Promise<void> {
    const row = await this.found(id, true);
    await this.repo.delete(id);
    await this.audit.record(ctx, { orgId: row.org_id, action: 'webhooks.deleted', targetType: 'webhook', targetId: id, before: { url: row.url, events: row.events } });
  }

  /** A new secret at once; the old one signs nothing more. The answer is the only place it appears. */
  async rotateSecret(ctx: RequestContext, id: string) {
    const row = await this.found(id, true);
    const secret = newWebhookSecret();
    await this.repo.update(id, { secret_sealed: this.box.seal(secret, secretContext(id)) });
    await this.audit.record(ctx, { orgId: row.org_id, action: 'webhooks.secret_rotated', targetType: 'webhook', targetId: id });
    return { secret };
  }

  async deliveries(_ctx: RequestContext, id: string, q: z.infer<typeof dto.DeliveryQuery>) {
    await this.found(id);
    const rows = await this.repo.listDeliveries(id, q.limit, q.before ? new Date(q.before) : undefined);
    const attempts = await this.repo.attemptsOf(rows.map((r) => r.id));
    return { items: rows.map((d) => deliveryView(d, attempts)) };
  }

  /** One more attempt now, signed afresh, same webhook-id; if it fails the rest of the schedule follows. */
  async redeliver(ctx: RequestContext, id: string, deliveryId: string) {
    const hook = await this.found(id);
    if (!hook.enabled) throw webhooksError('webhook_disabled', 'This webhook is switched off; switch it on before redelivering');
    const before = await this.repo.findDelivery(deliveryId);
    if (!before || before.webhook_id !== id || before.event_name === 'webhooks.ping') throw webhooksError('webhook_delivery_not_found', 'No such delivery of this webhook');
    const d = await this.repo.reopen(deliveryId);
    if (!d) return deliveryView(before, await this.repo.attemptsOf([before.id])); // an attempt is out right now
    await this.audit.record(ctx, { orgId: d.org_id, action: 'webhooks.redelivered', targetType: 'webhook_delivery', targetId: d.id, before: { state: before.state, attempts: before.attempts }, after: { state: 'pending' } });
    this.tx.afterCommit(() => this.dispatch.enqueue(d, d.attempts + 1, 'redelivery', ctx.correlationId, undefined, `redelivery-${randomUUID()}`));
    return deliveryView(d, await this.repo.attemptsOf([d.id]));
  }

  /** A signed `webhooks.ping` event, sent now, recorded in the log, never retried. */
  async ping(ctx: RequestContext, id: string) {
    const hook = await this.found(id);
    const eventId = randomUUID();
    const body = JSON.stringify({ id: eventId, type: 'webhooks.ping', timestamp: new Date().toISOString(), organisationId: hook.org_id, aggregate: { type: 'webhook', id }, data: { webhookId: id } });
    // Committed on its own before the call, so the call holds no transaction open and the attempt can refer to it.
    const d = await this.tx.withTenantBypass('webhooks: a test ping', () => this.repo.insertDelivery({ org_id: hook.org_id, webhook_id: id, event_id: eventId, event_name: 'webhooks.ping', body, next_attempt_at: null }));
    const o = await this.dispatch.ping(hook, d!, ctx.correlationId);
    await this.audit.record(ctx, { orgId: hook.org_id, action: 'webhooks.pinged', targetType: 'webhook', targetId: id, after: { succeeded: o.succeeded, statusCode: o.statusCode } });
    return { deliveryId: d!.id, succeeded: o.succeeded, statusCode: o.statusCode, durationMs: o.durationMs, error: o.error };
  }

  private async assertUrl(url: string): Promise<void> {
    const refusal = await urlRefusal(url, this.res.config.webhooks.allowPrivate, this.lookup);
    if (refusal) throw webhooksError('webhook_url_not_allowed', `Guddu does not send to this URL: ${refusal}`, { url });
  }

  private async found(id: string, lock = false): Promise<WebhookRow> {
    const row = lock ? await this.repo.lock(id) : await this.repo.find(id);
    if (!row) throw webhooksError('webhook_not_found', 'No such webhook');
    return row;
  }
}
