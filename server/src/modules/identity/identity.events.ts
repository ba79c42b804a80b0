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
    'identity.invitation_accepted': { invitationId: string; userId: string; role: Role; newAccount: boolean };
  }
}
