import type { AttemptRow, DeliveryRow } from './deliveries.repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function attemptView(a: AttemptRow) {
  return { kind: a.kind, number: a.number, startedAt: a.started_at.toISOString(), endedAt: iso(a.ended_at), outcome: a.outcome, errorClass: a.error_class, httpStatus: a.http_status, vendorCode: a.vendor_code, detail: a.detail };
}

export function deliveryView(d: DeliveryRow, attempts: AttemptRow[] = []) {
  return {
    id: d.id,
    messageId: d.message_id,
    version: d.version,
    channelId: d.channel_id,
    network: d.network,
    state: d.state,
    attempts: d.attempts,
    nextAttemptAt: iso(d.next_attempt_at),
    externalId: d.external_id,
    url: d.external_url,
    publishedAt: iso(d.published_at),
    failureClass: d.failure_class,
    failureReason: d.failure_reason,
    retractReason: d.retract_reason,
    attemptLog: attempts.map(attemptView),
  };
}
