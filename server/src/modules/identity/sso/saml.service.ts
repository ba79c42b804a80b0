import { Inject, Injectable } from '@nestjs/common';
import type { RequestContext } from '../../../platform/context/request-context.js';
import { SecretBox } from '../../../platform/crypto/secret-box.js';
import { randomToken, sha256 } from '../../../platform/crypto/tokens.js';
import { Transactor } from '../../../platform/database/transactor.js';
import { identityError } from '../identity.errors.js';
import { IdentityProvidersRepository, type IdentityProvider } from './identity-providers.repository.js';
import { SamlAssertionsRepository } from './saml-assertions.repository.js';
import { SAML_CLOCK_SKEW_MS, SamlServiceProvider, type VerifiedAssertion } from './saml-sp.js';
import { samlError } from './saml.errors.js';
import { SsoService, type SsoBrowser, type SsoOutcome } from './sso.service.js';

const resultContext = (providerId: string) => `saml-result:${providerId}`;

/**
 * SAML 2.0 Web Browser SSO in two steps. The IdP's HTTP-POST to our ACS is a cross-site POST,
 * which a SameSite=Lax binding cookie does not reach; so the ACS verifies the response (signature,
 * audience, times, replay) and keeps the result, sealed, under a one-time handle, then sends the
 * browser with that handle to the SSO callback: a top-level GET, which the cookie does reach. There
 * the result is bound to the browser that started (RelayState + the cookie's nonce find the request
 * record, whose AuthnRequest ID the signed InResponseTo must equal) and ends as OIDC does. An
 * unsolicited (IdP-initiated) response has no request to bind to: only where an admin allows it.
 */
@Injectable()
export class SamlService {
  constructor(
    private readonly tx: Transactor,
    private readonly providers: IdentityProvidersRepository,
    private readonly assertions: SamlAssertionsRepository,
    private readonly sp: SamlServiceProvider,
    private readonly sso: SsoService,
    @Inject(SecretBox) private readonly box: SecretBox,
  ) {}

  /** The provider's SP metadata (our entity id, ACS URL): public, it holds nothing secret. */
  async metadata(providerId: string): Promise<string> {
    return this.sp.metadata(await this.provider(providerId));
  }

  /** The ACS: verifies the IdP's response and answers the handle the browser takes to the callback. */
  async consume(providerId: string, samlResponse: string | undefined, relayState: string | undefined): Promise<string> {
    const provider = await this.provider(providerId);
    if (!samlResponse) throw samlError('saml_response_invalid', 'No SAMLResponse was posted');
    const verified = await this.sp.verify(provider, samlResponse, relayState || null);
    if (!verified.inResponseTo && !provider.saml?.idpInitiated) {
      throw samlError('saml_idp_initiated_disabled', 'Sign-in must start here: this identity provider may not start it');
    }
    const handle = randomToken();
    const recorded = await this.tx.withTenantBypass('a SAML assertion arrives before any tenant', () =>
      this.assertions.record({
        providerId: provider.id,
        assertionId: verified.assertionId,
        handleHash: sha256(handle),
        resultSealed: this.box.seal(JSON.stringify(verified), resultContext(provider.id)),
        // Past this the assertion would be refused as expired anyway: no need to remember it longer.
        expiresAt: new Date(verified.notOnOrAfter.getTime() + SAML_CLOCK_SKEW_MS),
      }),
    );
    if (!recorded) throw samlError('saml_assertion_replayed', 'This assertion was already used');
    return handle;
  }

  /** The callback with a handle: binds the verified result to this browser and signs in (or links). */
  async complete(ctx: RequestContext, handle: string, browser: SsoBrowser): Promise<SsoOutcome> {
    const claimed = await this.tx.withTenantBypass('an SSO callback precedes any tenant', async () => {
      const found = await this.assertions.claim(sha256(handle));
      return found && { sealed: found.resultSealed, provider: await this.providers.findById(found.providerId) };
    });
    if (!claimed?.provider?.saml) throw identityError('sso_state_invalid', 'This sign-in link has expired or was used; start again');
    const { provider } = claimed;
    const result = JSON.parse(this.box.open(claimed.sealed, resultContext(provider.id))) as VerifiedAssertion;
    if (!result.inResponseTo) {
      if (!provider.saml?.idpInitiated) throw samlError('saml_idp_initiated_disabled', 'Sign-in must start here: this identity provider may not start it');
      return this.sso.finish(ctx, provider, { orgId: provider.orgId, purpose: 'sign_in', userId: null, invitationId: null }, result.identity);
    }
    if (!browser.nonce) throw identityError('sso_browser_mismatch', 'This sign-in was not started in this browser; start again here');
    const record = result.relayState ? await this.sso.claimSamlRequest(result.relayState, browser.nonce) : undefined;
    if (record?.providerId !== provider.id) throw identityError('sso_state_invalid', 'This sign-in has expired, was used, or was started in another browser; start again');
    if (record.nonce !== result.inResponseTo) throw samlError('saml_in_response_to_invalid', 'The identity provider answered another sign-in request; start again');
    if (record.purpose === 'link' && browser.userId !== record.userId) {
      throw identityError('sso_link_wrong_account', 'Finish linking while signed in to the account that started it');
    }
    return this.sso.finish(ctx, provider, record, result.identity);
  }

  private async provider(id: string): Promise<IdentityProvider> {
    const provider = await this.tx.withTenantBypass('SAML endpoints precede any tenant', () => this.providers.findById(id));
    if (provider?.kind !== 'saml') throw identityError('identity_provider_not_found', 'No such SAML identity provider');
    return provider;
  }
}
