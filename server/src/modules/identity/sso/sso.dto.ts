import { z } from 'zod';
import { ROLES } from '../../../platform/access/permissions.js';

const role = z.enum(ROLES);
/** What an IdP may grant: never owner, or an admin could mint owners through a provider they control. */
const grantableRole = z.enum(ROLES.filter((r) => r !== 'owner') as [Exclude<(typeof ROLES)[number], 'owner'>, ...Exclude<(typeof ROLES)[number], 'owner'>[]]);
const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/, 'a domain name such as mea.gov.in');

export const RoleMappingBody = z.strictObject({
  claim: z.string().min(1).max(300).describe('The ID token claim or SAML attribute to read, e.g. groups'),
  values: z.record(z.string().min(1).max(200), grantableRole).describe('Claim value → role; the highest role matched wins'),
});

/** The mapping, JIT and domain settings both protocols share. */
const commonSettings = {
  allowedDomains: z.array(domain).max(50).default([]).describe('Email domains that may sign in; empty: any'),
  roleMapping: RoleMappingBody.optional(),
  defaultRole: grantableRole.optional().describe('The role of a just-in-time account no mapping matched'),
  jitEnabled: z.boolean().default(false).describe('Create an account on first sign-in when none has the email'),
};

export const CreateIdentityProviderBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  issuer: z.url({ protocol: /^https?$/ }).max(2000).describe('The OpenID Connect issuer; discovery is read from it'),
  clientId: z.string().min(1).max(500),
  clientSecret: z.string().min(1).max(2000).describe('Sealed at rest; never shown again'),
  ...commonSettings,
});

const pem = z.string().trim().min(100).max(20_000);
export const CreateSamlIdentityProviderBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    metadataXml: z.string().min(1).max(200_000).optional().describe("The IdP's metadata XML: entity id, SSO URL and certificates are read from it"),
    entityId: z.string().trim().min(1).max(1000).optional().describe("Without metadata: the IdP's entity id"),
    ssoUrl: z.url({ protocol: /^https?$/ }).max(2000).optional().describe('Without metadata: its single sign-on URL (HTTP-Redirect binding)'),
    certificates: z.array(pem).min(1).max(5).optional().describe('Without metadata: the certificates (PEM) whose keys sign its assertions'),
    idpInitiated: z.boolean().default(false).describe('Accept sign-ins the IdP starts (unsolicited responses); off: only those started here'),
    emailAttribute: z.string().trim().min(1).max(300).optional().describe('The attribute holding the email; default: the usual names, then an email NameID'),
    ...commonSettings,
  })
  .refine((b) => [b.entityId, b.ssoUrl, b.certificates].filter((v) => v !== undefined).length === (b.metadataXml === undefined ? 3 : 0), {
    message: 'Give either metadataXml, or entityId, ssoUrl and certificates',
  });

export const UpdateIdentityProviderBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    allowedDomains: z.array(domain).max(50).optional(),
    roleMapping: RoleMappingBody.nullable().optional().describe('null: no mapping'),
    defaultRole: grantableRole.nullable().optional(),
    jitEnabled: z.boolean().optional(),
    clientSecret: z.string().min(1).max(2000).optional().describe('OIDC: a new client secret (sealed)'),
    ssoUrl: z.url({ protocol: /^https?$/ }).max(2000).optional().describe('SAML'),
    certificates: z.array(pem).min(1).max(5).optional().describe('SAML: the whole new list (a rollover lists the old and the new)'),
    idpInitiated: z.boolean().optional().describe('SAML'),
    emailAttribute: z.string().trim().min(1).max(300).nullable().optional().describe('SAML'),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change');

export const IdentityProviderView = z.object({
  id: z.uuid(),
  organisationId: z.uuid(),
  inherited: z.boolean(),
  kind: z.enum(['oidc', 'saml']),
  name: z.string(),
  issuer: z.string().nullable().describe('OIDC'),
  clientId: z.string().nullable().describe('OIDC'),
  saml: z
    .object({
      entityId: z.string().describe("The IdP's entity id"),
      ssoUrl: z.string(),
      certificateFingerprints: z.array(z.string()).describe('SHA-256 fingerprints of the signing certificates'),
      idpInitiated: z.boolean(),
      emailAttribute: z.string().nullable(),
      spEntityId: z.string().describe('Our entity id at this IdP'),
      acsUrl: z.string().describe('Our assertion consumer service (HTTP-POST)'),
      metadataUrl: z.string().describe('Our SP metadata, to give the IdP'),
    })
    .nullable()
    .describe('SAML'),
  allowedDomains: z.array(z.string()),
  roleMapping: z.object({ claim: z.string().optional(), values: z.record(z.string(), role).optional() }),
  defaultRole: role.nullable(),
  jitEnabled: z.boolean(),
  redirectUri: z.string().describe('Register this at the provider'),
  createdAt: z.string(),
});
export const IdentityProviderList = z.object({ items: z.array(IdentityProviderView) });

export const SsoStartBody = z.strictObject({
  providerId: z.uuid(),
  organisationId: z.uuid().optional().describe("The organisation to sign in to (the provider's or one below it)"),
  invitationToken: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe("Accept this invitation by signing in (the way in where the invitation's organisation requires SSO); signs in to its organisation"),
});
export const SsoLinkBody = z.strictObject({ providerId: z.uuid() });
export const SsoStartView = z.object({ authorizationUrl: z.string().describe('Send the browser here') });
export const SsoProvidersQuery = z.strictObject({ email: z.email().max(320) });
export const SsoProvidersView = z.object({
  items: z.array(z.object({ id: z.uuid(), name: z.string(), kind: z.enum(['oidc', 'saml']) })),
});

export const SsoCallbackQuery = z.looseObject({
  saml: z.string().max(200).optional().describe('SAML: the handle of a verified assertion, from our ACS'),
  state: z.string().max(500).optional(),
  code: z.string().max(4000).optional(),
  iss: z.string().max(2000).optional(),
  error: z.string().max(200).optional(),
});
