import { Inject, Injectable } from '@nestjs/common';
import { SAML, ValidateInResponseTo, type Profile } from '@node-saml/node-saml';
import { DOMParser, type Element } from '@xmldom/xmldom';
import type { Config } from '../../../platform/config/config.js';
import { CONFIG } from '../../../platform/config/config.tokens.js';
import type { IdentityProvider } from './identity-providers.repository.js';
import type { OidcIdentity } from './oidc-client.js';
import { samlError } from './saml.errors.js';

/** Clocks of an IdP and ours may differ this much, no more. */
export const SAML_CLOCK_SKEW_MS = 60_000;
export const SAML_PATH = '/api/v1/auth/sso/saml';

const ASSERTION_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
const PROTOCOL_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';
const TRANSIENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
/** Where IdPs usually put the email (Entra ID, ADFS, Shibboleth/eduPerson, Google). */
const EMAIL_ATTRIBUTES = ['email', 'mail', 'emailAddress', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress', 'urn:oid:0.9.2342.19200300.100.1.3'];
const NAME_ATTRIBUTES = ['displayName', 'name', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name', 'urn:oid:2.16.840.1.113730.3.1.241'];

/** An assertion that passed every check, with what replay protection and the binding need. */
export interface VerifiedAssertion {
  assertionId: string;
  /** The AuthnRequest it answers (signed, in the subject confirmation); null: IdP-initiated. */
  inResponseTo: string | null;
  relayState: string | null;
  /** Until when it could be accepted: kept that long (plus the skew) to refuse a replay. */
  notOnOrAfter: Date;
  identity: OidcIdentity;
}

/**
 * Our side of SAML 2.0 Web Browser SSO, on @node-saml/node-saml: AuthnRequests over the
 * HTTP-Redirect binding, responses over HTTP-POST. The library checks the XML signature (the
 * assertion's own, always: a signed response around an unsigned assertion is refused), the issuer,
 * the audience and the conditions' times; the checks it leaves to its InResponseTo cache (the
 * subject confirmation's time, recipient and request) are made here, against our own records.
 */
@Injectable()
export class SamlServiceProvider {
  constructor(@Inject(CONFIG) private readonly config: Config) {}

  /** Our entity id for this provider: the URL of our metadata, as is usual. */
  entityId(providerId: string): string {
    return `${this.config.publicUrl}${SAML_PATH}/${providerId}/metadata`;
  }

  acsUrl(providerId: string): string {
    return `${this.config.publicUrl}${SAML_PATH}/${providerId}/acs`;
  }

  async authorizationUrl(p: IdentityProvider, r: { requestId: string; relayState: string }): Promise<string> {
    return this.client(p, () => r.requestId).getAuthorizeUrlAsync(r.relayState, undefined, {});
  }

  metadata(p: IdentityProvider): string {
    return this.client(p).generateServiceProviderMetadata(null, null);
  }

  async verify(p: IdentityProvider, samlResponse: string, relayState: string | null): Promise<VerifiedAssertion> {
    let profile: Profile | null;
    try {
      ({ profile } = await this.client(p).validatePostResponseAsync({ SAMLResponse: samlResponse }));
    } catch (err) {
      throw classify(err);
    }
    if (!profile?.getAssertionXml) throw samlError('saml_response_invalid', 'The identity provider sent no assertion');
    const assertion = parse(profile.getAssertionXml());
    const response = parse(profile.getSamlResponseXml?.() ?? '');
    const now = Date.now();

    const assertionId = assertion.getAttribute('ID');
    if (!assertionId) throw samlError('saml_response_invalid', 'The assertion has no ID');
    // Audience and expiry must be stated: an assertion good for anyone, forever, is not accepted.
    const conditions = first(assertion, 'Conditions');
    const audiences = conditions ? Array.from(conditions.getElementsByTagNameNS(ASSERTION_NS, 'Audience')).map((a) => a.textContent?.trim()) : [];
    if (!audiences.includes(this.entityId(p.id))) throw samlError('saml_audience_invalid', 'The assertion was not issued for this service');
    const notOnOrAfter = time(conditions?.getAttribute('NotOnOrAfter'));
    if (notOnOrAfter === undefined) throw samlError('saml_response_invalid', 'The assertion states no expiry');
    if (now - SAML_CLOCK_SKEW_MS >= notOnOrAfter) throw samlError('saml_assertion_expired', 'The assertion has expired');

    // A bearer confirmation, unexpired, for our ACS, answering the request the response names.
    const confirmation = Array.from(assertion.getElementsByTagNameNS(ASSERTION_NS, 'SubjectConfirmation')).find(
      (c) => c.getAttribute('Method') === 'urn:oasis:names:tc:SAML:2.0:cm:bearer',
    );
    const data = confirmation && first(confirmation, 'SubjectConfirmationData');
    if (!data) throw samlError('saml_response_invalid', 'The assertion has no bearer subject confirmation');
    const confirmedUntil = time(data.getAttribute('NotOnOrAfter'));
    if (confirmedUntil === undefined || now - SAML_CLOCK_SKEW_MS >= confirmedUntil) throw samlError('saml_assertion_expired', 'The assertion has expired');
    const recipient = data.getAttribute('Recipient');
    // The Web Browser SSO profile requires the bearer confirmation to name its recipient.
    if (recipient !== this.acsUrl(p.id)) throw samlError('saml_audience_invalid', 'The assertion was sent for another service');
    const destination = response.getAttribute('Destination');
    if (destination && destination !== this.acsUrl(p.id)) throw samlError('saml_audience_invalid', 'The response was sent for another service');
    const inResponseTo = data.getAttribute('InResponseTo') || null;
    if ((response.getAttribute('InResponseTo') || null) !== inResponseTo) {
      throw samlError('saml_in_response_to_invalid', 'The response and its assertion answer different requests');
    }

    const nameId = typeof profile.nameID === 'string' ? profile.nameID.trim() : '';
    if (!nameId) throw samlError('saml_response_invalid', 'The assertion names no subject');
    // A transient NameID changes at every sign-in: it cannot name the same person twice.
    if (profile.nameIDFormat === TRANSIENT) throw samlError('saml_response_invalid', 'The identity provider must send a persistent NameID, not a transient one');
    const attributes = (profile.attributes ?? {}) as Record<string, unknown>;
    const email = pickEmail(attributes, p.saml?.emailAttribute ?? null, nameId, profile.nameIDFormat);
    const name = NAME_ATTRIBUTES.map((n) => firstString(attributes[n])).find(Boolean);
    return {
      assertionId,
      inResponseTo,
      relayState,
      notOnOrAfter: new Date(Math.min(notOnOrAfter, confirmedUntil)),
      // The IdP's signature vouches for the email it asserts.
      identity: { subject: nameId, email: email?.toLowerCase(), emailVerified: true, claims: { ...attributes, ...(name ? { name } : {}) } },
    };
  }

  private client(p: IdentityProvider, generateUniqueId?: () => string): SAML {
    if (p.kind !== 'saml' || !p.saml) throw samlError('saml_metadata_invalid', 'Not a SAML identity provider');
    return new SAML({
      issuer: this.entityId(p.id),
      audience: this.entityId(p.id),
      callbackUrl: this.acsUrl(p.id),
      entryPoint: p.saml.ssoUrl,
      idpIssuer: p.saml.entityId,
      idpCert: p.saml.certificates,
      wantAssertionsSigned: true,
      // The assertion's signature is what counts; many IdPs sign only it.
      wantAuthnResponseSigned: false,
      acceptedClockSkewMs: SAML_CLOCK_SKEW_MS,
      // Checked here against the request record bound to the browser, not the library's cache.
      validateInResponseTo: ValidateInResponseTo.never,
      identifierFormat: null,
      disableRequestedAuthnContext: true,
      signatureAlgorithm: 'sha256',
      ...(generateUniqueId ? { generateUniqueId } : {}),
    });
  }
}

/** The library's messages, mapped to the reasons a caller can act on. */
function classify(err: unknown) {
  const message = err instanceof Error ? err.message : String(err);
  if (/signature|No Signature|KeyInfo/i.test(message)) return samlError('saml_signature_invalid', 'The assertion is not signed by this identity provider', undefined, { cause: err });
  if (/audience/i.test(message)) return samlError('saml_audience_invalid', 'The assertion was not issued for this service', undefined, { cause: err });
  if (/expired|not yet valid|too old/i.test(message)) return samlError('saml_assertion_expired', 'The assertion is not valid at this time', undefined, { cause: err });
  return samlError('saml_response_invalid', 'The identity provider’s response was not accepted', undefined, { cause: err });
}

function parse(xml: string): Element {
  const doc = new DOMParser().parseFromString(xml || '<x/>', 'text/xml');
  return doc.documentElement!;
}

function first(parent: Element, localName: string): Element | undefined {
  return parent.getElementsByTagNameNS(ASSERTION_NS, localName).item(0) ?? parent.getElementsByTagNameNS(PROTOCOL_NS, localName).item(0) ?? undefined;
}

function time(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function firstString(v: unknown): string | undefined {
  const s = Array.isArray(v) ? v.find((x) => typeof x === 'string') : v;
  return typeof s === 'string' && s.trim() ? s.trim() : undefined;
}

function pickEmail(attributes: Record<string, unknown>, configured: string | null, nameId: string, nameIdFormat: string | undefined): string | undefined {
  if (configured) return firstString(attributes[configured]);
  const fromAttributes = EMAIL_ATTRIBUTES.map((n) => firstString(attributes[n])).find(Boolean);
  if (fromAttributes) return fromAttributes;
  return nameIdFormat === EMAIL_FORMAT || /^[^@\s]+@[^@\s]+$/.test(nameId) ? nameId : undefined;
}
