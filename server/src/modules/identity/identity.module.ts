import { Module } from '@nestjs/common';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { PasskeyAssertions } from './passkey-assertions.js';
import { PasskeySignInController } from './passkey-sign-in.controller.js';
import { PasskeySignInService } from './passkey-sign-in.service.js';
import { PasskeysController } from './passkeys.controller.js';
import { PasskeysRepository } from './passkeys.repository.js';
import { PasskeysService } from './passkeys.service.js';
import { WebAuthn } from './webauthn.js';
import { WebauthnChallengesRepository } from './webauthn-challenges.repository.js';
import { AdminService } from './admin.service.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { ConsoleSessionController } from './console-session.controller.js';
import { FactorsRepository } from './factors.repository.js';
import { MfaChallengesRepository } from './mfa-challenges.repository.js';
import { MfaController } from './mfa.controller.js';
import { MfaService } from './mfa.service.js';
import { SecondFactors } from './second-factors.js';
import { IdentityReseal } from './identity-reseal.service.js';
import { IdentityProvidersController } from './sso/identity-providers.controller.js';
import { IdentityProvidersRepository } from './sso/identity-providers.repository.js';
import { IdentityProvidersService } from './sso/identity-providers.service.js';
import { OidcClient } from './sso/oidc-client.js';
import { SamlAssertionsRepository } from './sso/saml-assertions.repository.js';
import { SamlServiceProvider } from './sso/saml-sp.js';
import { SamlRoute } from './sso/saml.route.js';
import { SamlService } from './sso/saml.service.js';
import { SsoIdentitiesRepository } from './sso/sso-identities.repository.js';
import { SsoController } from './sso/sso.controller.js';
import { SsoService } from './sso/sso.service.js';
import { SignInPolicyController } from './sign-in-policy.controller.js';
import { SignInPolicyRepository } from './sign-in-policy.repository.js';
import { SignInPolicyService } from './sign-in-policy.service.js';
import { SsoRequirement } from './sso-requirement.js';
import { SsoInvitations } from './sso/sso-invitations.js';
import { InvitationsController } from './invitations.controller.js';
import { InvitationsRepository } from './invitations.repository.js';
import { InvitationsService } from './invitations.service.js';
import { LoginThrottle } from './login-throttle.js';
import { MembershipsRepository } from './memberships.repository.js';
import { Passwords } from './passwords.js';
import { SessionsRepository } from './sessions.repository.js';
import { ThrottleRepository } from './throttle.repository.js';
import { SigningKeysController } from './signing-keys.controller.js';
import { UsersController } from './users.controller.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [OrganisationsModule],
  controllers: [
    AuthController,
    ConsoleSessionController,
    MfaController,
    PasskeysController,
    PasskeySignInController,
    SignInPolicyController,
    SsoController,
    IdentityProvidersController, UsersController, InvitationsController, SigningKeysController],
  providers: [
    IdentityReseal,
    AdminService,
    AuthService,
    UsersService,
    InvitationsService,
    LoginThrottle,
    Passwords,
    UsersRepository,
    MembershipsRepository,
    SessionsRepository,
    InvitationsRepository,
    ThrottleRepository,
    FactorsRepository,
    MfaChallengesRepository,
    SecondFactors,
    MfaService,
    PasskeysRepository,
    WebauthnChallengesRepository,
    WebAuthn,
    PasskeyAssertions,
    PasskeysService,
    PasskeySignInService,
    SignInPolicyRepository,
    SignInPolicyService,
    SsoRequirement,
    SsoInvitations,
    IdentityProvidersRepository,
    IdentityProvidersService,
    SsoIdentitiesRepository,
    SsoService,
    SamlServiceProvider,
    SamlAssertionsRepository,
    SamlService,
    SamlRoute,
    OidcClient,
  ],
  exports: [AdminService, AuthService, UsersService, IdentityReseal, SignInPolicyService],
})
export class IdentityModule {}
