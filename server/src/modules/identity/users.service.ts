import { Injectable } from '@nestjs/common';
import { highestRank, permissionsOf, ROLE_RANK, type Role } from '../../platform/access/permissions.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import { orgOf, userOf, type RequestContext } from '../../platform/context/request-context.js';
import { AuditService } from '../audit/audit.service.js';
import { normaliseEmail } from './auth.service.js';
import { FactorsRepository } from './factors.repository.js';
import { identityError } from './identity.errors.js';
import { MembershipsRepository } from './memberships.repository.js';
import { checkPassword, type PasswordProblem } from './password-policy.js';
import { Passwords } from './passwords.js';
import { SessionsRepository } from './sessions.repository.js';
import { UsersRepository } from './users.repository.js';

const PASSWORD_MESSAGES: Record<PasswordProblem, string> = {
  too_short: 'The password must be at least 12 characters long',
  too_long: 'The password must be at most 128 characters long',
  common: 'This password is too common; choose another',
  contains_identity: 'The password must not be based on your name or email',
  repetitive: 'The password must not be a repeated character or a simple sequence',
};

export function assertPasswordAcceptable(password: string, identity: { email?: string; displayName?: string }): void {
  const problem = checkPassword(password, identity);
  if (problem) throw identityError('weak_password', PASSWORD_MESSAGES[problem], { reason: problem });
}

