import type { Permission } from '../access/permissions.js';
import type { SsoState } from '../context/request-context.js';
import { platformError, type AppError } from '../errors/app-error.js';

export type SsoRequiredFor = SsoState['requiredFor'];

/** Whether an SSO rule covers a caller with these permissions: everyone, or whoever can publish. */
export function ssoRequired(requiredFor: SsoRequiredFor, permissions: ReadonlySet<Permission>): boolean {
  return requiredFor === 'everyone' || (requiredFor === 'publishers' && permissions.has('content.publish'));
}

/** Only a provider's word counts: a password, a passkey or a session of unknown origin does not. */
export function signedInBySso(method: string | null | undefined): boolean {
  return method === 'sso:oidc' || method === 'sso:saml';
}

/**
 * And only the word of a provider on the organisation's own path: a session signed in through
 * another organisation's provider (where a leaver may still be welcome) does not satisfy this one.
 */
export function ssoSatisfied(state: Pick<SsoState, 'method' | 'providerOnPath'> | undefined): boolean {
  return !!state && signedInBySso(state.method) && state.providerOnPath;
}

/**
 * The refusal a session gets where an SSO rule covers it and it was not signed in by a provider,
 * naming the providers that would let this user in (the console offers them as buttons). One
 * code, `sso_required`, whether at sign-in, at refresh or on a request.
 */
export function ssoRefusal(providers: SsoState['providers']): AppError {
  return platformError('sso_required', 'This organisation requires signing in with its identity provider', { providers });
}

/** Per request, against the organisation acted in: neither a refreshed token nor another organisation's header gets round it. */
export function assertSsoSatisfied(state: SsoState, permissions: ReadonlySet<Permission>): void {
  if (ssoRequired(state.requiredFor, permissions) && !ssoSatisfied(state)) throw ssoRefusal(state.providers);
}
