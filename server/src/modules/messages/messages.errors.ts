import { defineErrors } from '../../platform/errors/app-error.js';

export const messageError = defineErrors({
  message_not_found: 404,
  version_not_found: 404,
  campaign_not_found: 404,
  suspension_not_found: 404,
  blackout_not_found: 404,
  message_not_editable: 409,
  /** If-Match is required on edits; a stale one is 412. */
  precondition_required: 428,
  stale_revision: 412,
  invalid_zone: 400,
  /** A well-formed wall-clock time that does not exist (30 February, 24:00). */
  invalid_local_time: 400,
  /** The approver decided on content that has changed since they read it. */
  content_changed: 412,
  schedule_in_past: 409,
  /** Further ahead than GUDDU_SCHEDULE_HORIZON_DAYS. */
  schedule_beyond_horizon: 422,
  embargo_beyond_horizon: 422,
  schedule_in_blackout: 409,
  embargoed: 409,
  publishing_suspended: 409,
  already_suspended: 409,
  not_suspended: 409,
  resume_decisions_incomplete: 400,
  not_an_approver: 403,
  self_approval_not_allowed: 403,
  stage_not_current: 409,
  language_not_in_stage: 400,
  already_decided: 409,
  approval_incomplete: 409,
  channel_text_too_long: 400,
});
