import { randomUUID, X509Certificate } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { orgOf, userOf, type RequestContext } from '../../../platform/context/request-context.js';
import { SecretBox } from '../../../platform/crypto/secret-box.js';
import { Transactor } from '../../../platform/database/transactor.js';
import { AuditService } from '../../audit/audit.service.js';
import { identityError } from '../identity.errors.js';
import { IdentityProvidersRepository, type IdentityProvider, idpSecretContext } from './identity-providers.repository.js';
import { checkSsoUrl, normaliseCertificate, parseIdpMetadata } from './saml-metadata.js';
import { SamlServiceProvider } from './saml-sp.js';
import { samlError } from './saml.errors.js';
import { CreateIdentityProviderBody, CreateSamlIdentityProviderBody, UpdateIdentityProviderBody } from './sso.dto.js';
import { SsoService } from './sso.service.js';

/** An organisation's identity providers (OIDC and SAML): configured where set, used by that organisation and those below. */
@Injectable()
export class IdentityProvidersService {
  constructor(
    private readonly providers: IdentityProvidersRepository,
    private readonly tx: Transactor,
    private readonly sso: SsoService,
    private readonly sp: SamlServiceProvider,
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
        kind: 'oidc',
        saml: null,
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

  /** A SAML IdP, from its metadata or from its entity id, SSO URL and certificates. */
  async createSaml(ctx: RequestContext, input: z.infer<typeof CreateSamlIdentityProviderBody>) {
    const orgId = orgOf(ctx);
    const id = randomUUID();
    const idp = input.metadataXml
      ? parseIdpMetadata(input.metadataXml)
      : { entityId: input.entityId!, ssoUrl: checkSsoUrl(input.ssoUrl!), certificates: input.certificates!.map(normaliseCertificate) };
    const saml = { ...idp, idpInitiated: input.idpInitiated, emailAttribute: input.emailAttribute ?? null };
    const provider = await this.providers.insert(
      orgId,
      id,
      {
        kind: 'saml',
        saml,
        name: input.name,
        issuer: null,
        clientId: null,
        clientSecretSealed: null,
        allowedDomains: input.allowedDomains,
        roleMapping: input.roleMapping ?? {},
        defaultRole: input.defaultRole ?? null,
        jitEnabled: input.jitEnabled,
      },
      userOf(ctx).id,
    );
    const after = {
      kind: 'saml',
      name: input.name,
      entityId: idp.entityId,
      ssoUrl: idp.ssoUrl,
      certificateFingerprints: idp.certificates.map(fingerprint),
      idpInitiated: input.idpInitiated,
      allowedDomains: input.allowedDomains,
      jitEnabled: input.jitEnabled,
    };
    await this.audit.record(ctx, { action: 'identity_provider.created', targetType: 'identity_provider', targetId: id, after });
    return this.view(provider, orgId);
  }

  /**
   * Changes an own provider in place, so a certificate rollover or a new domain keeps the
   * identities linked to it (removing and adding again would drop them). Audited before/after.
   */
  async update(ctx: RequestContext, id: string, input: z.infer<typeof UpdateIdentityProviderBody>) {
    const orgId = orgOf(ctx);
    const before = (await this.providers.onPath(orgId)).find((p) => p.id === id && p.orgId === orgId);
    if (!before) throw identityError('identity_provider_not_found', 'No such identity provider here');
    const samlOnly = input.ssoUrl ?? input.certificates ?? input.idpInitiated ?? input.emailAttribute;
    if (before.kind === 'oidc' && samlOnly !== undefined) throw samlError('identity_provider_kind_mismatch', 'That setting is for SAML providers');
    if (before.kind === 'saml' && input.clientSecret !== undefined) throw samlError('identity_provider_kind_mismatch', 'That setting is for OpenID Connect providers');
    const certificates = input.certificates?.map(normaliseCertificate);
    const after = await this.providers.update(orgId, id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.allowedDomains !== undefined ? { allowedDomains: input.allowedDomains } : {}),
      ...(input.roleMapping !== undefined ? { roleMapping: input.roleMapping ?? {} } : {}),
      ...(input.defaultRole !== undefined ? { defaultRole: input.defaultRole } : {}),
      ...(input.jitEnabled !== undefined ? { jitEnabled: input.jitEnabled } : {}),
      ...(input.clientSecret !== undefined ? { clientSecretSealed: this.box.seal(input.clientSecret, idpSecretContext(id)) } : {}),
      ...(input.ssoUrl !== undefined ? { ssoUrl: checkSsoUrl(input.ssoUrl) } : {}),
      ...(certificates ? { certificates } : {}),
      ...(input.idpInitiated !== undefined ? { idpInitiated: input.idpInitiated } : {}),
      ...(input.emailAttribute !== undefined ? { emailAttribute: input.emailAttribute } : {}),
    });
    if (!after) throw identityError('identity_provider_not_found', 'No such identity provider here');
    await this.audit.record(ctx, {
      action: 'identity_provider.updated',
      targetType: 'identity_provider',
      targetId: id,
      before: auditable(before),
      after: { ...auditable(after), ...(input.clientSecret !== undefined ? { clientSecret: 'replaced' } : {}) },
    });
    return this.view(after, orgId);
  }

  /** The sign-in page's choice for an email: names only, whoever asks (bypass: no tenant yet). */
  async forEmail(email: string) {
    const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
    return { items: await this.tx.withTenantBypass('the sign-in page precedes any tenant', () => this.providers.forEmailDomain(domain)) };
  }

  async remove(ctx: RequestContext, id: string): Promise<void> {
    // The last way in for a "require SSO" rule stays until the rule is relaxed (decision 0033).
    const relying = await this.providers.ssoRulesRelyingOn(id);
    if (relying > 0) {
      throw identityError('sso_provider_in_use', 'Single sign-on is required here or below and no other provider could let members in: relax the rule first', { rules: relying });
    }
    if (!(await this.providers.delete(orgOf(ctx), id))) throw identityError('identity_provider_not_found', 'No such identity provider here');
    await this.audit.record(ctx, { action: 'identity_provider.deleted', targetType: 'identity_provider', targetId: id });
  }

  private view(p: IdentityProvider, orgId: string) {
    return {
      id: p.id,
      organisationId: p.orgId,
      inherited: p.orgId !== orgId,
      kind: p.kind,
      name: p.name,
      issuer: p.issuer,
      clientId: p.clientId,
      saml: p.saml && {
        entityId: p.saml.entityId,
        ssoUrl: p.saml.ssoUrl,
        certificateFingerprints: p.saml.certificates.map(fingerprint),
        idpInitiated: p.saml.idpInitiated,
        emailAttribute: p.saml.emailAttribute,
        spEntityId: this.sp.entityId(p.id),
        acsUrl: this.sp.acsUrl(p.id),
        metadataUrl: this.sp.entityId(p.id),
      },
      allowedDomains: p.allowedDomains,
      roleMapping: p.roleMapping,
      defaultRole: p.defaultRole,
      jitEnabled: p.jitEnabled,
      redirectUri: this.sso.redirectUri(),
      createdAt: p.createdAt.toISOString(),
    };
  }
}

const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;

/** What the audit keeps of a provider's settings: never a secret, certificates as fingerprints. */
function auditable(p: IdentityProvider) {
  return {
    name: p.name,
    allowedDomains: p.allowedDomains,
    roleMapping: p.roleMapping,
    defaultRole: p.defaultRole,
    jitEnabled: p.jitEnabled,
    ...(p.saml
      ? { ssoUrl: p.saml.ssoUrl, certificateFingerprints: p.saml.certificates.map(fingerprint), idpInitiated: p.saml.idpInitiated, emailAttribute: p.saml.emailAttribute }
      : {}),
  };
}
