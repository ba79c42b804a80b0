import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type { Role } from '../../../platform/access/permissions.js';
import { Transactor } from '../../../platform/database/transactor.js';
import type { RoleMapping } from './sso.tables.js';
import './sso.tables.js';

/** A SAML IdP as configured: who it is, where to send the browser, which keys may sign. */
export interface SamlIdpSettings {
  entityId: string;
  ssoUrl: string;
  certificates: string[];
  idpInitiated: boolean;
  emailAttribute: string | null;
}

export interface IdentityProvider {
  id: string;
  orgId: string;
  orgPath: string[];
  kind: 'oidc' | 'saml';
  name: string;
  /** OIDC only (null for SAML). */
  issuer: string | null;
  clientId: string | null;
  clientSecretSealed: string | null;
  /** SAML only (null for OIDC). */
  saml: SamlIdpSettings | null;
  allowedDomains: string[];
  roleMapping: RoleMapping;
  defaultRole: Role | null;
  jitEnabled: boolean;
  createdAt: Date;
}

const COLUMNS = [
  'id',
  'org_id',
  'org_path',
  'kind',
  'name',
  'issuer',
  'client_id',
  'client_secret_sealed',
  'allowed_domains',
  'role_mapping',
  'default_role',
  'jit_enabled',
  'saml_entity_id',
  'saml_sso_url',
  'saml_certificates',
  'saml_idp_initiated',
  'saml_email_attribute',
  'created_at',
] as const;

type Row = {
  id: string;
  org_id: string;
  org_path: string[];
  kind: 'oidc' | 'saml';
  name: string;
  issuer: string | null;
  client_id: string | null;
  client_secret_sealed: string | null;
  allowed_domains: string[];
  role_mapping: RoleMapping;
  default_role: Role | null;
  jit_enabled: boolean;
  saml_entity_id: string | null;
  saml_sso_url: string | null;
  saml_certificates: string[] | null;
  saml_idp_initiated: boolean;
  saml_email_attribute: string | null;
  created_at: Date;
};
const toProvider = (r: Row): IdentityProvider => ({
  id: r.id,
  orgId: r.org_id,
  orgPath: r.org_path,
  kind: r.kind,
  name: r.name,
  issuer: r.issuer,
  clientId: r.client_id,
  clientSecretSealed: r.client_secret_sealed,
  saml:
    r.kind === 'saml'
      ? {
          entityId: r.saml_entity_id!,
          ssoUrl: r.saml_sso_url!,
          certificates: r.saml_certificates ?? [],
          idpInitiated: r.saml_idp_initiated,
          emailAttribute: r.saml_email_attribute,
        }
      : null,
  allowedDomains: r.allowed_domains,
  roleMapping: r.role_mapping,
  defaultRole: r.default_role,
  jitEnabled: r.jit_enabled,
  createdAt: r.created_at,
});

export interface NewIdentityProvider {
  name: string;
  kind: 'oidc' | 'saml';
  issuer: string | null;
  clientId: string | null;
  clientSecretSealed: string | null;
  saml: SamlIdpSettings | null;
  allowedDomains: string[];
  roleMapping: RoleMapping;
  defaultRole: Role | null;
  jitEnabled: boolean;
}

/** Settings an admin may change in place (undefined: unchanged). */
export interface ProviderChanges {
  name?: string;
  allowedDomains?: string[];
  roleMapping?: RoleMapping;
  defaultRole?: Role | null;
  jitEnabled?: boolean;
  clientSecretSealed?: string;
  ssoUrl?: string;
  certificates?: string[];
  idpInitiated?: boolean;
  emailAttribute?: string | null;
}

/** What an OIDC client secret is sealed for (creation, sign-in and re-sealing). */
export const idpSecretContext = (id: string) => `idp:${id}`;

/** Identity providers (OIDC and SAML): an organisation's own, and those it inherits from above. */
@Injectable()
export class IdentityProvidersRepository {
  constructor(private readonly tx: Transactor) {}

  /** Every provider configured on the organisation's path (own and inherited). */
  async onPath(orgId: string): Promise<IdentityProvider[]> {
    const rows = await this.tx
      .current()
      .selectFrom('identity_providers')
      .select(COLUMNS)
      .where(sql<boolean>`org_id = ANY (guddu_org_path(${orgId}::uuid))`)
      .orderBy('created_at')
      .execute();
    return rows.map(toProvider);
  }

  /** Every client secret, locked, for re-sealing under a new key. Bypass only. */
  async allSealed(): Promise<{ id: string; client_secret_sealed: string }[]> {
    // SAML providers hold no secret (their certificates are public).
    const rows = await this.tx.current().selectFrom('identity_providers').select(['id', 'client_secret_sealed']).where('client_secret_sealed', 'is not', null).forUpdate().execute();
    return rows.map((r) => ({ id: r.id, client_secret_sealed: r.client_secret_sealed! }));
  }

