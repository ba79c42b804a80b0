import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIdpMetadata } from './saml-metadata.js';

const cert = (name: string) =>
  readFileSync(new URL(`../../../../test/fixtures/saml/${name}.cert.pem`, import.meta.url), 'utf8').replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');

const metadata = (inner: string, entityId = 'https://idp.example.gov.in/saml') => `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${entityId}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${inner}</md:IDPSSODescriptor>
</md:EntityDescriptor>`;
const key = (c: string, use?: string) => `<md:KeyDescriptor${use ? ` use="${use}"` : ''}><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${c}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;
const redirect = '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.gov.in/sso"/>';
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

describe('IdP metadata', () => {
  it('reads the entity id, the HTTP-Redirect SSO URL and every signing certificate of a rollover (not encryption ones)', () => {
    const parsed = parseIdpMetadata(metadata(key(cert('idp'), 'signing') + key(cert('other')) + key(cert('other'), 'encryption') + redirect));
    expect(parsed.entityId).toBe('https://idp.example.gov.in/saml');
    expect(parsed.ssoUrl).toBe('https://idp.example.gov.in/sso');
    expect(parsed.certificates).toHaveLength(2);
    expect(parsed.certificates[0]).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
  });

  it('refuses what it cannot use', () => {
    expect(code(() => parseIdpMetadata(metadata(key(cert('idp')) + redirect.replace('HTTP-Redirect', 'HTTP-POST'))))).toBe('saml_metadata_invalid');
    expect(code(() => parseIdpMetadata(metadata(redirect)))).toBe('saml_metadata_invalid');
    expect(code(() => parseIdpMetadata(metadata(key(cert('idp')) + redirect.replace('https://', 'http://'))))).toBe('saml_metadata_invalid');
    expect(code(() => parseIdpMetadata(`<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${metadata(key(cert('idp')) + redirect).replace('<?xml version="1.0"?>', '').repeat(2)}</md:EntitiesDescriptor>`))).toBe(
      'saml_metadata_invalid',
    );
    expect(code(() => parseIdpMetadata('<md:EntityDescriptor'))).toBe('saml_metadata_invalid');
    expect(code(() => parseIdpMetadata(metadata(key('bm90IGEgY2VydGlmaWNhdGU=') + redirect)))).toBe('saml_metadata_invalid');
  });
});
