/**
 * The SMS port notifications send through (issue 17). The implementation is the platform's
 * (`platform/sms`: a Twilio-compatible HTTP provider, or the sandbox simulator), bound globally to
 * SMS_SENDER by SmsModule: inject it with `@Inject(SMS_SENDER) sms: SmsSender`.
 *
 * `send({ to, body, idempotencyKey })` resolves `{ providerId }` or throws `SmsError` whose `kind`
 * says what to do: `invalid_number` (tell the user, do not retry), `rate_limited` (retry after
 * `retryAfterMs`), `transient` (retry with backoff), `rejected` (do not retry; an operator looks).
 */
export { SMS_SENDER, SmsError, type SmsFailure, type SmsMessage, type SmsSender, type SmsSent } from '../../platform/sms/sms-sender.js';