  async reseal(id: string, clientSecretSealed: string): Promise<void> {
    await this.tx.current().updateTable('identity_providers').set({ client_secret_sealed: clientSecretSealed }).where('id', '=', id).execute();
  }

  /** Sign-in: any provider by id (call in a bypass transaction). */
  async findById(id: string): Promise<IdentityProvider | undefined> {
    const row = await this.tx.current().selectFrom('identity_providers').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    return row && toProvider(row);
  }

  /** Whether the provider is configured at the organisation or one of its ancestors. */
  async coversOrganisation(providerId: string, orgId: string): Promise<boolean> {
    const { rows } = await sql<{ ok: boolean }>`
      SELECT EXISTS (SELECT 1 FROM identity_providers p WHERE p.id = ${providerId}::uuid
                     AND p.org_id = ANY (guddu_org_path(${orgId}::uuid))) AS ok`.execute(this.tx.current());
    return rows[0]?.ok ?? false;
  }

  /** The id is chosen first: the client secret is sealed for it before the row exists. */
  async insert(orgId: string, id: string, p: NewIdentityProvider, createdBy: string): Promise<IdentityProvider> {
    const row = await this.tx
      .current()
      .insertInto('identity_providers')
      .values({
        id,
        org_id: orgId,
        kind: p.kind,
        name: p.name,
        issuer: p.issuer,
        client_id: p.clientId,
        client_secret_sealed: p.clientSecretSealed,
        allowed_domains: p.allowedDomains,
        role_mapping: JSON.stringify(p.roleMapping),
        default_role: p.defaultRole,
        jit_enabled: p.jitEnabled,
        saml_entity_id: p.saml?.entityId ?? null,
        saml_sso_url: p.saml?.ssoUrl ?? null,
        saml_certificates: p.saml?.certificates ?? null,
        saml_idp_initiated: p.saml?.idpInitiated ?? false,
        saml_email_attribute: p.saml?.emailAttribute ?? null,
        created_by: createdBy,
      })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    return toProvider(row);
  }

  /**
   * Sign-in page: the providers whose allowed domains include this one (bypass). Only what a
   * stranger may see: the id, name and kind, never another organisation's settings.
   */
  async forEmailDomain(domain: string): Promise<{ id: string; name: string; kind: 'oidc' | 'saml' }[]> {
    return this.tx
      .current()
      .selectFrom('identity_providers')
      .select(['id', 'name', 'kind'])
      .where(sql<boolean>`${domain}::text = ANY (allowed_domains)`)
      .orderBy('name')
      .limit(20)
      .execute();
  }

  /** Changes an own provider's settings (RLS: never an inherited one); undefined when none here. */
  async update(orgId: string, id: string, p: ProviderChanges): Promise<IdentityProvider | undefined> {
    const row = await this.tx
      .current()
      .updateTable('identity_providers')
      .set({
        ...(p.name !== undefined ? { name: p.name } : {}),
        ...(p.allowedDomains !== undefined ? { allowed_domains: p.allowedDomains } : {}),
        ...(p.roleMapping !== undefined ? { role_mapping: JSON.stringify(p.roleMapping) } : {}),
        ...(p.defaultRole !== undefined ? { default_role: p.defaultRole } : {}),
        ...(p.jitEnabled !== undefined ? { jit_enabled: p.jitEnabled } : {}),
        ...(p.clientSecretSealed !== undefined ? { client_secret_sealed: p.clientSecretSealed } : {}),
        ...(p.ssoUrl !== undefined ? { saml_sso_url: p.ssoUrl } : {}),
        ...(p.certificates !== undefined ? { saml_certificates: p.certificates } : {}),
        ...(p.idpInitiated !== undefined ? { saml_idp_initiated: p.idpInitiated } : {}),
        ...(p.emailAttribute !== undefined ? { saml_email_attribute: p.emailAttribute } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where('org_id', '=', orgId)
      .returning(COLUMNS)
      .executeTakeFirst();
    return row && toProvider(row);
  }

  /** SSO rules at the provider's organisation or below that no other provider could satisfy. */
  async ssoRulesRelyingOn(id: string): Promise<number> {
    const { rows } = await sql<{ n: number }>`SELECT guddu_sso_rules_relying_on(${id}::uuid) AS n`.execute(this.tx.current());
    return rows[0]?.n ?? 0;
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    const r = await this.tx.current().deleteFrom('identity_providers').where('id', '=', id).where('org_id', '=', orgId).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }
}
