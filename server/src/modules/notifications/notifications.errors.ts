import { defineErrors } from '../../platform/errors/app-error.js';

export const notificationsError = defineErrors({
  notification_not_found: 404,
  /** Not an IANA time zone this server knows. */
  time_zone_unknown: 422,
  /** The channel is not configured on this installation (no SMTP, no SMS provider). */
  channel_not_configured: 409,
  /** A push subscription whose endpoint is not an HTTPS URL. */
  push_subscription_invalid: 422,
  /** The bounce webhook's secret is missing or wrong. */
  bounce_secret_invalid: 401,
  /** No bounce webhook on this installation (GUDDU_NOTIFY_BOUNCE_SECRET is not set). */
  bounce_webhook_disabled: 404,
});
