import { z } from 'zod';
import { PERMISSIONS, ROLES } from '../../platform/access/permissions.js';

const email = z.email().max(320);
// The policy (length, common passwords) is checked in the service; here only a hard cap, so a
// megabyte "password" is refused before argon2 sees it.
const password = z.string().min(1).max(1024);
const displayName = z.string().trim().min(1).max(200);

export const LoginBody = z.strictObject({ email, password, organisationId: z.uuid().optional() });
export const RefreshBody = z.strictObject({ refreshToken: z.string().min(1).max(200) });
export const ChangePasswordBody = z.strictObject({ currentPassword: password, newPassword: password });
export const TokenPairView = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.number().int().describe('Seconds until the access token expires'),
  tokenType: z.literal('Bearer'),
  organisationId: z.uuid(),
});

export const ConsoleSessionView = z.object({
  organisationId: z.uuid(),
  expiresIn: z.number().int().describe('Seconds until the access cookie expires: refresh before then'),
  csrfToken: z.string().describe('Also in the guddu_csrf cookie: echo it in x-csrf-token on every unsafe request'),
});
export const SignedOutEverywhereView = z.object({ sessionsEnded: z.number().int() });

export const IdParams = z.strictObject({ id: z.uuid() });

export const SessionView = z.object({
  id: z.uuid(),
  organisationId: z.uuid(),
  createdAt: z.string(),
  lastUsedAt: z.string(),
  expiresAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
export const SessionList = z.object({ items: z.array(SessionView) });

export const MeView = z.object({
  user: z.object({ id: z.uuid(), email: z.string(), displayName: z.string(), locale: z.string() }),
  organisation: z.object({ id: z.uuid(), roles: z.array(z.enum(ROLES)), permissions: z.array(z.enum(PERMISSIONS)) }),
  memberships: z.array(z.object({ organisationId: z.uuid(), name: z.string(), parentId: z.uuid().nullable(), role: z.enum(ROLES) })),
});

export const MemberView = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  status: z.enum(['active', 'deactivated']),
  role: z.enum(ROLES),
  memberSince: z.string(),
});
export const MemberList = z.object({ items: z.array(MemberView) });
export const ChangeRoleBody = z.strictObject({ role: z.enum(ROLES) });

export const CreateInvitationBody = z.strictObject({ email, role: z.enum(ROLES) });
export const InvitationView = z.object({
  id: z.uuid(),
  email: z.string(),
  role: z.enum(ROLES),
  status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export const CreatedInvitationView = InvitationView.extend({
  token: z.string().describe('Shown once: send it to the invitee'),
  acceptUrl: z.string(),
});
export const InvitationList = z.object({ items: z.array(InvitationView) });
export const AcceptInvitationBody = z.strictObject({
  token: z.string().min(1).max(200),
  password,
  displayName: displayName.optional().describe('Required when the email has no account yet'),
});
export const AcceptedInvitationView = z.object({ userId: z.uuid(), organisationId: z.uuid(), role: z.enum(ROLES), newAccount: z.boolean() });

const secondFactorMethod = z.enum(['totp', 'recovery_code', 'passkey']);
export const MfaChallengeView = z.object({
  mfaRequired: z.literal(true),
  challengeToken: z
    .string()
    .describe('Single use: send it with a code to POST /api/v1/auth/mfa/verify (or /auth/session/mfa), or with a passkey assertion to /auth/mfa/passkey'),
  expiresIn: z.number().int().describe('Seconds until the challenge expires'),
  methods: z.array(secondFactorMethod),
});
export const LoginResponse = z.union([TokenPairView, MfaChallengeView]);
export const ConsoleSignInResponse = z.union([ConsoleSessionView, MfaChallengeView]);

// Six digits from the app, or a recovery code (16 characters, dashes and spaces allowed).
const code = z.string().trim().min(6).max(40);
export const MfaCodeBody = z.strictObject({ code });
export const MfaVerifyBody = z.strictObject({ challengeToken: z.string().min(1).max(200), code });
export const TotpEnrolmentView = z.object({
  secret: z.string().describe('Base32; shown once, for entry by hand'),
  otpauthUri: z.string().describe('otpauth://totp/… for a QR code'),
});
export const RecoveryCodesView = z.object({ recoveryCodes: z.array(z.string()).describe('Shown once; each works once') });
export const MfaStatusView = z.object({
  totp: z.object({ state: z.enum(['none', 'pending', 'confirmed']), confirmedAt: z.string().nullable() }),
  recoveryCodesLeft: z.number().int(),
  passkeys: z.number().int().describe('How many passkeys I have registered'),
  requiredHere: z.boolean().describe("Whether this organisation's sign-in policy requires a second factor of me"),
  session: z.object({ verifiedAt: z.string().nullable(), method: secondFactorMethod.nullable() }),
  stepUpMinutes: z.number().int(),
});
export const StepUpView = z.object({ method: secondFactorMethod, verifiedAt: z.string(), recoveryCodesLeft: z.number().int() });

const mfaRequiredFor = z.enum(['nobody', 'publishers', 'everyone']).describe('publishers: whoever holds content.publish here');
const ssoRequiredFor = z
  .enum(['nobody', 'publishers', 'everyone'])
  .describe('Who must sign in through an identity provider (OIDC or SAML): nobody, those who can publish, or everyone');

export const SignInPolicyBody = z.strictObject({
  mfaRequiredFor,
  ssoRequiredFor: ssoRequiredFor.optional().describe('Who must sign in through an identity provider (default: unchanged, at first nobody)'),
  stepUpMinutes: z.number().int().min(1).max(1440).optional().describe('How recent a second factor a sensitive action needs (default 10)'),
});
export const SignInPolicyView = z.object({
  own: z.object({ mfaRequiredFor, ssoRequiredFor, stepUpMinutes: z.number().int(), revision: z.number().int(), updatedAt: z.string() }).nullable(),
  effective: z.object({
    mfaRequiredFor,
    stepUpMinutes: z.number().int(),
    setBy: z.uuid().nullable().describe('The organisation whose rule is the strictest on the path'),
    ssoRequiredFor,
    ssoSetBy: z.uuid().nullable().describe('The organisation whose SSO rule is the strictest on the path'),
  }),
});
