import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { systemContext } from '../../platform/context/request-context.js';
import { SecretBox } from '../../platform/crypto/secret-box.js';
import { Transactor } from '../../platform/database/transactor.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import { EventSubscribers } from '../../platform/events/event-subscribers.js';
import type { EventEnvelope } from '../../platform/events/events.types.js';
import { JobHandler } from '../../platform/jobs/job-handler.decorator.js';
import { JobQueue } from '../../platform/jobs/job-queue.js';
import type { GudduJobs } from '../../platform/jobs/jobs.types.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import { PLATFORM_RESOURCES, runsBackgroundWork, type PlatformResources } from '../../platform/platform.module.js';
import { AuditService } from '../audit/audit.service.js';
import { matches, webhookEventNames } from './webhook-events.js';
import { send, type SendOutcome } from './webhook-sender.js';
import { signedHeaders } from './webhook-signature.js';
import { WebhooksRepository, type DeliveryRow, type WebhookRow } from './webhooks.repository.js';
import type { WebhookAttemptTrigger } from './webhooks.tables.js';
import { WEBHOOK_LOOKUP, type WebhookLookup } from './webhooks.tokens.js';
import './webhooks.jobs.js';

/** A pending delivery due this long ago with no lease has lost its job. */
const QUIET_MS = 20_000;
const SWEEP_EVERY_MS = 10_000;

export const secretContext = (webhookId: string) => `webhook:${webhookId}`;

/**
 * From event to receiver (decision 0026):
 * 1. One subscriber per deliverable event name (`webhooks.<event>`) records one delivery per
 *    matching webhook, unique on (webhook, event), in the event's transaction; a redelivered event
 *    finds its rows and adds nothing. Jobs are enqueued after the commit.
 * 2. A job per attempt claims the delivery (a lease), signs the stored body and POSTs it to the
 *    address it has just checked, outside any transaction.
 * 3. The outcome is recorded in one transaction: the attempt row, the delivery's state and next
 *    attempt, the webhook's failure run (auto-disable), and after commit the next attempt's job.
 * A crash between steps leaves a pending delivery the sweep re-queues once its lease has run out:
 * at most one extra call with the same `webhook-id`, which receivers use to drop the duplicate.
 */
