// Single sign-on in the browser: an admin configures an OpenID Connect provider in Settings, and a
// new official signs in from the sign-in page's "Sign in with <provider>" choice, through a real
// provider (oidc-provider, as the server's SSO tests run it) on loopback, landing in the console
// with an account made just in time. The SAML paths are tested end to end by the server's suite
// (server/test/sso-saml.int.spec.ts); here the SAML form is only shown, for axe.
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const EMAIL = 'leela@sso-e2e.gov.in';

/** oidc-provider with one client; its login screen is skipped: whoever arrives is Leela. */
async function startProvider(redirectUri) {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const client = { clientId: 'guddu-e2e', clientSecret: 'a-long-enough-client-secret-for-the-browser-test' };
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    clients: [{ client_id: client.clientId, client_secret: client.clientSecret, redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] },
    cookies: { keys: ['e2e-cookie-key'] },
    pkce: { required: () => true },
    conformIdTokenClaims: false,
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id, email: EMAIL, email_verified: true, name: 'Leela Iyer' }) }),
  });
  const handle = provider.callback();
  server.on('request', (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return handle(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      const grant = new provider.Grant({ accountId: 'leela', clientId: details.params.client_id });
      grant.addOIDCScope(details.params.scope ?? 'openid');
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { login: { accountId: 'leela' }, consent: { grantId } }, { mergeWithLastSubmission: false });
    })().catch((err) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  return {
    issuer,
    ...client,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** `page` is a signed-in owner's (or admin's) page in the console. */
export async function ssoFlow({ browser, server, check, heading, page }) {
  const idp = await startProvider(`${server.url}/api/v1/auth/sso/callback`);
  try {
    await page.getByRole('link', { name: 'Settings' }).click();
    await heading(page, 'Settings');
    const section = page.getByRole('region', { name: 'Single sign-on' });
    await section.getByText('No identity provider is configured.').waitFor();
    await section.getByLabel('Protocol').selectOption('oidc');
    await section.getByLabel('Name shown on the sign-in page').fill('Government ID');
    await section.getByLabel('Issuer URL').fill(idp.issuer);
    await section.getByLabel('Client ID').fill(idp.clientId);
    await section.getByLabel('Client secret').fill(idp.clientSecret);
    await section.getByLabel('Allowed email domains').fill('sso-e2e.gov.in');
    await section.getByLabel('Default role for new accounts').selectOption('viewer');
    await section.getByLabel('Create an account at first sign-in when none has the email').check();
    await section.getByRole('button', { name: 'Add provider' }).click();
    await section.getByRole('heading', { name: /Government ID/ }).waitFor({ timeout: 20_000 });
    await section.getByText(`${server.url}/api/v1/auth/sso/callback`).waitFor();
    await section.getByRole('definition').filter({ hasText: /^Viewer$/ }).waitFor();
    // Changed in place: new accounts become editors.
    await section.getByRole('button', { name: 'Change settings' }).click();
    const edit = section.getByRole('form', { name: 'Change Government ID' });
    await edit.getByLabel('Default role for new accounts').selectOption('editor');
    await check(page, 'settings-sso-edit');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await section.getByRole('definition').filter({ hasText: /^Editor$/ }).waitFor({ timeout: 20_000 });
    // The SAML form, for axe: metadata, or entity id, SSO URL and certificate.
    await section.getByLabel('Protocol').selectOption('saml');
    await section.getByLabel('Identity provider metadata (XML)').waitFor();
    await check(page, 'settings-sso');

    // A new official, in a browser of their own: the sign-in page offers the domain's provider.
    const context = await browser.newContext({ baseURL: server.url, bypassCSP: true, locale: 'en-GB', timezoneId: 'Asia/Kolkata' });
    const leela = await context.newPage();
    await leela.goto('/login/');
    await heading(leela, 'Sign in to Guddu');
    await leela.getByLabel('Email').fill(EMAIL);
    const choice = leela.getByRole('button', { name: 'Sign in with Government ID' });
    await choice.waitFor({ timeout: 20_000 });
    await check(leela, 'sign-in-sso');
    await choice.click();
    await heading(leela, 'Welcome, Leela Iyer');
    await context.close();
  } finally {
    await idp.close();
  }
}
