import { ApiError } from '../../lib/api/errors';
import { requiredProviders, type Choice } from '../sso/sso-required';

/** Refusals of an acceptance that the invitation page explains in its own words. */
export const INVITATION_CODES = ['invitation_not_found', 'invitation_expired', 'invitation_used', 'already_member', 'display_name_required'] as const;
export type InvitationCode = (typeof INVITATION_CODES)[number];

export type InvitationProblem =
  | { kind: 'none' }
  /** The organisation requires SSO of the invited role: no password will do; accept at a provider. */
  | { kind: 'sso'; providers: Choice[] }
  | { kind: 'invitation'; code: InvitationCode }
  | { kind: 'api'; error: ApiError }
  | { kind: 'unknown' };

/**
 * What an acceptance's failure means for the page. `sso_required` is not an error to show and
 * retry: the password form cannot succeed, so the page offers the providers instead (even if the
 * refusal named none, the explanation stands, so the invitee knows to ask their administrator).
 */
export function invitationProblem(error: unknown): InvitationProblem {
  if (error === null || error === undefined) return { kind: 'none' };
  if (!(error instanceof ApiError)) return { kind: 'unknown' };
  if (error.code === 'sso_required') return { kind: 'sso', providers: requiredProviders(error) };
  const code = INVITATION_CODES.find((c) => c === error.code);
  return code ? { kind: 'invitation', code } : { kind: 'api', error };
}
