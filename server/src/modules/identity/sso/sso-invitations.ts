import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../../platform/context/request-context.js';
import { Transactor } from '../../../platform/database/transactor.js';
import { EventOutbox } from '../../../platform/events/event-outbox.js';
import { AuditService } from '../../audit/audit.service.js';
import { normaliseEmail } from '../auth.service.js';
import { identityError } from '../identity.errors.js';
import { InvitationsRepository } from '../invitations.repository.js';
import { assertPending } from '../invitations.service.js';
import { MembershipsRepository } from '../memberships.repository.js';
import { UsersRepository } from '../users.repository.js';
import type { IdentityProvider } from './identity-providers.repository.js';
import { SsoIdentitiesRepository } from './sso-identities.repository.js';
import type { SsoIdentity } from './sso.service.js';

/** Stored for accounts created by SSO: not an argon2 hash, so no password ever matches it. */
export const NO_PASSWORD = '!sso-only';

/**
 * Accepting an invitation by signing in at a provider: the way in where the subtree requires SSO
 * of the invited role (a password is refused there). The provider must vouch for the invited
 * email. The account is the one the identity is linked to, or a new one (the admin's invitation
 * stands in for just-in-time creation); an existing account by that email that is not linked
 * must link first, as at any SSO sign-in: never a second account, never a silent attachment.
 */
@Injectable()
export class SsoInvitations {
  constructor(
    private readonly tx: Transactor,
    private readonly invitations: InvitationsRepository,
    private readonly identities: SsoIdentitiesRepository,
    private readonly users: UsersRepository,
    private readonly memberships: MembershipsRepository,
    private readonly audit: AuditService,
    private readonly events: EventOutbox,
  ) {}

  /** The invitation a token names, pending, for the start of its SSO sign-in (bypass). */
  async pendingByToken(tokenHash: Buffer): Promise<{ id: string; orgId: string }> {
    const inv = await this.invitations.findByTokenHash(tokenHash);
    if (!inv) throw identityError('invitation_not_found', 'This invitation link is not valid');
    assertPending(inv);
    return { id: inv.id, orgId: inv.orgId };
  }

  async accept(ctx: RequestContext, provider: IdentityProvider, invitationId: string, identity: SsoIdentity): Promise<{ userId: string; orgId: string }> {
    return this.tx.withTenantBypass('an SSO sign-in that accepts an invitation names it in its server-side record', async () => {
      const inv = await this.invitations.lockById(invitationId);
      if (!inv) throw identityError('invitation_not_found', 'This invitation link is not valid');
      assertPending(inv);
      if (normaliseEmail(identity.email ?? '') !== inv.email) {
        throw identityError('sso_invitation_mismatch', 'The identity provider signed in someone other than the person invited');
      }
      let userId = await this.identities.findUserBySubject(provider.id, identity.subject);
      const newAccount = !userId;
      if (!userId) {
        if (await this.users.findByEmail(inv.email)) {
          throw identityError('sso_link_required', 'An account with this email exists: sign in with it, link this identity from your settings, then accept');
        }
        const name = typeof identity.claims.name === 'string' && identity.claims.name.trim() ? identity.claims.name.trim().slice(0, 200) : inv.email.split('@')[0]!;
        userId = (await this.users.insert({ email: inv.email, displayName: name, passwordHash: NO_PASSWORD })).id;
        await this.identities.link({ userId, providerId: provider.id, subject: identity.subject, email: inv.email });
      }
      if ((await this.users.findById(userId))?.status !== 'active') throw identityError('account_inactive', 'This account is deactivated');
      if (await this.memberships.findRole(inv.orgId, userId)) throw identityError('already_member', 'You are already a member');
      await this.memberships.insert(inv.orgId, userId, inv.role);
      await this.invitations.markAccepted(inv.id, userId);
      const actorCtx: RequestContext = { ...ctx, orgId: inv.orgId, actor: { type: 'user', id: userId, sessionId: '' } };
      const after = { userId, role: inv.role, newAccount, via: provider.kind, providerId: provider.id };
      await this.audit.record(actorCtx, { action: 'invitation.accepted', targetType: 'invitation', targetId: inv.id, after });
      await this.events.emit(
        actorCtx,
        'identity.invitation_accepted',
        { invitationId: inv.id, userId, role: inv.role, newAccount },
        { aggregateType: 'invitation', aggregateId: inv.id },
      );
      return { userId, orgId: inv.orgId };
    });
  }
}
