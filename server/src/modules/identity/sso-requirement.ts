import { Injectable } from '@nestjs/common';
import { permissionsOf } from '../../platform/access/permissions.js';
import { signedInBySso, ssoRefusal, ssoRequired, type SsoRequiredFor } from '../../platform/auth/sso-rule.js';
import type { SsoState } from '../../platform/context/request-context.js';
import type { AppError } from '../../platform/errors/app-error.js';
import type { SignInMethod } from './identity.tables.js';
import { MembershipsRepository } from './memberships.repository.js';
import { SignInPolicyRepository, type SignInPolicy } from './sign-in-policy.repository.js';
import { IdentityProvidersRepository, type IdentityProvider } from './sso/identity-providers.repository.js';

const LEVEL: Record<SsoRequiredFor, number> = { nobody: 0, publishers: 1, everyone: 2 };

/** The strictest SSO rule on a path of policies, and the organisation that set it. */
export function strictestSso(path: SignInPolicy[]): { ssoRequiredFor: SsoRequiredFor; setBy: string | null } {
  let ssoRequiredFor: SsoRequiredFor = 'nobody';
  let setBy: string | null = null;
  for (const p of path) {
    if (LEVEL[p.ssoRequiredFor] > LEVEL[ssoRequiredFor]) {
      ssoRequiredFor = p.ssoRequiredFor;
      setBy = p.orgId;
    }
  }
  return { ssoRequiredFor, setBy };
}

/** The providers on the path that would take this email: those with no domain list, or listing its domain. */
export function providersFor(providers: IdentityProvider[], email: string): SsoState['providers'] {
  const domain = email.split('@')[1]?.toLowerCase() ?? '';
  return providers
    .filter((p) => p.allowedDomains.length === 0 || p.allowedDomains.includes(domain))
    .map((p) => ({ id: p.id, name: p.name, kind: p.kind }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The SSO rule at the doors that open sessions or memberships (sign-in by any method, refresh,
 * invitation acceptance), resolved as the request pipeline resolves it on every request: the
 * strictest rule on the path of the organisation acted in, against the user's roles there.
 * Call inside a bypass transaction (sign-in precedes any tenant).
 */
@Injectable()
export class SsoRequirement {
  constructor(
    private readonly policies: SignInPolicyRepository,
    private readonly memberships: MembershipsRepository,
    private readonly providers: IdentityProvidersRepository,
  ) {}

  /**
   * The `sso_required` refusal for a sign-in by `method` (through provider `providerId`, for SSO)
   * into `orgId`, or undefined when it may proceed. A provider counts only where it is configured
   * on `orgId`'s path: another organisation's provider is no word on who may work here.
   */
  async refusal(
    user: { id: string; email: string },
    orgId: string,
    method: SignInMethod | 'unknown',
    providerId: string | null | undefined,
  ): Promise<AppError | undefined> {
    if (signedInBySso(method) && providerId && (await this.providers.onPath(orgId)).some((p) => p.id === providerId)) return undefined;
    const roles = await this.memberships.effectiveRoles(user.id, orgId);
    return this.refusalFor(orgId, roles, user.email);
  }

  /** The same for roles not held yet (an invitation's), by someone who has not signed in by a provider. */
  async refusalFor(orgId: string, roles: readonly string[], email: string): Promise<AppError | undefined> {
    const { ssoRequiredFor } = strictestSso(await this.policies.onPath(orgId));
    if (!ssoRequired(ssoRequiredFor, permissionsOf(roles))) return undefined;
    return ssoRefusal(providersFor(await this.providers.onPath(orgId), email));
  }
}
