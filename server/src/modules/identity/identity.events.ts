import type { Role } from '../../platform/access/permissions.js';

/**
 * Events of users, memberships and invitations. Aggregates: `user` / user id (status and role
 * changes of one person stay in order), `invitation` / invitation id. No emails or names: a
 * subscriber that needs them reads the current row.
 */
declare module '../../platform/events/events.types.js' {
  interface GudduEvents {
    'identity.user_deactivated': { userId: string; sessionsEnded: number };
    'identity.user_reactivated': { userId: string };
    'identity.membership_role_changed': { userId: string; from: Role; to: Role };
    'identity.invitation_created': { invitationId: string; role: Role };
    'identity.second_factor_enrolled': { userId: string; factor: 'totp' | 'passkey' };
    /** An admin removed a user's factors: tell the user (it may not have been them who asked). */
    'identity.second_factors_reset': { userId: string; sessionsEnded: number };
    'identity.sign_in_policy_changed': {
      mfaRequiredFor: 'nobody' | 'publishers' | 'everyone';
      ssoRequiredFor: 'nobody' | 'publishers' | 'everyone';
      stepUpMinutes: number;
    };
    'identity.invitation_accepted': { invitationId: string; userId: string; role: Role; newAccount: boolean };
  }
}