@Injectable()
export class WebhookDispatch implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(PLATFORM_RESOURCES) private readonly res: PlatformResources,
    private readonly tx: Transactor,
    private readonly repo: WebhooksRepository,
    private readonly jobs: JobQueue,
    private readonly subscribers: EventSubscribers,
    private readonly box: SecretBox,
    private readonly audit: AuditService,
    private readonly events: EventOutbox,
    @Inject(WEBHOOK_LOOKUP) private readonly lookup: WebhookLookup,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    for (const name of webhookEventNames()) await this.subscribers.register(name, `webhooks.${name}`, (event) => this.fanOut(event));
  }

  onApplicationBootstrap(): void {
    if (!runsBackgroundWork(this.res.role)) return;
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private get config() {
    return this.res.config.webhooks;
  }

  /** Step 1, inside the event's delivery transaction (scoped to its organisation). */
  async fanOut(event: EventEnvelope): Promise<void> {
    const hooks = (await this.repo.enabledAt(event.orgId, new Date(event.occurredAt))).filter((h) => matches(h.events, event.name));
    for (const hook of hooks) {
      const d = await this.repo.insertDelivery({ org_id: hook.org_id, webhook_id: hook.id, event_id: event.id, event_name: event.name, body: bodyOf(event), next_attempt_at: new Date() });
      if (d) this.tx.afterCommit(() => this.enqueue(d, 1, 'event', event.correlationId ?? `event:${event.id}`));
    }
  }

  /** Steps 2 and 3. */
  @JobHandler('webhooks.deliver')
  async deliverJob(p: GudduJobs['webhooks.deliver']): Promise<void> {
    const claimed = await this.tx.withTenantBypass('webhooks: claim an attempt', async () => {
      const d = await this.repo.claim(p.deliveryId, p.attempt, this.config.timeoutMs + 5_000);
      if (!d) return undefined;
      const hook = await this.repo.find(d.webhook_id);
      if (!hook?.enabled) {
        await this.repo.settle(d.id, { state: 'skipped', attempts: d.attempts, nextAttemptAt: null });
        return undefined;
      }
      return { d, hook };
    });
    if (!claimed) return;
    const outcome = await this.call(claimed.hook, claimed.d);
    await this.tx.withTenantBypass('webhooks: record an attempt', () => this.record(claimed.hook.id, claimed.d, outcome, p.trigger, p.correlationId));
  }

  /**
   * A test ping, answered in the request: the same call and log, but never retried and never
   * counted towards auto-disable (an admin may ping a disabled webhook to see it work again).
   */
  async ping(hook: WebhookRow, d: DeliveryRow, correlationId: string): Promise<SendOutcome> {
    const outcome = await this.call(hook, d);
    await this.tx.withTenantBypass('webhooks: record a ping', () => this.record(hook.id, d, outcome, 'ping', correlationId));
    return outcome;
  }

  private async call(hook: WebhookRow, d: DeliveryRow): Promise<SendOutcome> {
    const secret = this.box.open(hook.secret_sealed, secretContext(hook.id));
    return send({ url: hook.url, headers: signedHeaders(secret, d.id, d.body), body: d.body, timeoutMs: this.config.timeoutMs, allowPrivate: this.config.allowPrivate, lookup: this.lookup });
  }

  private async record(webhookId: string, d: DeliveryRow, o: SendOutcome, trigger: WebhookAttemptTrigger, correlationId: string): Promise<void> {
    const number = d.attempts + 1;
    const attempt = { org_id: d.org_id, delivery_id: d.id, number, trigger, started_at: o.startedAt, duration_ms: o.durationMs, succeeded: o.succeeded, status_code: o.statusCode, error: o.error, response_body: o.responseBody };
    if (trigger === 'ping') {
      await this.repo.insertAttempt(attempt);
      await this.repo.settle(d.id, { state: o.succeeded ? 'succeeded' : 'failed', attempts: number, nextAttemptAt: null });
      return;
    }
    const hook = await this.repo.lock(webhookId);
    const delay = o.succeeded ? undefined : this.config.retryDelaysMs[number - 1];
    const next = delay === undefined ? null : new Date(Date.now() + delay);
    // A call slower than the lease lets the sweep hand the same attempt to another worker: the
    // first to record it wins, and the other records nothing (no second row, no second retry).
    const settled = await this.repo.settle(d.id, { state: o.succeeded ? 'succeeded' : next ? 'pending' : 'failed', attempts: number, nextAttemptAt: next }, d.attempts);
    if (!settled) {
      this.log.warn({ deliveryId: d.id, attempt: number }, 'webhook attempt already recorded by another worker; this answer is dropped');
      return;
    }
    await this.repo.insertAttempt(attempt);
    if (o.succeeded) {
      if (hook && hook.consecutive_failures > 0) await this.repo.update(hook.id, { consecutive_failures: 0, failing_since: null });
      return;
    }
    if (next) this.tx.afterCommit(() => this.enqueue(d, number + 1, 'retry', correlationId, delay));
    if (hook) await this.countFailure(hook, o.startedAt, correlationId);
  }

  /** Auto-disable once every attempt has failed for long enough and often enough. */
  private async countFailure(hook: WebhookRow, at: Date, correlationId: string): Promise<void> {
    const failures = hook.consecutive_failures + 1;
    const since = hook.failing_since ?? at;
    const sustained = failures >= this.config.disableAfterFailures && Date.now() - since.getTime() >= this.config.disableAfterMs;
    if (!hook.enabled || !sustained) {
      await this.repo.update(hook.id, { consecutive_failures: failures, failing_since: since });
      return;
    }
    const hours = Math.round(((Date.now() - since.getTime()) / 3600_000) * 10) / 10;
    const reason = `every attempt failed for ${hours} h (${failures} in a row); switched off automatically`;
    await this.repo.update(hook.id, { consecutive_failures: failures, failing_since: since, enabled: false, disabled_reason: reason, disabled_at: new Date() });
    const ctx = systemContext('webhooks.auto-disable', hook.org_id, correlationId);
    await this.audit.record(ctx, { orgId: hook.org_id, action: 'webhooks.auto_disabled', targetType: 'webhook', targetId: hook.id, before: { enabled: true }, after: { enabled: false, reason } });
    await this.events.emit(ctx, 'webhooks.disabled', { webhookId: hook.id, url: hook.url, reason, auto: true, consecutiveFailures: failures }, { aggregateType: 'webhook', aggregateId: hook.id, orgId: hook.org_id });
    this.log.warn({ webhookId: hook.id, orgId: hook.org_id, failures }, 'webhooks: disabled after sustained failure');
  }

  /**
   * `key` tells apart jobs for the same attempt (a sweep's, a redelivery's): duplicates are
   * harmless, since only one of them can claim the attempt and the rest find it recorded.
   */
  async enqueue(d: Pick<DeliveryRow, 'id' | 'org_id'>, attempt: number, trigger: 'event' | 'retry' | 'redelivery', correlationId: string, delayMs?: number, key: string = trigger): Promise<void> {
    await this.jobs.enqueue('webhooks.deliver', { deliveryId: d.id, attempt, trigger, orgId: d.org_id, correlationId, idempotencyKey: `${d.id}:${attempt}:${key}` }, delayMs ? { delayMs } : {});
  }

  /** Re-queues pending deliveries whose job was lost (a crash between commit and enqueue, or mid-call). */
  async sweep(): Promise<number> {
    try {
      const stale = await this.tx.withTenantBypass('webhooks: re-queue deliveries that lost their job', () => this.repo.overdue(new Date(Date.now() - QUIET_MS), 200));
      // The job id names the attempt: a job still queued for it makes this a no-op.
      const round = `sweep-${Date.now()}`;
      for (const d of stale) await this.enqueue(d, d.attempts + 1, d.attempts === 0 ? 'event' : 'retry', `sweep:${d.id}`, undefined, round);
      if (stale.length > 0) this.log.warn({ count: stale.length }, 'webhooks: re-queued deliveries that had lost their job');
      return stale.length;
    } catch (err) {
      this.log.error({ err }, 'webhooks: sweep failed; the next one retries');
      return 0;
    }
  }
}

/** What a receiver gets: the event envelope without the correlation id (Standard Webhooks' type/timestamp/data). */
export function bodyOf(event: Pick<EventEnvelope, 'id' | 'name' | 'orgId' | 'aggregateType' | 'aggregateId' | 'occurredAt' | 'payload'>): string {
  return JSON.stringify({ id: event.id, type: event.name, timestamp: event.occurredAt, organisationId: event.orgId, aggregate: { type: event.aggregateType, id: event.aggregateId }, data: event.payload });
}
