import { defineErrors } from '../../platform/errors/app-error.js';
import { TRANSITIONS, type TransitionName } from './message-status.js';

export const messageError = defineErrors({
  message_not_found: 404,
  version_not_found: 404,
  campaign_not_found: 404,
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
  not_an_approver: 403,
  self_approval_not_allowed: 403,
  stage_not_current: 409,
  language_not_in_stage: 400,
  already_decided: 409,
  approval_incomplete: 409,
  channel_text_too_long: 400,
  /** A targeted network would refuse the content (publishing's per-network checks). */
  content_not_publishable: 400,
});

/** One stable code per refused transition, e.g. `cannot_schedule` (409): clients switch on it. */
export const transitionError = defineErrors(Object.fromEntries(Object.keys(TRANSITIONS).map((n) => [`cannot_${n}`, 409])) as Record<`cannot_${TransitionName}`, 409>);
export const TRANSITION_ERROR_CODES = Object.keys(TRANSITIONS).map((n) => `cannot_${n}`);
