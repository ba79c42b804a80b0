import { describe, expect, it } from 'vitest';
import { toApiError } from '../../lib/api/errors';
import { invitationProblem } from './invitation-problem';

describe('invitationProblem', () => {
  it('turns sso_required into the providers to accept with, not an error to retry', () => {
    const err = toApiError(403, { code: 'sso_required', detail: 'SSO', errors: { providers: [{ id: 'p1', name: 'Parichay', kind: 'oidc' }] } });
    expect(invitationProblem(err)).toEqual({ kind: 'sso', providers: [{ id: 'p1', name: 'Parichay', kind: 'oidc' }] });
  });

  it('still explains sso_required when the refusal names no provider', () => {
    expect(invitationProblem(toApiError(403, { code: 'sso_required' }))).toEqual({ kind: 'sso', providers: [] });
  });

  it('keeps the invitation refusals, other problems and non-API failures apart', () => {
    expect(invitationProblem(toApiError(410, { code: 'invitation_expired' }))).toEqual({ kind: 'invitation', code: 'invitation_expired' });
    const other = toApiError(400, { code: 'validation_failed' });
    expect(invitationProblem(other)).toEqual({ kind: 'api', error: other });
    expect(invitationProblem(new Error('network'))).toEqual({ kind: 'unknown' });
    expect(invitationProblem(null)).toEqual({ kind: 'none' });
  });
});
