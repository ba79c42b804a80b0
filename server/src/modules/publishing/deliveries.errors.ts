import { defineErrors } from '../../platform/errors/app-error.js';

export const deliveryError = defineErrors({
  delivery_not_found: 404,
  delivery_not_retryable: 409,
  message_not_retractable: 409,
});
