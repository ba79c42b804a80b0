import { Inject, Injectable } from '@nestjs/common';
import * as oidc from 'openid-client';
import type { Config } from '../../../platform/config/config.js';
import { CONFIG } from '../../../platform/config/config.tokens.js';
import { userOf, type RequestContext } from '../../../platform/context/request-context.js';
import { SecretBox } from '../../../platform/crypto/secret-box.js';
import { randomToken, sha256 } from '../../../platform/crypto/tokens.js';
import { Transactor } from '../../../platform/database/transactor.js';
import { AuditService } from '../../audit/audit.service.js';
import { AuthService, type MfaChallengeView, type TokenPair } from '../auth.service.js';
import { identityError } from '../identity.errors.js';
import { MembershipsRepository } from '../memberships.repository.js';
import { UsersRepository } from '../users.repository.js';
import { IdentityProvidersRepository, idpSecretContext, type IdentityProvider } from './identity-providers.repository.js';
import { OidcClient, OidcExchangeError, type OidcIdentity } from './oidc-client.js';
import { SamlServiceProvider } from './saml-sp.js';
import { emailDomainAllowed, mapRole } from './role-mapping.js';
import { SsoIdentitiesRepository, type SsoLoginState } from './sso-identities.repository.js';
import { NO_PASSWORD, SsoInvitations } from './sso-invitations.js';

export const STATE_TTL_MS = 10 * 60_000;
export const SSO_CALLBACK_PATH = '/api/v1/auth/sso/callback';

export type SsoOutcome =
  | { kind: 'signed_in'; tokens: TokenPair }
  | { kind: 'mfa_required'; challenge: MfaChallengeView }
  | { kind: 'linked'; providerId: string };

/** Who the provider says signed in: an OIDC ID token's claims, or a SAML assertion's attributes. */
export type SsoIdentity = OidcIdentity;

/** Where to send the browser, and the nonce its cookie must carry back to the callback. */
export interface SsoStarted {
  authorizationUrl: string;
  browserNonce: string;
}

/** What the callback knows of the browser: its binding cookie, and who is signed in there (if anyone). */
export interface SsoBrowser {
  nonce: string | undefined;
  userId: string | undefined;
}

/**
 * OpenID Connect sign-in and linking. The authorization request's state (hashed), nonce and
 * PKCE verifier live in a server-side record that the callback claims once. The record is
 * found by the state and the nonce of a cookie set on the browser that started, so a callback
 * carried to another browser (login CSRF) finds nothing. A provider
 * identity signs in the user it is linked to, creates one (just in time, when the provider
 * allows it) when its email has no account, and never attaches itself to an existing account
 * by email: that takes a link made while signed in to both.
 */
