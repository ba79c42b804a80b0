/**
 * Named permissions and the roles that bundle them. Routes declare a permission, never a role,
 * so a role can change shape without touching a controller. A role granted on an organisation
 * applies to all organisations below it; a user's permissions are the union of their roles.
 */
export const PERMISSIONS = [
  'org.read',
  'org.manage',
  'user.read',
  'user.invite',
  'user.manage',
  'audit.read',
  'audit.verify',
  'content.read',
  'content.write',
  'content.approve',
  'content.publish',
  /** Take a published message down from the networks. */
  'content.retract',
  'analytics.read',
  'settings.manage',
  'keys.rotate',
  'jobs.manage',
  'channels.manage',
  /** Register outgoing webhooks, see their secrets once, read their delivery logs, redeliver. */
  'webhooks.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['owner', 'admin', 'approver', 'editor', 'analyst', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const viewer: Permission[] = ['org.read', 'user.read', 'content.read'];
const analyst: Permission[] = [...viewer, 'analytics.read'];
const editor: Permission[] = [...viewer, 'content.write'];
const approver: Permission[] = [...editor, 'content.approve'];
const admin: Permission[] = [
  ...approver,
  'analytics.read',
  'content.publish',
  'content.retract',
  'org.manage',
  'user.invite',
  'user.manage',
  'audit.read',
  'audit.verify',
  'settings.manage',
  'jobs.manage',
  'channels.manage',
  'webhooks.manage',
];
const owner: Permission[] = [...admin, 'keys.rotate'];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(owner),
  admin: new Set(admin),
  approver: new Set(approver),
  editor: new Set(editor),
  analyst: new Set(analyst),
  viewer: new Set(viewer),
};

/** Higher rank may grant any role up to its own; used to stop privilege escalation. */
export const ROLE_RANK: Record<Role, number> = { owner: 6, admin: 5, approver: 4, editor: 3, analyst: 2, viewer: 1 };

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function permissionsOf(roles: readonly string[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const role of roles) if (isRole(role)) for (const p of ROLE_PERMISSIONS[role]) out.add(p);
  return out;
}

export function highestRank(roles: readonly string[]): number {
  return Math.max(0, ...roles.filter(isRole).map((r) => ROLE_RANK[r]));
}
