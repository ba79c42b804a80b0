import { ROLE_RANK, type Role } from '../../../platform/access/permissions.js';
import type { RoleMapping } from './sso.tables.js';

/**
 * The role an ID token's claims map to: every value of the mapped claim (a string or a list)
 * that the mapping names, the highest of them; else the provider's default; else none.
 */
export function mapRole(mapping: RoleMapping, claims: Record<string, unknown>, fallback: Role | null): Role | null {
  const raw = mapping.claim ? claims[mapping.claim] : undefined;
  const values = Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : typeof raw === 'string' ? [raw] : [];
  let best: Role | null = null;
  for (const value of values) {
    const role = mapping.values?.[value];
    if (role && (!best || ROLE_RANK[role] > ROLE_RANK[best])) best = role;
  }
  return best ?? fallback;
}

export function emailDomainAllowed(email: string, allowed: string[]): boolean {
  if (allowed.length === 0) return true;
  const domain = email.slice(email.lastIndexOf('@') + 1);
  return allowed.some((d) => d.toLowerCase() === domain);
}
