import { X509Certificate } from 'node:crypto';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { samlError } from './saml.errors.js';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

export interface IdpMetadata {
  entityId: string;
  ssoUrl: string;
  certificates: string[];
}

/**
 * What we need of an IdP's metadata: its entity id, its single sign-on URL for the HTTP-Redirect
 * binding (the one the browser is sent to), and every certificate it may sign with (a rollover
 * lists two). A DOCTYPE is refused outright: no entity of any kind is expanded from an admin's paste.
 */
export function parseIdpMetadata(xml: string): IdpMetadata {
  if (/<!DOCTYPE/i.test(xml)) throw invalid('a DOCTYPE is not accepted');
  let doc: ReturnType<DOMParser['parseFromString']>;
  try {
    doc = new DOMParser({ onError: (level, msg) => {
      if (level !== 'warning') throw new Error(msg);
    } }).parseFromString(xml, 'text/xml');
  } catch {
    throw invalid('it is not well-formed XML');
  }
  const entities = doc.getElementsByTagNameNS(MD, 'EntityDescriptor');
  if (entities.length !== 1) throw invalid('it must describe exactly one entity');
  const entity = entities.item(0)!;
  const entityId = entity.getAttribute('entityID')?.trim();
  if (!entityId) throw invalid('the entity has no entityID');
  const idp = entity.getElementsByTagNameNS(MD, 'IDPSSODescriptor').item(0);
  if (!idp) throw invalid('the entity is not an identity provider');
  const services = Array.from(idp.getElementsByTagNameNS(MD, 'SingleSignOnService'));
  const ssoUrl = services.find((s) => s.getAttribute('Binding') === REDIRECT_BINDING)?.getAttribute('Location')?.trim();
  if (!ssoUrl) throw invalid('the identity provider offers no HTTP-Redirect single sign-on service');
  const certificates = Array.from(idp.getElementsByTagNameNS(MD, 'KeyDescriptor'))
    .filter((k: Element) => !k.getAttribute('use') || k.getAttribute('use') === 'signing')
    .flatMap((k: Element) => Array.from(k.getElementsByTagNameNS(DS, 'X509Certificate')).map((c) => c.textContent ?? ''));
  if (certificates.length === 0) throw invalid('the identity provider lists no signing certificate');
  return { entityId, ssoUrl: checkSsoUrl(ssoUrl), certificates: certificates.map(normaliseCertificate) };
}

/** A certificate as PEM, from PEM or bare base64; refused unless it parses as X.509. */
export function normaliseCertificate(text: string): string {
  const body = text.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw invalid('a certificate is not base64');
  const pem = `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  try {
    new X509Certificate(pem);
  } catch {
    throw invalid('a certificate is not a valid X.509 certificate');
  }
  return pem;
}

/** https, or http on loopback only (tests, an IdP on the same host). */
export function checkSsoUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid('the single sign-on URL is not a URL');
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) throw invalid('the single sign-on URL must use https');
  return parsed.href;
}

const invalid = (why: string) => samlError('saml_metadata_invalid', `The identity provider's SAML settings are not usable: ${why}`);
