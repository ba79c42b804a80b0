import { Injectable } from '@nestjs/common';
import type { Role } from '../../platform/access/permissions.js';
import { Transactor } from '../../platform/database/transactor.js';
import { systemContext } from '../../platform/context/request-context.js';
import { AuditService } from '../audit/audit.service.js';
import { normaliseEmail } from './auth.service.js';
import { FactorsRepository } from './factors.repository.js';
import { identityError } from './identity.errors.js';
import { MembershipsRepository } from './memberships.repository.js';
import { Passwords } from './passwords.js';
import { SessionsRepository } from './sessions.repository.js';
import { UsersRepository } from './users.repository.js';
import { assertPasswordAcceptable } from './users.service.js';

/**
 * Operator tasks run from the CLI on the server itself, as the system actor. They apply the
 * same password policy and write the same audit events as the API.
 */
@Injectable()
export class AdminService {
  constructor(
    private readonly tx: Transactor,
    private readonly users: UsersRepository,
    private readonly memberships: MembershipsRepository,
    private readonly sessions: SessionsRepository,
    private readonly passwords: Passwords,
    private readonly audit: AuditService,
    private readonly factors: FactorsRepository,
  ) {}

  async createUser(orgId: string, input: { email: string; password: string; role: Role; displayName?: string | undefined }) {
    const email = normaliseEmail(input.email);
    const displayName = input.displayName ?? email.split('@')[0]!;
    assertPasswordAcceptable(input.password, { email, displayName });
    const passwordHash = await this.passwords.hash(input.password);
    const ctx = systemContext('cli', orgId);
    return this.tx.withTenantBypass('operator command', async () => {
      if (await this.users.findByEmail(email)) throw identityError('email_taken', `${email} already has an account`);
      const user = await this.users.insert({ email, displayName, passwordHash });
      await this.memberships.insert(orgId, user.id, input.role);
      await this.audit.record(ctx, { action: 'user.created', targetType: 'user', targetId: user.id, after: { email, role: input.role } });
      return { userId: user.id, organisationId: orgId, role: input.role };
    });
  }

  async resetPassword(emailInput: string, password: string) {
    const email = normaliseEmail(emailInput);
    return this.tx.withTenantBypass('operator command', async () => {
      const user = await this.users.findByEmail(email);
      if (!user) throw identityError('user_not_found', `no account for ${email}`);
      assertPasswordAcceptable(password, { email, displayName: user.displayName });
      await this.users.setPassword(user.id, await this.passwords.hash(password));
      const ended = await this.sessions.revokeAllForUser(user.id, 'password_reset');
      for (const m of await this.memberships.listForUser(user.id)) {
        await this.audit.record(systemContext('cli', m.orgId), {
          action: 'user.password_reset',
          targetType: 'user',
          targetId: user.id,
          after: { sessionsEnded: ended },
        });
      }
      return { userId: user.id, sessionsEnded: ended };
    });
  }

  /** A lost authenticator with no admin left to reset it (the last owner's, say). */
  async resetFactors(emailInput: string) {
    const email = normaliseEmail(emailInput);
    return this.tx.withTenantBypass('operator command', async () => {
      const user = await this.users.findByEmail(email);
      if (!user) throw identityError('user_not_found', `no account for ${email}`);
      const removed = await this.factors.resetAll(user.id);
      const ended = await this.sessions.revokeAllForUser(user.id, 'second_factors_reset');
      for (const m of await this.memberships.listForUser(user.id)) {
        await this.audit.record(systemContext('cli', m.orgId), {
          action: 'user.mfa_reset',
          targetType: 'user',
          targetId: user.id,
          after: { factorsRemoved: removed, sessionsEnded: ended },
        });
      }
      return { userId: user.id, factorsRemoved: removed, sessionsEnded: ended };
    });
  }
}
