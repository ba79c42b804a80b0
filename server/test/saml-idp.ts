import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/saml/${name}`, import.meta.url), 'utf8');
/** Test-only keys (fixtures/saml): the IdP's, and another that no provider trusts. */
const KEYS = {
  idp: { key: fixture('idp.key.pem'), cert: fixture('idp.cert.pem') },
  other: { key: fixture('other.key.pem'), cert: fixture('other.cert.pem') },
};

export interface SamlAccount {
  nameId: string;
  attributes: Record<string, string[]>;
}

/** What the next response does wrong, for the refusal tests. */
export interface SamlTamper {
  audience?: string;
  /** Shifts every timestamp (negative: an assertion issued and expired in the past). */
  shiftMs?: number;
  unsigned?: boolean;
  signWith?: 'other';
  inResponseTo?: string;
  /** Changes the email after signing. */
  alterAfterSigning?: string;
}

export interface PostedForm {
  acsUrl: string;
  SAMLResponse: string;
  RelayState: string;
}

/**
 * A SAML 2.0 identity provider on loopback for the SSO tests, signing with xml-crypto (the library
 * node-saml verifies with). Its single sign-on service reads an AuthnRequest from the HTTP-Redirect
 * binding (deflated, base64) and answers, as an IdP's page does, with an HTML form that posts a
 * signed response to the ACS the request named. Its login screen is skipped: the next browser signs
 * in as `signInAs`. It can also start a sign-in itself (IdP-initiated).
 */
export class TestSamlIdp {
  signInAs: SamlAccount = { nameId: 'nobody', attributes: {} };
  tamper: SamlTamper = {};
  /** The AuthnRequests received, as parsed. */
  readonly requests: { id: string; acsUrl: string; issuer: string }[] = [];
  readonly certificate = KEYS.idp.cert;
  readonly otherCertificate = KEYS.other.cert;

  private constructor(
    private readonly server: Server,
    readonly base: string,
  ) {}

  get entityId(): string {
    return `${this.base}/idp`;
  }

  get ssoUrl(): string {
    return `${this.base}/sso`;
  }

  static async start(): Promise<TestSamlIdp> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const idp = new TestSamlIdp(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (req, res) => {
      try {
        const url = new URL(req.url ?? '/', idp.base);
        if (url.pathname !== '/sso') {
          res.statusCode = 404;
          return res.end();
        }
        const request = parseRequest(url.searchParams.get('SAMLRequest') ?? '');
        idp.requests.push(request);
        const form = idp.respond(request.acsUrl, request.issuer, request.id, url.searchParams.get('RelayState') ?? '');
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end(
          `<html><body onload="document.forms[0].submit()"><form method="post" action="${form.acsUrl}">` +
            `<input type="hidden" name="SAMLResponse" value="${form.SAMLResponse}"/>` +
            `<input type="hidden" name="RelayState" value="${escapeAttr(form.RelayState)}"/></form></body></html>`,
        );
      } catch (err) {
        res.statusCode = 400;
        res.end(String(err));
      }
    });
    return idp;
  }

  metadataXml(): string {
    const body = this.certificate.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
    return `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${this.entityId}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAuthnRequestsSigned="false">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${body}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${this.base}/sso-post"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${this.ssoUrl}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
  }

  /** The browser at the IdP: follows the authorization URL and reads the form it is given to post. */
  async browse(authorizationUrl: string): Promise<PostedForm> {
    const res = await fetch(authorizationUrl);
    const html = await res.text();
    if (res.status !== 200) throw new Error(`IdP answered ${res.status}: ${html}`);
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
    return { acsUrl: /action="([^"]+)"/.exec(html)![1]!, SAMLResponse: field('SAMLResponse'), RelayState: unescapeAttr(field('RelayState')) };
  }

  /** An unsolicited response (IdP-initiated): no request, no InResponseTo. */
  unsolicited(acsUrl: string, audience: string, relayState = ''): PostedForm {
    return this.respond(acsUrl, audience, null, relayState);
  }

  private respond(acsUrl: string, audience: string, requestId: string | null, relayState: string): PostedForm {
    const t = this.tamper;
    const now = Date.now() + (t.shiftMs ?? 0);
    const iso = (offsetMs: number) => new Date(now + offsetMs).toISOString();
    const inResponseTo = t.inResponseTo ?? requestId;
    const irt = inResponseTo ? ` InResponseTo="${inResponseTo}"` : '';
    const attributes = Object.entries(this.signInAs.attributes)
      .map(([name, values]) => `<saml:Attribute Name="${name}">${values.map((v) => `<saml:AttributeValue>${escapeText(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`)
      .join('');
    const assertion =
      `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a${randomUUID()}" Version="2.0" IssueInstant="${iso(0)}">` +
      `<saml:Issuer>${this.entityId}</saml:Issuer>` +
      `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${escapeText(this.signInAs.nameId)}</saml:NameID>` +
      `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData${irt} NotOnOrAfter="${iso(5 * 60_000)}" Recipient="${acsUrl}"/></saml:SubjectConfirmation></saml:Subject>` +
      `<saml:Conditions NotBefore="${iso(-30_000)}" NotOnOrAfter="${iso(5 * 60_000)}"><saml:AudienceRestriction><saml:Audience>${t.audience ?? audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
      `<saml:AuthnStatement AuthnInstant="${iso(0)}" SessionIndex="_s${randomUUID()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
      `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` +
      `</saml:Assertion>`;
    let xml =
      `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r${randomUUID()}" Version="2.0" IssueInstant="${iso(0)}" Destination="${acsUrl}"${irt}>` +
      `<saml:Issuer>${this.entityId}</saml:Issuer>` +
      `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
      assertion +
      `</samlp:Response>`;
    if (!t.unsigned) xml = sign(xml, t.signWith === 'other' ? KEYS.other : KEYS.idp);
    if (t.alterAfterSigning) xml = xml.replace(/(<saml:Attribute Name="email"><saml:AttributeValue>)[^<]*/, `$1${t.alterAfterSigning}`);
    return { acsUrl, SAMLResponse: Buffer.from(xml).toString('base64'), RelayState: relayState };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The assertion signed (enveloped, exclusive c14n, RSA-SHA256), its signature after its Issuer. */
function sign(xml: string, key: { key: string; cert: string }): string {
  const sig = new SignedXml({
    privateKey: key.key,
    publicCert: key.cert,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  sig.addReference({
    xpath: "//*[local-name(.)='Assertion']",
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
  });
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' } });
  return sig.getSignedXml();
}

function parseRequest(encoded: string): { id: string; acsUrl: string; issuer: string } {
  const xml = inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8');
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const root = doc.documentElement!;
  const issuer = doc.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'Issuer').item(0)?.textContent ?? '';
  return { id: root.getAttribute('ID') ?? '', acsUrl: root.getAttribute('AssertionConsumerServiceURL') ?? '', issuer };
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, '&quot;');
const unescapeAttr = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&amp;/g, '&');
