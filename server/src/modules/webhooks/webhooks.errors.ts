import { defineErrors } from '../../platform/errors/app-error.js';

export const webhooksError = defineErrors({
  webhook_not_found: 404,
  webhook_delivery_not_found: 404,
  /** The URL is not https (without GUDDU_WEBHOOKS_ALLOW_PRIVATE), or its host resolves to a private, loopback or reserved address. */
  webhook_url_not_allowed: 400,
  /** The event filter names an event Guddu does not send to webhooks. */
  webhook_event_unknown: 422,
  /** A redelivery or ping to a disabled webhook: enable it first. */
  webhook_disabled: 409,
});
