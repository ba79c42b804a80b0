import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { orgOf, userOf, type RequestContext } from '../../../platform/context/request-context.js';
import { SecretBox } from '../../../platform/crypto/secret-box.js';
import { AuditService } from '../../audit/audit.service.js';
import { identityError } from '../identity.errors.js';
import { IdentityProvidersRepository, type IdentityProvider, idpSecretContext } from './identity-providers.repository.js';
import { CreateIdentityProviderBody } from './sso.dto.js';
import { SsoService } from './sso.service.js';

/** An organisation's OIDC providers: configured where set, used by that organisation and those below. */
@Injectable()
export class IdentityProvidersService {
  constructor(
    private readonly providers: IdentityProvidersRepository,
    private readonly sso: SsoService,
    private readonly audit: AuditService,
    @Inject(SecretBox) private readonly box: SecretBox,
  ) {}

  async list(ctx: RequestContext) {
    const orgId = orgOf(ctx);
    return { items: (await this.providers.onPath(orgId)).map((p) => this.view(p, orgId)) };
  }

  async create(ctx: RequestContext, input: z.infer<typeof CreateIdentityProviderBody>) {
    const orgId = orgOf(ctx);
    const id = randomUUID();
    const provider = await this.providers.insert(
      orgId,
      id,
      {
        name: input.name,
        issuer: input.issuer,
        clientId: input.clientId,
        clientSecretSealed: this.box.seal(input.clientSecret, idpSecretContext(id)),
        allowedDomains: input.allowedDomains,
        roleMapping: input.roleMapping ?? {},
        defaultRole: input.defaultRole ?? null,
        jitEnabled: input.jitEnabled,
      },
      userOf(ctx).id,
    );
    const after = { name: input.name, issuer: input.issuer, clientId: input.clientId, allowedDomains: input.allowedDomains, jitEnabled: input.jitEnabled };
    await this.audit.record(ctx, { action: 'identity_provider.created', targetType: 'identity_provider', targetId: id, after });
    return this.view(provider, orgId);
  }

  async remove(ctx: RequestContext, id: string): Promise<void> {
    if (!(await this.providers.delete(orgOf(ctx), id))) throw identityError('identity_provider_not_found', 'No such identity provider here');
    await this.audit.record(ctx, { action: 'identity_provider.deleted', targetType: 'identity_provider', targetId: id });
  }

  private view(p: IdentityProvider, orgId: string) {
    return {
      id: p.id,
      organisationId: p.orgId,
      inherited: p.orgId !== orgId,
      name: p.name,
      issuer: p.issuer,
      clientId: p.clientId,
      allowedDomains: p.allowedDomains,
      roleMapping: p.roleMapping,
      defaultRole: p.defaultRole,
      jitEnabled: p.jitEnabled,
      redirectUri: this.sso.redirectUri(),
      createdAt: p.createdAt.toISOString(),
    };
  }
}
