import { defineErrors } from '../../../platform/errors/app-error.js';

/**
 * SAML's codes in the identity taxonomy (kept beside the SAML files so the identity module's
 * list stays the one other work edits). Every refusal of an assertion names its reason.
 */
export const samlError = defineErrors({
  saml_metadata_invalid: 400,
  saml_response_invalid: 400,
  saml_signature_invalid: 401,
  saml_audience_invalid: 401,
  saml_assertion_expired: 401,
  saml_assertion_replayed: 409,
  saml_in_response_to_invalid: 400,
  saml_idp_initiated_disabled: 403,
  /** A setting of the other protocol (a certificate for an OIDC provider, a client secret for SAML). */
  identity_provider_kind_mismatch: 400,
});
