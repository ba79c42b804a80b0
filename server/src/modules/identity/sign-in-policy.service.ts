import { Injectable } from '@nestjs/common';
import { orgOf, userOf, type RequestContext } from '../../platform/context/request-context.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import { AuditService } from '../audit/audit.service.js';
import { FactorsRepository } from './factors.repository.js';
import { hasFactor } from './second-factors.js';
import { identityError } from './identity.errors.js';
import type { MfaRequiredFor } from './identity.tables.js';
import { SignInPolicyRepository, type SignInPolicy } from './sign-in-policy.repository.js';

const LEVEL: Record<MfaRequiredFor, number> = { nobody: 0, publishers: 1, everyone: 2 };
const DEFAULT_STEP_UP_MINUTES = 10;

export interface SignInPolicyInput {
  mfaRequiredFor: MfaRequiredFor;
  stepUpMinutes?: number | undefined;
}

/**
 * What an organisation requires at sign-in of everyone in its subtree. The request pipeline
 * enforces it (platform/auth/second-factor-rule.ts, through guddu_request_context); this
 * service only reads and sets it.
 */
@Injectable()
export class SignInPolicyService {
  constructor(
    private readonly policies: SignInPolicyRepository,
    private readonly factors: FactorsRepository,
    private readonly audit: AuditService,
    private readonly events: EventOutbox,
  ) {}

  async inForce(ctx: RequestContext) {
    const orgId = orgOf(ctx);
    const path = await this.policies.onPath(orgId);
    return { own: view(path.find((p) => p.orgId === orgId)), effective: effective(path) };
  }

  /**
   * Sets this organisation's own rule. Whoever asks for a second factor must have one: an owner
   * cannot put the organisation behind a door they hold no key to.
   */
  async set(ctx: RequestContext, input: SignInPolicyInput) {
    const orgId = orgOf(ctx);
    const { id } = userOf(ctx);
    if (input.mfaRequiredFor !== 'nobody' && !hasFactor(await this.factors.enrolled(id))) {
      throw identityError('mfa_enrol_first', 'Enrol a second factor yourself before requiring one of others');
    }
    const before = (await this.policies.onPath(orgId)).find((p) => p.orgId === orgId);
    const stepUpMinutes = input.stepUpMinutes ?? before?.stepUpMinutes ?? DEFAULT_STEP_UP_MINUTES;
    await this.policies.upsert(orgId, { mfaRequiredFor: input.mfaRequiredFor, stepUpMinutes, updatedBy: id });
    const after = { mfaRequiredFor: input.mfaRequiredFor, stepUpMinutes };
    await this.audit.record(ctx, {
      action: 'sign_in_policy.updated',
      targetType: 'organisation',
      targetId: orgId,
      before: before ? { mfaRequiredFor: before.mfaRequiredFor, stepUpMinutes: before.stepUpMinutes } : null,
      after,
    });
    await this.events.emit(ctx, 'identity.sign_in_policy_changed', after, { aggregateType: 'organisation', aggregateId: orgId });
    return this.inForce(ctx);
  }
}

function view(p: SignInPolicy | undefined) {
  return p ? { mfaRequiredFor: p.mfaRequiredFor, stepUpMinutes: p.stepUpMinutes, revision: p.revision, updatedAt: p.updatedAt.toISOString() } : null;
}

/** The strictest rule on the path, as guddu_request_context computes it for every request. */
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
  return { mfaRequiredFor, stepUpMinutes, setBy };
}
