import { Injectable } from '@nestjs/common';
import { ssoRequired, ssoSatisfied } from '../../platform/auth/sso-rule.js';
import { orgOf, userOf, type RequestContext } from '../../platform/context/request-context.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import { AuditService } from '../audit/audit.service.js';
import { FactorsRepository } from './factors.repository.js';
import { hasFactor } from './second-factors.js';
import { identityError } from './identity.errors.js';
import type { MfaRequiredFor } from './identity.tables.js';
import { SignInPolicyRepository, type SignInPolicy } from './sign-in-policy.repository.js';
import { IdentityProvidersRepository } from './sso/identity-providers.repository.js';
import { strictestSso } from './sso-requirement.js';

const LEVEL: Record<MfaRequiredFor, number> = { nobody: 0, publishers: 1, everyone: 2 };
const DEFAULT_STEP_UP_MINUTES = 10;

export interface SignInPolicyInput {
  mfaRequiredFor: MfaRequiredFor;
  ssoRequiredFor?: MfaRequiredFor | undefined;
  stepUpMinutes?: number | undefined;
}

/**
 * What an organisation requires at sign-in of everyone in its subtree. The request pipeline
 * enforces it (platform/auth/second-factor-rule.ts and sso-rule.ts, through
 * guddu_request_context); the doors that open sessions check the SSO rule too (SsoRequirement).
 * This service only reads and sets it.
 */
@Injectable()
export class SignInPolicyService {
  constructor(
    private readonly policies: SignInPolicyRepository,
    private readonly factors: FactorsRepository,
    private readonly providers: IdentityProvidersRepository,
    private readonly audit: AuditService,
    private readonly events: EventOutbox,
  ) {}

  async inForce(ctx: RequestContext) {
    const orgId = orgOf(ctx);
    const path = await this.policies.onPath(orgId);
    return { own: view(path.find((p) => p.orgId === orgId)), effective: effective(path) };
  }

  /**
   * Sets this organisation's own rule. Whoever asks for a second factor must have one, and
   * whoever requires SSO must have come in through it, where a provider on the path can let
   * members in: an owner cannot put the organisation behind a door they hold no key to.
   */
  async set(ctx: RequestContext, input: SignInPolicyInput) {
    const orgId = orgOf(ctx);
    const { id } = userOf(ctx);
    if (input.mfaRequiredFor !== 'nobody' && !hasFactor(await this.factors.enrolled(id))) {
      throw identityError('mfa_enrol_first', 'Enrol a second factor yourself before requiring one of others');
    }
    const before = (await this.policies.onPath(orgId)).find((p) => p.orgId === orgId);
    const ssoRequiredFor = input.ssoRequiredFor ?? before?.ssoRequiredFor ?? 'nobody';
    if (ssoRequiredFor !== 'nobody') await this.assertSsoCanLetMembersIn(ctx, orgId, ssoRequiredFor);
    const stepUpMinutes = input.stepUpMinutes ?? before?.stepUpMinutes ?? DEFAULT_STEP_UP_MINUTES;
    await this.policies.upsert(orgId, { mfaRequiredFor: input.mfaRequiredFor, ssoRequiredFor, stepUpMinutes, updatedBy: id });
    const after = { mfaRequiredFor: input.mfaRequiredFor, ssoRequiredFor, stepUpMinutes };
    await this.audit.record(ctx, {
      action: 'sign_in_policy.updated',
      targetType: 'organisation',
      targetId: orgId,
      before: before ? { mfaRequiredFor: before.mfaRequiredFor, ssoRequiredFor: before.ssoRequiredFor, stepUpMinutes: before.stepUpMinutes } : null,
      after,
    });
    await this.events.emit(ctx, 'identity.sign_in_policy_changed', after, { aggregateType: 'organisation', aggregateId: orgId });
    return this.inForce(ctx);
  }

  /**
   * Break-glass (the operator's `guddu clear-sso-requirement`): this organisation's own SSO rule
   * back to nobody, whatever the providers do. Call in the organisation's tenant; audited as
   * the system actor of `ctx`. Returns whether there was a rule to clear.
   */
  async clearSsoRequirement(ctx: RequestContext): Promise<boolean> {
    const orgId = orgOf(ctx);
    const before = (await this.policies.onPath(orgId)).find((p) => p.orgId === orgId);
    if (!before || before.ssoRequiredFor === 'nobody') return false;
    await this.policies.upsert(orgId, { mfaRequiredFor: before.mfaRequiredFor, ssoRequiredFor: 'nobody', stepUpMinutes: before.stepUpMinutes, updatedBy: null });
    const after = { mfaRequiredFor: before.mfaRequiredFor, ssoRequiredFor: 'nobody' as const, stepUpMinutes: before.stepUpMinutes };
    await this.audit.record(ctx, {
      action: 'sign_in_policy.sso_requirement_cleared',
      targetType: 'organisation',
      targetId: orgId,
      before: { ssoRequiredFor: before.ssoRequiredFor },
      after: { ssoRequiredFor: 'nobody' },
    });
    await this.events.emit(ctx, 'identity.sign_in_policy_changed', after, { aggregateType: 'organisation', aggregateId: orgId });
    return true;
  }

  private async assertSsoCanLetMembersIn(ctx: RequestContext, orgId: string, rule: MfaRequiredFor): Promise<void> {
    if ((await this.providers.onPath(orgId)).length === 0) {
      throw identityError('sso_provider_missing', 'Add an identity provider (OIDC or SAML) here or above before requiring single sign-on');
    }
    // The rule would refuse the very session setting it: prove the provider lets you in first.
    if (ssoRequired(rule, ctx.permissions) && !ssoSatisfied(ctx.sso)) {
      throw identityError('sso_sign_in_first', 'Sign in through the identity provider yourself before requiring it of others');
    }
  }
}

function view(p: SignInPolicy | undefined) {
  return p
    ? { mfaRequiredFor: p.mfaRequiredFor, ssoRequiredFor: p.ssoRequiredFor, stepUpMinutes: p.stepUpMinutes, revision: p.revision, updatedAt: p.updatedAt.toISOString() }
    : null;
}

/** The strictest rules on the path, as guddu_request_context computes them for every request. */
function effective(path: SignInPolicy[]) {
  let mfaRequiredFor: MfaRequiredFor = 'nobody';
  let setBy: string | null = null;
  for (const p of path) {
    if (LEVEL[p.mfaRequiredFor] > LEVEL[mfaRequiredFor]) {
      mfaRequiredFor = p.mfaRequiredFor;
      setBy = p.orgId;
    }
  }
  const stepUpMinutes = path.length ? Math.min(...path.map((p) => p.stepUpMinutes)) : DEFAULT_STEP_UP_MINUTES;
  const sso = strictestSso(path);
  return { mfaRequiredFor, stepUpMinutes, setBy, ssoRequiredFor: sso.ssoRequiredFor, ssoSetBy: sso.setBy };
}
