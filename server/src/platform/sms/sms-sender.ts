/**
 * Sending one text message. Notifications bind SMS_SENDER; the platform provides a Twilio-
 * compatible HTTP sender (GUDDU_SMS_*), or the sandbox simulator in embedded mode (decision 0026).
 */
export const SMS_SENDER = Symbol('SMS_SENDER');

export interface SmsMessage {
  /** E.164, e.g. +919812345678. */
  to: string;
  /** Plain text; no message bodies of Guddu content (issue 17: minimal personal data). */
  body: string;
  /** Same key, same message: the provider is asked to replay rather than send twice. */
  idempotencyKey: string;
}

export interface SmsSent {
  /** The provider's id of the message (Twilio: SM…). */
  providerId: string;
}

/**
 * What can go wrong, by what the caller should do:
 * - `invalid_number`: the number is wrong or cannot take SMS; do not retry, tell the user;
 * - `rate_limited`: retry after `retryAfterMs`;
 * - `transient`: retry with backoff (provider 5xx, timeout, network);
 * - `rejected`: the provider refused for good (credentials, unsubscribed recipient, body);
 *   do not retry; an operator must look.
 */
export type SmsFailure = 'invalid_number' | 'rate_limited' | 'transient' | 'rejected';

export class SmsError extends Error {
  override name = 'SmsError';
  constructor(
    readonly kind: SmsFailure,
    message: string,
    readonly details: { status?: number; providerCode?: number; retryAfterMs?: number } = {},
  ) {
    super(message);
  }

  get retryAfterMs(): number | undefined {
    return this.details.retryAfterMs;
  }
}

export interface SmsSender {
  /** False when no provider is configured and no sandbox runs: `send` then throws `rejected`. */
  readonly available: boolean;
  /** Resolves with the provider's id, or throws SmsError. */
  send(message: SmsMessage): Promise<SmsSent>;
}
