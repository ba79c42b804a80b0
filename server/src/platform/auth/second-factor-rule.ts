import type { Permission } from '../access/permissions.js';
import type { SecondFactorState } from '../context/request-context.js';

/**
 * Whether the organisation's sign-in policy asks this caller for a second factor: everyone, or
 * whoever can publish in the government's name there.
 */
export function secondFactorRequired(state: SecondFactorState, permissions: ReadonlySet<Permission>): boolean {
  return state.requiredFor === 'everyone' || (state.requiredFor === 'publishers' && permissions.has('content.publish'));
}

/**
 * What a session may do here: everything, only enrol (no factor yet), or only prove the factor
 * it has (a session opened before the factor was confirmed). Checked on every request, against
 * the organisation the request acts in, so neither a refreshed token nor another organisation's
 * header gets round it.
 */
export function sessionStanding(state: SecondFactorState, permissions: ReadonlySet<Permission>): 'full' | 'enrol' | 'verify' {
  if (!secondFactorRequired(state, permissions) || state.verifiedAt) return 'full';
  return state.enrolled ? 'verify' : 'enrol';
}

/**
 * Step-up: a sensitive action needs a second factor shown within the last few minutes, when the
 * user has one or the policy asks for one. A user with neither has nothing to step up with.
 */
export function stepUpSatisfied(state: SecondFactorState, permissions: ReadonlySet<Permission>, now = Date.now()): boolean {
  if (!state.enrolled && !secondFactorRequired(state, permissions)) return true;
  return state.verifiedAt !== null && now - state.verifiedAt.getTime() <= state.stepUpMinutes * 60_000;
}
