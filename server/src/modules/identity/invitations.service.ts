import { Inject, Injectable } from '@nestjs/common';
import { highestRank, ROLE_RANK, type Role } from '../../platform/access/permissions.js';
import type { Config } from '../../platform/config/config.js';
import { CONFIG } from '../../platform/config/config.tokens.js';
import { randomToken, sha256 } from '../../platform/crypto/tokens.js';
import { Transactor } from '../../platform/database/transactor.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import { orgOf, userOf, type RequestContext } from '../../platform/context/request-context.js';
import { AuditService } from '../audit/audit.service.js';
import { normaliseEmail } from './auth.service.js';
import { identityError } from './identity.errors.js';
import { InvitationsRepository, type InvitationRecord } from './invitations.repository.js';
import { LoginThrottle } from './login-throttle.js';
import { MembershipsRepository } from './memberships.repository.js';
import { Passwords } from './passwords.js';
import { SsoRequirement } from './sso-requirement.js';
import { UsersRepository } from './users.repository.js';
import { assertPasswordAcceptable } from './users.service.js';

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export function invitationStatus(inv: InvitationRecord, now = new Date()): InvitationStatus {
  if (inv.acceptedAt) return 'accepted';
  if (inv.revokedAt) return 'revoked';
  return inv.expiresAt <= now ? 'expired' : 'pending';
}

/** Invitations by token link: an admin invites an email with a role; the invitee accepts. */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly tx: Transactor,
    private readonly invitations: InvitationsRepository,
    private readonly users: UsersRepository,
    private readonly memberships: MembershipsRepository,
    private readonly passwords: Passwords,
    private readonly throttle: LoginThrottle,
    private readonly ssoRule: SsoRequirement,
    private readonly audit: AuditService,
    private readonly events: EventOutbox,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async create(ctx: RequestContext, input: { email: string; role: Role }) {
    const orgId = orgOf(ctx);
    const email = normaliseEmail(input.email);
    if (ROLE_RANK[input.role] > highestRank(ctx.roles)) throw identityError('role_too_high', 'You cannot invite someone to a role above your own');
    const existing = await this.users.findByEmail(email);
    if (existing && (await this.memberships.findRole(orgId, existing.id))) {
      throw identityError('already_member', 'This person is already a member of the organisation');
    }
    const token = randomToken();
    const inv = await this.invitations.insert({
      orgId,
      email,
      role: input.role,
      tokenHash: sha256(token),
      invitedBy: userOf(ctx).id,
      expiresAt: new Date(Date.now() + this.config.invitationTtlSeconds * 1000),
    });
    await this.audit.record(ctx, { action: 'invitation.created', targetType: 'invitation', targetId: inv.id, after: { email, role: input.role } });
    await this.events.emit(ctx, 'identity.invitation_created', { invitationId: inv.id, role: input.role }, { aggregateType: 'invitation', aggregateId: inv.id });
    return { invitation: inv, token, acceptUrl: `${this.config.publicUrl}/invitations/accept#token=${token}` };
  }

  list(ctx: RequestContext): Promise<InvitationRecord[]> {
    return this.invitations.list(orgOf(ctx));
  }

  async revoke(ctx: RequestContext, id: string): Promise<void> {
    const inv = await this.invitations.findById(orgOf(ctx), id);
    if (!inv) throw identityError('invitation_not_found', 'No such invitation');
    if (invitationStatus(inv) !== 'pending') throw identityError('invitation_used', 'Only a pending invitation can be revoked');
    await this.invitations.markRevoked(inv.orgId, id);
    await this.audit.record(ctx, { action: 'invitation.revoked', targetType: 'invitation', targetId: id });
  }

  /**
   * Accepts by token. A new email gets an account with the given password; an existing account
   * must prove itself with its own password. Public: the token names the tenant.
   */
  async accept(ctx: RequestContext, input: { token: string; password: string; displayName?: string | undefined }) {
    const tokenHash = sha256(input.token);
    // 1. Look up the invitation and the account, then do the slow password work outside a transaction.
    const found = await this.tx.withTenantBypass('an invitation token names its own tenant', async () => {
      const inv = await this.invitations.findByTokenHash(tokenHash);
      if (!inv) return undefined;
      assertPending(inv);
      // Where the subtree requires SSO of the invited role, a password accepts nothing: the
      // invitee accepts by signing in at a provider (POST /auth/sso/start with the token).
      const account = await this.users.findCredentialsByEmail(inv.email);
      const held = account ? await this.memberships.effectiveRoles(account.id, inv.orgId) : [];
      const ssoRefused = await this.ssoRule.refusalFor(inv.orgId, [...held, inv.role], inv.email);
      if (ssoRefused) return { inv, account, refused: ssoRefused };
      // Checking an existing account's password is a sign-in by another door: without the same
      // limits, anyone who can invite an email could guess its password here without end.
      const refused = account ? await this.throttle.admit(inv.email, ctx.ip) : undefined;
      return { inv, account, refused };
    });
    if (!found) throw identityError('invitation_not_found', 'This invitation link is not valid');
    if (found.refused) throw found.refused;
    let newHash: string | undefined;
    if (found.account) {
      if (!(await this.passwords.verify(found.account.passwordHash, input.password))) {
        throw identityError('invalid_credentials', 'Enter the password of your existing account to accept');
      }
    } else {
      if (!input.displayName) throw identityError('display_name_required', 'Give your name to create the account');
      assertPasswordAcceptable(input.password, { email: found.inv.email, displayName: input.displayName });
      newHash = await this.passwords.hash(input.password);
    }
    // 2. Accept under a lock, so a token is used once however many requests race.
    return this.tx.withTenantBypass('an invitation token names its own tenant', async () => {
      const inv = await this.invitations.lockByTokenHash(tokenHash);
      if (!inv) throw identityError('invitation_not_found', 'This invitation link is not valid');
      assertPending(inv);
      const existing = await this.users.findByEmail(inv.email);
      // An account created since step 1 has not proven its password here.
      if (existing && !found.account) throw identityError('email_taken', 'An account with this email was just created; try again');
      if (found.account) await this.throttle.recordSuccess(inv.email);
      const user = existing ?? (await this.users.insert({ email: inv.email, displayName: input.displayName!, passwordHash: newHash! }));
      if (await this.memberships.findRole(inv.orgId, user.id)) throw identityError('already_member', 'You are already a member');
      await this.memberships.insert(inv.orgId, user.id, inv.role);
      await this.invitations.markAccepted(inv.id, user.id);
      const actorCtx: RequestContext = { ...ctx, orgId: inv.orgId, actor: { type: 'user', id: user.id, sessionId: '' } };
      await this.audit.record(actorCtx, {
        action: 'invitation.accepted',
        targetType: 'invitation',
        targetId: inv.id,
        after: { userId: user.id, role: inv.role, newAccount: !found.account },
      });
      await this.events.emit(
        actorCtx,
        'identity.invitation_accepted',
        { invitationId: inv.id, userId: user.id, role: inv.role, newAccount: !found.account },
        { aggregateType: 'invitation', aggregateId: inv.id },
      );
      return { userId: user.id, organisationId: inv.orgId, role: inv.role, newAccount: !found.account };
    });
  }
}

export function assertPending(inv: InvitationRecord): void {
  const status = invitationStatus(inv);
  if (status === 'expired') throw identityError('invitation_expired', 'This invitation has expired; ask for a new one');
  if (status !== 'pending') throw identityError('invitation_used', 'This invitation has already been used or revoked');
}
