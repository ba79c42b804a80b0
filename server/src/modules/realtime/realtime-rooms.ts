import { permissionsOf, type Permission } from '../../platform/access/permissions.js';

/**
 * Rooms are (organisation, permission) pairs. A socket joins, for each of its user's memberships,
 * the rooms of that organisation and the permissions of the role held there; an event of
 * organisation X needing permission P goes to the rooms (A, P) for X and every ancestor A of X.
 * So a socket hears an event exactly when some membership on X's path grants P: the same union
 * of inherited roles the request pipeline computes, with no per-event lookup of who listens,
 * and with the Redis adapter the same rooms reach sockets on every replica.
 */
export function roomsOfMembership(orgId: string, role: string): string[] {
  return [...permissionsOf([role])].map((p) => room(orgId, p));
}

export function roomsOfEvent(orgPath: readonly string[], permission: Permission): string[] {
  return orgPath.map((orgId) => room(orgId, permission));
}

function room(orgId: string, permission: Permission): string {
  return `org:${orgId}:${permission}`;
}
