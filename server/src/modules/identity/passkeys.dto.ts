import { z } from 'zod';

// The browser's PublicKeyCredential as JSON (WebAuthn Level 3 toJSON(), or @simplewebauthn/browser).
// Loose: browsers add fields; the library checks what it needs and the signature covers the rest.
const b64url = z.string().min(1).max(16_384).regex(/^[A-Za-z0-9_-]*={0,2}$/, 'base64url');
const credentialEnvelope = {
  id: b64url,
  rawId: b64url,
  type: z.literal('public-key'),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
};
export const RegistrationCredential = z.looseObject({
  ...credentialEnvelope,
  response: z.looseObject({
    clientDataJSON: b64url,
    attestationObject: b64url,
    transports: z.array(z.enum(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'])).max(10).optional(),
  }),
});
export const AssertionCredential = z.looseObject({
  ...credentialEnvelope,
  response: z.looseObject({
    clientDataJSON: b64url,
    authenticatorData: b64url,
    signature: b64url,
    userHandle: b64url.optional(),
  }),
});

const passkeyName = z.string().trim().min(1).max(100);
export const RegisterPasskeyBody = z.strictObject({ name: passkeyName.optional(), credential: RegistrationCredential });
export const RenamePasskeyBody = z.strictObject({ name: passkeyName });
export const PasskeyAssertionBody = z.strictObject({ credential: AssertionCredential });
export const PasskeySignInBody = z.strictObject({ credential: AssertionCredential, organisationId: z.uuid().optional() });
export const MfaChallengeBody = z.strictObject({ challengeToken: z.string().min(1).max(200) });
export const MfaPasskeyBody = z.strictObject({ challengeToken: z.string().min(1).max(200), credential: AssertionCredential });

export const CreationOptionsView = z
  .looseObject({ challenge: z.string(), rp: z.looseObject({ id: z.string().optional(), name: z.string() }) })
  .describe('PublicKeyCredentialCreationOptionsJSON: pass to navigator.credentials.create (PublicKeyCredential.parseCreationOptionsFromJSON)');
export const RequestOptionsView = z
  .looseObject({ challenge: z.string(), rpId: z.string().optional() })
  .describe('PublicKeyCredentialRequestOptionsJSON: pass to navigator.credentials.get (PublicKeyCredential.parseRequestOptionsFromJSON)');

export const PasskeyView = z.object({
  id: z.uuid(),
  name: z.string(),
  transports: z.array(z.string()),
  backedUp: z.boolean().describe('Synced to the provider’s cloud (a multi-device passkey)'),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export const PasskeyList = z.object({ items: z.array(PasskeyView) });
export const RegisteredPasskeyView = z.object({
  passkey: PasskeyView,
  recoveryCodes: z.array(z.string()).optional().describe('With a first factor only: shown once, each works once'),
});
