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
  claim: z.string().min(1).max(100).describe('The ID token claim to read, e.g. groups'),
  values: z.record(z.string().min(1).max(200), grantableRole).describe('Claim value → role; the highest role matched wins'),
});

export const CreateIdentityProviderBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  issuer: z.url({ protocol: /^https?$/ }).max(2000).describe('The OpenID Connect issuer; discovery is read from it'),
  clientId: z.string().min(1).max(500),
  clientSecret: z.string().min(1).max(2000).describe('Sealed at rest; never shown again'),
  allowedDomains: z.array(domain).max(50).default([]).describe('Email domains that may sign in; empty: any'),
  roleMapping: RoleMappingBody.optional(),
  defaultRole: grantableRole.optional().describe('The role of a just-in-time account no mapping matched'),
  jitEnabled: z.boolean().default(false).describe('Create an account on first sign-in when none has the email'),
});

export const IdentityProviderView = z.object({
  id: z.uuid(),
  organisationId: z.uuid(),
  inherited: z.boolean(),
  name: z.string(),
  issuer: z.string(),
  clientId: z.string(),
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
});
export const SsoLinkBody = z.strictObject({ providerId: z.uuid() });
export const SsoStartView = z.object({ authorizationUrl: z.string().describe('Send the browser here') });
export const SsoCallbackQuery = z.looseObject({
  state: z.string().max(500).optional(),
  code: z.string().max(4000).optional(),
  iss: z.string().max(2000).optional(),
  error: z.string().max(200).optional(),
});