/** Members of an organisation: who they are, their role, whether they may sign in. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly memberships: MembershipsRepository,
    private readonly sessions: SessionsRepository,
    private readonly passwords: Passwords,
    private readonly audit: AuditService,
    private readonly events: EventOutbox,
    private readonly factors: FactorsRepository,
  ) {}

  async me(ctx: RequestContext) {
    const { id } = userOf(ctx);
    const user = await this.users.findById(id);
    if (!user) throw identityError('user_not_found', 'No such user');
    const memberships = await this.memberships.listForUser(id);
    return {
      user: { id: user.id, email: user.email, displayName: user.displayName, locale: user.locale },
      organisation: { id: orgOf(ctx), roles: [...ctx.roles] as Role[], permissions: [...permissionsOf(ctx.roles)] },
      memberships: memberships.map((m) => ({ organisationId: m.orgId, name: m.orgName, parentId: m.parentId, role: m.role })),
    };
  }

  listMembers(ctx: RequestContext) {
    return this.memberships.listMembers(orgOf(ctx));
  }

  async changeRole(ctx: RequestContext, userId: string, role: Role): Promise<void> {
    const orgId = orgOf(ctx);
    const current = await this.guardTarget(ctx, userId);
    if (ROLE_RANK[role] > highestRank(ctx.roles)) throw identityError('role_too_high', 'You cannot grant a role above your own');
    if (current === role) return;
    if (current === 'owner') await this.assertNotLastOwner(orgId, userId);
    await this.memberships.updateRole(orgId, userId, role);
    await this.audit.record(ctx, { action: 'membership.role_changed', targetType: 'user', targetId: userId, before: { role: current }, after: { role } });
    await this.events.emit(ctx, 'identity.membership_role_changed', { userId, from: current, to: role }, { aggregateType: 'user', aggregateId: userId });
  }

  async removeMember(ctx: RequestContext, userId: string): Promise<void> {
    const orgId = orgOf(ctx);
    const current = await this.guardTarget(ctx, userId);
    if (current === 'owner') await this.assertNotLastOwner(orgId, userId);
    await this.memberships.delete(orgId, userId);
    await this.audit.record(ctx, { action: 'membership.removed', targetType: 'user', targetId: userId, before: { role: current } });
  }

  async setActive(ctx: RequestContext, userId: string, active: boolean): Promise<void> {
    const current = await this.guardTarget(ctx, userId);
    // An account is global: only an admin whose organisation covers all of its memberships
    // may switch it off or on.
    if ((await this.memberships.standing(userId, orgOf(ctx))).outsideSubtree) {
      throw identityError('user_outside_scope', 'This user also belongs to organisations outside yours; ask an admin above them');
    }
    if (!active && current === 'owner') await this.assertNotLastOwner(orgOf(ctx), userId);
    const user = await this.users.findById(userId);
    const status = active ? 'active' : 'deactivated';
    if (!user || user.status === status) return;
    await this.users.setStatus(userId, status);
    // Every request and refresh checks the status, so this takes effect at once; ending the
    // sessions too means reactivation starts from a fresh sign-in, not from old tokens.
    const sessionsEnded = active ? 0 : await this.sessions.revokeEverywhere(userId, 'user_deactivated');
    await this.audit.record(ctx, {
      action: active ? 'user.reactivated' : 'user.deactivated',
      targetType: 'user',
      targetId: userId,
      before: { status: user.status },
      after: { status, ...(active ? {} : { sessionsEnded }) },
    });
    const aggregate = { aggregateType: 'user', aggregateId: userId };
    if (active) await this.events.emit(ctx, 'identity.user_reactivated', { userId }, aggregate);
    else await this.events.emit(ctx, 'identity.user_deactivated', { userId, sessionsEnded }, aggregate);
  }

  /**
   * An admin removes a member's second factors (a lost phone): their sessions end, and the
   * next sign-in asks them to enrol again if a policy requires it. Never one's own: that would
   * be a way round the factor for whoever holds an admin's session.
   */
  async resetFactors(ctx: RequestContext, userId: string): Promise<void> {
    await this.guardTarget(ctx, userId);
    const removed = await this.factors.resetAll(userId);
    const sessionsEnded = await this.sessions.revokeEverywhere(userId, 'second_factors_reset');
    await this.audit.record(ctx, { action: 'user.mfa_reset', targetType: 'user', targetId: userId, after: { factorsRemoved: removed, sessionsEnded } });
    await this.events.emit(ctx, 'identity.second_factors_reset', { userId, sessionsEnded }, { aggregateType: 'user', aggregateId: userId });
  }

  async changeOwnPassword(ctx: RequestContext, currentPassword: string, newPassword: string): Promise<void> {
    const { id, sessionId } = userOf(ctx);
    const user = await this.users.findById(id);
    const ok = await this.passwords.verify(await this.users.findPasswordHash(id), currentPassword);
    if (!user || !ok) throw identityError('invalid_credentials', 'The current password is incorrect');
    assertPasswordAcceptable(newPassword, { email: user.email, displayName: user.displayName });
    await this.users.updateOwnPassword(await this.passwords.hash(newPassword));
    const ended = await this.sessions.revokeAllForUser(id, 'password_changed', sessionId);
    await this.audit.record(ctx, { action: 'user.password_changed', targetType: 'user', targetId: id, after: { otherSessionsEnded: ended } });
  }

  /**
   * A first owner's credentials, checked against the password policy and hashed. Hashing is
   * slow, so setup does it before its transaction opens.
   */
  async prepareOwner(input: { email: string; password: string; displayName?: string | undefined }): Promise<{ email: string; displayName: string; passwordHash: string }> {
    const email = normaliseEmail(input.email);
    const displayName = input.displayName ?? email.split('@')[0]!;
    assertPasswordAcceptable(input.password, { email, displayName });
    return { email, displayName, passwordHash: await this.passwords.hash(input.password) };
  }

  /** The user, made owner of a new organisation; setup audits the whole first start. */
  async addOwner(orgId: string, owner: { email: string; displayName: string; passwordHash: string }): Promise<{ id: string }> {
    const user = await this.users.insert(owner);
    await this.memberships.insert(orgId, user.id, 'owner');
    return user;
  }

  /** The target must be a direct member here, not the caller, and not above the caller. */
  private async guardTarget(ctx: RequestContext, userId: string): Promise<Role> {
    if (userOf(ctx).id === userId) throw identityError('cannot_change_self', 'You cannot change your own membership');
    const role = await this.memberships.findRole(orgOf(ctx), userId);
    if (!role) throw identityError('user_not_found', 'No such member in this organisation');
    // Rank counts what the target holds here through parents too: a mission admin cannot touch
    // a ministry owner who also has a small role at the mission.
    const { roles } = await this.memberships.standing(userId, orgOf(ctx));
    if (highestRank(roles) > highestRank(ctx.roles)) throw identityError('role_too_high', 'You cannot change a member ranked above you');
    return role;
  }

  private async assertNotLastOwner(orgId: string, userId: string): Promise<void> {
    const owners = await this.memberships.lockOwners(orgId);
    if (owners.length === 1 && owners[0] === userId) {
      throw identityError('last_owner', 'An organisation must keep at least one owner');
    }
  }
}
