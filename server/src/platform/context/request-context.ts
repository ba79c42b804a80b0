import type { Permission } from '../access/permissions.js';

export type Actor = { type: 'user'; id: string; sessionId: string } | { type: 'system'; name: string };

/**
 * What a service needs to know about who is asking: actor, organisation, permissions, and the
 * request facts that go into the audit record. Jobs and the CLI build one with `systemContext`.
 * It lives outside `platform/http` so services and job handlers never depend on HTTP; controllers
 * get it from the `Ctx` decorator in `platform/http/ctx.decorator.ts`.
 */
export interface RequestContext {
  correlationId: string;
  ip: string | undefined;
  userAgent: string | undefined;
  actor: Actor | undefined;
  orgId: string | undefined;
  roles: readonly string[];
  permissions: ReadonlySet<Permission>;
  /** A signed-in request's second-factor standing; absent for system work and public routes. */
  secondFactor?: SecondFactorState;
  /** A signed-in request's sign-in method and the SSO rule where it acts. */
  sso?: SsoState;
  /** On a step-up route: the factor that satisfied it, for the audit record. */
  stepUp?: { method: 'totp' | 'recovery_code' | 'passkey'; verifiedAt: Date };
}

/** Who the session's second factor satisfies, as the request's opening round trip found it. */
export interface SecondFactorState {
  /** When this session last showed a second factor (sign-in or step-up), and which. */
  verifiedAt: Date | null;
  method: 'totp' | 'recovery_code' | 'passkey' | null;
  /** The user has a confirmed factor. */
  enrolled: boolean;
  /** The strictest rule on the organisation's path. */
  requiredFor: 'nobody' | 'publishers' | 'everyone';
  stepUpMinutes: number;
}

/** How the session was signed in, and what the organisation's path requires of that. */
export interface SsoState {
  /** The session's sign-in method (`password`, `passkey`, `sso:oidc`, `sso:saml`, `unknown`). */
  method: string | null;
  /**
   * Whether the provider that signed the session in is configured on this organisation's path
   * (here or above): only such a session satisfies the organisation's SSO rule.
   */
  providerOnPath: boolean;
  /** The strictest SSO rule on the organisation's path. */
  requiredFor: 'nobody' | 'publishers' | 'everyone';
  /** Where the rule would refuse this session: the providers that would let the user in. */
  providers: { id: string; name: string; kind: 'oidc' | 'saml' }[];
}

export function systemContext(name: string, orgId?: string, correlationId = `system:${name}`): RequestContext {
  return {
    correlationId,
    ip: undefined,
    userAgent: undefined,
    actor: { type: 'system', name },
    orgId,
    roles: [],
    permissions: new Set(),
  };
}

/** A signed-in user's context; the pipeline guarantees it on non-public routes. */
export function userOf(ctx: RequestContext): { id: string; sessionId: string } {
  if (ctx.actor?.type !== 'user') throw new Error('route requires a signed-in user');
  return ctx.actor;
}

export function orgOf(ctx: RequestContext): string {
  if (!ctx.orgId) throw new Error('route requires an organisation context');
  return ctx.orgId;
}
