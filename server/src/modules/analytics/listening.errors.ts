import { defineErrors } from '../../platform/errors/app-error.js';

export const listeningError = defineErrors({
  /** No spike alert with this id here or below. */
  spike_alert_not_found: 404,
  /** The alert was acknowledged already. */
  spike_alert_acknowledged: 409,
});
