import { defineErrors } from '../../platform/errors/app-error.js';

export const jobsAdminError = defineErrors({
  job_not_found: 404,
  job_not_failed: 409,
});
