import { defineErrors } from '../../platform/errors/app-error.js';

export const publishingError = defineErrors({
  suspension_not_found: 404,
  blackout_not_found: 404,
  already_suspended: 409,
  not_suspended: 409,
  resume_decisions_incomplete: 400,
  invalid_zone: 400,
});
