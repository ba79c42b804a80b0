import { defineErrors } from '../../platform/errors/app-error.js';

export const analyticsError = defineErrors({
  /** A snapshot value that is neither a non-negative integer nor null ("not available"). */
  invalid_snapshot: 400,
  /** A snapshot names an organisation that does not exist. */
  unknown_organisation: 400,
});
