import { randomUUID } from 'node:crypto';
import { Controller, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { KeyStore } from '../../platform/auth/key-store.js';
import { Ctx } from '../../platform/http/ctx.decorator.js';
import { orgOf, type RequestContext } from '../../platform/context/request-context.js';
import { Route } from '../../platform/http/route.decorator.js';
import { AuditService } from '../audit/audit.service.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { identityError } from './identity.errors.js';

const RotatedView = z.object({ keyId: z.string().describe('kid of the new current signing key') });

/**
 * Signing keys serve the whole installation, so only an owner acting in a root organisation
 * (a ministry, not one of its missions) may rotate them.
 */
@Controller('api/v1/admin/signing-keys')
export class SigningKeysController {
  constructor(
    private readonly keys: KeyStore,
    private readonly orgs: OrganisationsService,
    private readonly audit: AuditService,
  ) {}

  @Post('rotate')
  @HttpCode(200)
  @Route({ summary: 'Make a new access-token signing key current', access: 'keys.rotate', tags: ['admin'], response: RotatedView, status: 200, errors: ['root_organisation_only'] })
  async rotate(@Ctx() ctx: RequestContext) {
    const org = await this.orgs.find(orgOf(ctx));
    if (!org || org.parentId !== null) throw identityError('root_organisation_only', 'Rotate keys from the root organisation');
    // Recorded first: if the rotation fails the request fails and the record rolls back with it.
    // The rotation itself commits on its own connection (signing keys are not a tenant's).
    const keyId = randomUUID();
    await this.audit.record(ctx, { action: 'signing_key.rotated', targetType: 'signing_key', targetId: keyId });
    await this.keys.rotate(keyId);
    return { keyId };
  }
}
