import { Inject, Injectable } from '@nestjs/common';
import type { Config } from '../../platform/config/config.js';
import { CONFIG } from '../../platform/config/config.tokens.js';
import { randomToken, safeEqual, sha256 } from '../../platform/crypto/tokens.js';
import { Transactor } from '../../platform/database/transactor.js';
import { defineErrors } from '../../platform/errors/app-error.js';
import { systemContext, type RequestContext } from '../../platform/context/request-context.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import { AuditService } from '../audit/audit.service.js';
import { UsersService } from '../identity/users.service.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { SetupRepository } from './setup.repository.js';

export const setupError = defineErrors({ setup_done: 409, setup_token_invalid: 403 });

export interface SetupInput {
  organisationName: string;
  email: string;
  password: string;
  displayName?: string | undefined;
}

/**
 * First start: an empty database gets its first organisation and owner, either from the
 * GUDDU_BOOTSTRAP_* settings or through POST /api/v1/setup with a one-time token printed at
 * start. Either way it can happen once.
 */
@Injectable()
export class SetupService {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: SetupRepository,
    private readonly orgs: OrganisationsService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** Called at start. Returns the setup token when one was issued (for printing). */
  async prepare(): Promise<string | undefined> {
    const done = await this.tx.withTenantBypass('first-start setup', () => this.orgs.anyExists());
    if (done) return undefined;
    if (this.config.bootstrap) {
      const b = this.config.bootstrap;
      await this.provision(systemContext('bootstrap'), { organisationName: b.organisation, email: b.email, password: b.password });
      this.log.info({ organisation: b.organisation, email: b.email }, 'bootstrap organisation and owner created');
      return undefined;
    }
    const token = randomToken(24);
    await this.tx.withTenantBypass('first-start setup', () => this.repo.saveToken(sha256(token)));
    return token;
  }

  async completeWithToken(ctx: RequestContext, token: string, input: SetupInput) {
    const stored = await this.tx.withTenantBypass('first-start setup', () => this.repo.lock());
    if (stored?.completedAt) throw setupError('setup_done', 'Guddu is already set up');
    if (!stored?.tokenHash || !safeEqual(stored.tokenHash, sha256(token))) {
      throw setupError('setup_token_invalid', 'The setup token is not valid; use the one printed at start');
    }
    return this.provision(ctx, input);
  }

  private async provision(ctx: RequestContext, input: SetupInput) {
    const owner = await this.users.prepareOwner(input);
    return this.tx.withTenantBypass('first-start setup', async () => {
      const state = await this.repo.lock();
      if (state?.completedAt || (await this.orgs.anyExists())) throw setupError('setup_done', 'Guddu is already set up');
      const org = await this.orgs.createFirst(input.organisationName);
      const user = await this.users.addOwner(org.id, owner);
      await this.repo.markCompleted();
      await this.audit.record(
        { ...ctx, orgId: org.id },
        { action: 'setup.completed', targetType: 'organisation', targetId: org.id, after: { name: org.name, ownerId: user.id, ownerEmail: owner.email } },
      );
      return { organisationId: org.id, userId: user.id };
    });
  }
}
