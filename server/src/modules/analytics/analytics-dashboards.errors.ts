import { defineErrors } from '../../platform/errors/app-error.js';

export const dashboardError = defineErrors({
  dashboard_not_found: 404,
  /** The link is not one Guddu signed, has expired, or was revoked: the same answer for all three. */
  dashboard_link_invalid: 410,
});
