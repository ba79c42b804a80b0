import { defineErrors } from '../../platform/errors/app-error.js';

export const eventsAdminError = defineErrors({
  event_not_found: 404,
  event_not_dead_lettered: 409,
});