@Injectable()
export class SsoService {
  constructor(
    private readonly tx: Transactor,
    private readonly providers: IdentityProvidersRepository,
    private readonly identities: SsoIdentitiesRepository,
    private readonly users: UsersRepository,
    private readonly memberships: MembershipsRepository,
    private readonly oidc: OidcClient,
    private readonly saml: SamlServiceProvider,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly invitations: SsoInvitations,
    @Inject(SecretBox) private readonly box: SecretBox,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /**
   * Starts a sign-in at a provider configured for the organisation or one above it; with an
   * invitation's token, a sign-in that accepts that invitation (into its organisation).
   */
  startSignIn(input: { providerId: string; organisationId?: string | undefined; invitationToken?: string | undefined }): Promise<SsoStarted> {
    return this.start({ providerId: input.providerId, orgId: input.organisationId, purpose: 'sign_in', userId: null, invitationToken: input.invitationToken });
  }

  /** Starts linking the signed-in user to their identity at a provider. */
  startLink(ctx: RequestContext, providerId: string): Promise<SsoStarted> {
    return this.start({ providerId, orgId: ctx.orgId, purpose: 'link', userId: userOf(ctx).id });
  }

  /** SAML: claims the request record its RelayState and this browser's binding nonce name. */
  async claimSamlRequest(relayState: string, browserNonce: string): Promise<SsoLoginState | undefined> {
    return this.tx.withTenantBypass('an SSO callback precedes any tenant', () => this.identities.consumeState(stateKey(relayState, browserNonce)));
  }

  async callback(ctx: RequestContext, search: URLSearchParams, browser: SsoBrowser): Promise<SsoOutcome> {
    const state = search.get('state');
    if (state && !browser.nonce) throw identityError('sso_browser_mismatch', 'This sign-in was not started in this browser; start again here');
    // 1. Claim the server-side record the state and this browser's nonce name: single use, unexpired.
    const claimed = state
      ? await this.tx.withTenantBypass('an SSO callback precedes any tenant', async () => {
          const record = await this.identities.consumeState(stateKey(state, browser.nonce!));
          return record && { record, provider: await this.providers.findById(record.providerId) };
        })
      : undefined;
    if (!claimed?.provider) throw identityError('sso_state_invalid', 'This sign-in link has expired, was used, or was started in another browser; start again');
    const { record, provider } = claimed;
    // A link attaches an identity to the account that asked for it: that account must be the one signed in here.
    if (record.purpose === 'link' && browser.userId !== record.userId) {
      throw identityError('sso_link_wrong_account', 'Finish linking while signed in to the account that started it');
    }
    if (provider.kind !== 'oidc') throw identityError('sso_state_invalid', 'This sign-in was not started with an OpenID Connect provider; start again');
    // 2. Code for tokens, and the ID token checked (outside any transaction: a network call).
    const identity = await this.exchange(provider, record, state!, search);
    return this.finish(ctx, provider, record, identity);
  }

  /**
   * Both protocols end here once the provider's answer is verified and bound to this browser:
   * the email vouched for and allowed, then a link or a sign-in.
   */
  async finish(
    ctx: RequestContext,
    provider: IdentityProvider,
    record: Pick<SsoLoginState, 'orgId' | 'purpose' | 'userId' | 'invitationId'>,
    identity: SsoIdentity,
  ): Promise<SsoOutcome> {
    // 3. The email must be one the provider vouches for, in a domain the organisation allows.
    if (!identity.email || identity.emailVerified === false) throw identityError('sso_email_missing', 'The identity provider gave no verified email');
    if (!emailDomainAllowed(identity.email, provider.allowedDomains)) {
      throw identityError('sso_domain_not_allowed', 'Accounts of this email domain may not sign in here', { domain: identity.email.split('@')[1] });
    }
    if (record.purpose === 'link') return this.link(ctx, provider, record, identity);
    return this.signIn(ctx, provider, record, identity);
  }

  private async start(p: { providerId: string; orgId: string | undefined; purpose: 'sign_in' | 'link'; userId: string | null; invitationToken?: string | undefined }) {
    const state = oidc.randomState();
    const browserNonce = randomToken();
    // SAML: the state travels as RelayState and the nonce is the AuthnRequest ID the response must
    // answer (InResponseTo); there is no PKCE verifier.
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const provider = await this.tx.withTenantBypass('SSO starts before any tenant', async () => {
      const found = await this.providers.findById(p.providerId);
      const invitation = p.invitationToken ? await this.invitations.pendingByToken(sha256(p.invitationToken)) : undefined;
      const orgId = invitation?.orgId ?? p.orgId ?? found?.orgId;
      // Inherited down the tree: the organisation signed in to must be the provider's or below it.
      if (!found || !orgId || !(await this.providers.coversOrganisation(found.id, orgId))) return undefined;
      const kind = found.kind;
      await this.identities.pruneExpiredStates();
      await this.identities.createState({
        stateHash: stateKey(state, browserNonce),
        nonce: kind === 'saml' ? samlRequestId(nonce) : nonce,
        codeVerifierSealed: kind === 'saml' ? null : this.box.seal(codeVerifier, 'sso-pkce'),
        providerId: found.id,
        orgId,
        purpose: p.purpose,
        userId: p.userId,
        invitationId: invitation?.id ?? null,
        expiresAt: new Date(Date.now() + STATE_TTL_MS),
      });
      return found;
    });
    if (!provider) throw identityError('identity_provider_not_found', 'No such identity provider for this organisation');
    if (provider.kind === 'saml') {
      const authorizationUrl = await this.saml.authorizationUrl(provider, { requestId: samlRequestId(nonce), relayState: state });
      return { authorizationUrl, browserNonce };
    }
    const authorizationUrl = await this.run(() =>
      this.oidc.authorizationUrl(this.settings(provider), { redirectUri: this.redirectUri(), state, nonce, codeVerifier }),
    );
    return { authorizationUrl, browserNonce };
  }

  private async exchange(provider: IdentityProvider, record: SsoLoginState, state: string, search: URLSearchParams): Promise<OidcIdentity> {
    const callbackUrl = new URL(this.redirectUri());
    callbackUrl.search = search.toString();
    if (!record.codeVerifierSealed) throw identityError('sso_state_invalid', 'This sign-in link is not an OpenID Connect one; start again');
    const codeVerifier = this.box.open(record.codeVerifierSealed, 'sso-pkce');
    return this.run(() => this.oidc.exchange(this.settings(provider), callbackUrl, { state, nonce: record.nonce, codeVerifier }));
  }

  private async signIn(ctx: RequestContext, provider: IdentityProvider, record: Pick<SsoLoginState, 'orgId' | 'invitationId'>, identity: SsoIdentity): Promise<SsoOutcome> {
    const entered = record.invitationId ? await this.invitations.accept(ctx, provider, record.invitationId, identity) : await this.account(ctx, provider, record, identity);
    const { userId, orgId } = entered;
    // The provider stands in for the password only: an enrolled second factor is still asked for.
    const method = provider.kind === 'saml' ? 'sso:saml' : 'sso:oidc';
    const challenge = await this.auth.challengeIfEnrolled(userId, orgId, method, provider.id);
    if (challenge) return { kind: 'mfa_required', challenge };
    const tokens = await this.auth.signIn(ctx, userId, orgId, { method, ssoProviderId: provider.id }, { via: provider.kind, providerId: provider.id });
    return { kind: 'signed_in', tokens };
  }

  /** The account a provider identity signs in (created just in time where allowed), and where. */
  private account(ctx: RequestContext, provider: IdentityProvider, record: Pick<SsoLoginState, 'orgId'>, identity: SsoIdentity): Promise<{ userId: string; orgId: string }> {
    return this.tx.withTenantBypass('SSO sign-in precedes any tenant', async () => {
      let id = await this.identities.findUserBySubject(provider.id, identity.subject);
      if (!id) id = await this.createJustInTime(ctx, provider, record, identity);
      const user = await this.users.findById(id);
      if (user?.status !== 'active') throw identityError('account_inactive', 'This account is deactivated');
      const here = (await this.memberships.effectiveRoles(id, record.orgId)).length > 0;
      const org = here ? record.orgId : (await this.memberships.listForUser(id))[0]?.orgId;
      if (!org) throw identityError('no_membership', 'This account has no role in that organisation');
      return { userId: id, orgId: org };
    });
  }

  /** A first sign-in: a new account where none has the email, if the provider allows it. */
  private async createJustInTime(ctx: RequestContext, provider: IdentityProvider, record: Pick<SsoLoginState, 'orgId'>, identity: SsoIdentity): Promise<string> {
    const email = identity.email!;
    // An account with this email exists: it must link while signed in, proving both.
    if (await this.users.findByEmail(email)) {
      throw identityError('sso_link_required', 'An account with this email exists: sign in with it and link this identity from your settings');
    }
    if (!provider.jitEnabled) throw identityError('sso_no_account', 'There is no account for this identity, and accounts are not created on first sign-in here');
    const role = mapRole(provider.roleMapping, identity.claims, provider.defaultRole);
    if (!role) throw identityError('sso_no_role', 'The identity provider gave no claim that maps to a role here');
    const name = typeof identity.claims.name === 'string' && identity.claims.name.trim() ? identity.claims.name.trim().slice(0, 200) : email.split('@')[0]!;
    const user = await this.users.insert({ email, displayName: name, passwordHash: NO_PASSWORD });
    await this.memberships.insert(record.orgId, user.id, role);
    await this.identities.link({ userId: user.id, providerId: provider.id, subject: identity.subject, email });
    const actorCtx: RequestContext = { ...ctx, orgId: record.orgId, actor: { type: 'user', id: user.id, sessionId: '' } };
    await this.audit.record(actorCtx, { action: 'user.created', targetType: 'user', targetId: user.id, after: { email, role, via: provider.kind, providerId: provider.id } });
    return user.id;
  }

  private async link(ctx: RequestContext, provider: IdentityProvider, record: Pick<SsoLoginState, 'orgId' | 'userId'>, identity: SsoIdentity): Promise<SsoOutcome> {
    const userId = record.userId!;
    await this.tx.withTenantBypass('an SSO link names its user in the server-side record', async () => {
      const owner = await this.identities.findUserBySubject(provider.id, identity.subject);
      if (owner && owner !== userId) throw identityError('sso_identity_taken', 'This identity is already linked to another account');
      if (owner === userId) return;
      if (await this.identities.hasLink(provider.id, userId)) throw identityError('sso_already_linked', 'Your account is already linked to another identity at this provider');
      await this.identities.link({ userId, providerId: provider.id, subject: identity.subject, email: identity.email ?? null });
      const actorCtx: RequestContext = { ...ctx, orgId: record.orgId, actor: { type: 'user', id: userId, sessionId: '' } };
      await this.audit.record(actorCtx, { action: 'auth.sso_linked', targetType: 'user', targetId: userId, after: { providerId: provider.id, email: identity.email ?? null } });
    });
    return { kind: 'linked', providerId: provider.id };
  }

  private settings(p: IdentityProvider) {
    if (p.kind !== 'oidc' || !p.issuer || !p.clientId || !p.clientSecretSealed) throw identityError('identity_provider_not_found', 'No such OpenID Connect provider');
    return { providerId: p.id, issuer: p.issuer, clientId: p.clientId, clientSecret: this.box.open(p.clientSecretSealed, idpSecretContext(p.id)) };
  }

  redirectUri(): string {
    return `${this.config.publicUrl}${SSO_CALLBACK_PATH}`;
  }

  /** The client's failures in the taxonomy a caller can act on. */
  private async run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof OidcExchangeError)) throw err;
      if (err.reason === 'state') throw identityError('sso_state_invalid', 'The identity provider answered for another sign-in; start again');
      if (err.reason === 'nonce') throw identityError('sso_nonce_invalid', 'The identity token was not issued for this sign-in; start again');
      if (err.reason === 'unreachable') throw identityError('sso_provider_unreachable', 'The identity provider could not be reached');
      throw identityError('sso_rejected', 'The identity provider did not confirm this sign-in');
    }
  }
}

/** An AuthnRequest ID must be an xsd:ID (not start with a digit): the random nonce, prefixed. */
const samlRequestId = (nonce: string) => `_${nonce}`;

/** The record's key: the state bound to the browser that started (its cookie's nonce). */
function stateKey(state: string, browserNonce: string): Buffer {
  return sha256(`${state}.${browserNonce}`);
}
