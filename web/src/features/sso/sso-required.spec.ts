import { describe, expect, it } from 'vitest';
import { toApiError } from '../../lib/api/errors';
import { requiredProviders } from './sso-required';

describe('requiredProviders', () => {
  it('reads the providers a sso_required problem names (the server puts them under errors)', () => {
    const err = toApiError(403, { code: 'sso_required', detail: 'SSO', errors: { providers: [{ id: 'p1', name: 'Parichay', kind: 'oidc' }, { id: 7 }] } });
    expect(requiredProviders(err)).toEqual([{ id: 'p1', name: 'Parichay', kind: 'oidc' }]);
  });

  it('offers nothing for another problem or a thrown non-API error', () => {
    expect(requiredProviders(toApiError(401, { code: 'invalid_credentials', errors: { providers: [{ id: 'p1', name: 'x' }] } }))).toEqual([]);
    expect(requiredProviders(new Error('network'))).toEqual([]);
    expect(requiredProviders(toApiError(403, { code: 'sso_required' }))).toEqual([]);
  });
});
