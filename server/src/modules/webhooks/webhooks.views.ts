import type { z } from 'zod';
import type * as dto from './webhooks.dto.js';
import type { AttemptRow, DeliveryRow, WebhookRow } from './webhooks.repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Never the secret: it is shown only in the answers of create and rotate. */
export function webhookView(r: WebhookRow): z.infer<typeof dto.WebhookView> {
  return {
    id: r.id,
    organisationId: r.org_id,
    url: r.url,
    description: r.description,
    events: r.events,
    enabled: r.enabled,
    disabledReason: r.disabled_reason,
    disabledAt: iso(r.disabled_at),
    consecutiveFailures: r.consecutive_failures,
    failingSince: iso(r.failing_since),
    revision: r.revision,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export function deliveryView(d: DeliveryRow, attempts: AttemptRow[]): z.infer<typeof dto.DeliveryView> {
  return {
    id: d.id,
    webhookId: d.webhook_id,
    eventId: d.event_id,
    eventName: d.event_name,
    state: d.state,
    attempts: d.attempts,
    nextAttemptAt: iso(d.next_attempt_at),
    createdAt: d.created_at.toISOString(),
    attemptLog: attempts
      .filter((a) => a.delivery_id === d.id)
      .map((a) => ({ number: a.number, trigger: a.trigger, startedAt: a.started_at.toISOString(), durationMs: a.duration_ms, succeeded: a.succeeded, statusCode: a.status_code, error: a.error, responseBody: a.response_body })),
  };
}
