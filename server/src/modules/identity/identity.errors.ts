import { defineErrors } from '../../platform/errors/app-error.js';

export const identityError = defineErrors({
  invalid_credentials: 401,
  refresh_token_invalid: 401,
  refresh_token_reused: 401,
  login_throttled: 429,
  no_membership: 403,
  weak_password: 400,
  display_name_required: 400,
  email_taken: 409,
  user_not_found: 404,
  session_not_found: 404,
  invitation_not_found: 404,
  invitation_expired: 410,
  invitation_used: 409,
  already_member: 409,
  role_too_high: 403,
  last_owner: 409,
  cannot_change_self: 409,
  root_organisation_only: 403,
  user_outside_scope: 403,
});
