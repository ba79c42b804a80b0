/**
 * How notifications send a text message. The implementation (an HTTP provider and its
 * simulator) lives in `platform/sms/`; it is bound to this token where it is configured. When
 * nothing is bound, SMS is "not configured": the preferences API says so and no SMS delivery is
 * planned. The body is short and carries no personal data beyond the number (see renderSms).
 */
export interface SmsSender {
  /** Resolves with the provider's id for the accepted message; rejects when it was refused. */
  send(input: { to: string; body: string; idempotencyKey: string }): Promise<{ id: string }>;
}

export const SMS_SENDER = Symbol('guddu.notifications.sms-sender');
