// "Require SSO" in a real browser, on its own Guddu and its own OpenID Connect provider
// (oidc-provider on loopback, as the server's tests run it): the owner adds the provider, links
// their identity and signs in through it (whoever requires SSO must have come in that way), then
// requires single sign-on of everyone in Settings. A password sign-in is then refused, and the
// sign-in page offers the provider the refusal names; signing in through it works. An invitation
// into the organisation cannot be accepted with a password either: the invitation page offers the
// provider, and signing in there (with the invitation's token) makes the invitee a member.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const PASSWORD = 'monsoon-tea-over-old-delhi';
const EMAIL = 'asha@sso-required.gov.in';
const INVITEE = 'ravi@sso-required.gov.in';
/** Whom the provider signs in: whoever arrives is `current.id` (Asha until the invitee's turn). */
const PEOPLE = { asha: { email: EMAIL, name: 'Asha Verma' }, ravi: { email: INVITEE, name: 'Ravi Menon' } };
const current = { id: 'asha' };

/** oidc-provider with one client; its login screen is skipped: whoever arrives is `current.id`. */
async function startProvider(redirectUri) {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const client = { clientId: 'guddu-e2e-required', clientSecret: 'a-long-enough-client-secret-for-the-browser-test' };
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
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id, email: PEOPLE[id].email, email_verified: true, name: PEOPLE[id].name }) }),
  });
  const handle = provider.callback();
  server.on('request', (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return handle(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      const grant = new provider.Grant({ accountId: current.id, clientId: details.params.client_id });
      grant.addOIDCScope(details.params.scope ?? 'openid');
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { login: { accountId: current.id }, consent: { grantId } }, { mergeWithLastSubmission: false });
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

export async function ssoRequiredFlow({ browser, startGuddu, check, heading }) {
  const server = await startGuddu();
  const idp = await startProvider(`${server.url}/api/v1/auth/sso/callback`);
  const context = await browser.newContext({ baseURL: server.url, bypassCSP: true, locale: 'en-GB', timezoneId: 'Asia/Kolkata' });
  const page = await context.newPage();
  try {
    await page.goto('/setup/');
    await heading(page, 'Set up Guddu');
    await page.getByLabel('Setup token').fill(server.token);
    await page.getByLabel('Organisation name').fill('Ministry of Single Sign-On');
    await page.getByLabel('Your name').fill('Asha Verma');
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create and sign in' }).click();
    await heading(page, 'Welcome, Asha Verma');

    // The provider, in Settings.
    await page.getByRole('link', { name: 'Settings' }).click();
    await heading(page, 'Settings');
    const sso = page.getByRole('region', { name: 'Single sign-on' });
    await sso.getByLabel('Protocol').selectOption('oidc');
    await sso.getByLabel('Name shown on the sign-in page').fill('Government ID');
    await sso.getByLabel('Issuer URL').fill(idp.issuer);
    await sso.getByLabel('Client ID').fill(idp.clientId);
    await sso.getByLabel('Client secret').fill(idp.clientSecret);
    await sso.getByLabel('Allowed email domains').fill('sso-required.gov.in');
    await sso.getByRole('button', { name: 'Add provider' }).click();
    await sso.getByRole('heading', { name: /Government ID/ }).waitFor({ timeout: 20_000 });

    // Requiring SSO while signed in by password is refused: prove the provider first.
    const policy = page.getByRole('region', { name: 'Sign-in policy' });
    await policy.getByRole('group', { name: 'Require single sign-on (an identity provider) of' }).getByLabel('everyone').check();
    await policy.getByRole('button', { name: 'Save the policy' }).click();
    await policy.getByText('Sign in with the identity provider yourself before requiring it of others.').waitFor({ timeout: 20_000 });

    // The owner links their identity at the provider (the API the console's settings call), ...
    const providerId = await page.evaluate(async () => (await (await fetch('/api/v1/identity-providers')).json()).items[0].id);
    const link = await page.evaluate(async (id) => {
      const csrf = document.cookie.split('; ').find((c) => c.startsWith('guddu_csrf='))?.split('=')[1] ?? '';
      const res = await fetch('/api/v1/auth/sso/link', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ providerId: id }) });
      return res.json();
    }, providerId);
    await page.goto(link.authorizationUrl);
    await page.waitForURL(/\/settings/, { timeout: 20_000 });
    // ... signs out, and back in through it.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await heading(page, 'Sign in to Guddu');
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByRole('button', { name: 'Sign in with Government ID' }).click();
    await heading(page, 'Welcome, Asha Verma');

    // Now the rule can be set.
    await page.getByRole('link', { name: 'Settings' }).click();
    await heading(page, 'Settings');
    await policy.getByRole('group', { name: 'Require single sign-on (an identity provider) of' }).getByLabel('everyone').check();
    await policy.getByRole('button', { name: 'Save the policy' }).click();
    await policy.getByText('The sign-in policy was saved.').waitFor({ timeout: 20_000 });
    await policy.getByText('In force here (including organisations above): single sign-on required of everyone.').waitFor();
    await check(page, 'settings-sso-required');

    // A password sign-in, in a browser of its own: refused, with the provider offered.
    const other = await browser.newContext({ baseURL: server.url, bypassCSP: true, locale: 'en-GB', timezoneId: 'Asia/Kolkata' });
    const signIn = await other.newPage();
    await signIn.goto('/login/');
    await heading(signIn, 'Sign in to Guddu');
    await signIn.getByLabel('Email').fill(EMAIL);
    await signIn.getByLabel('Password').fill(PASSWORD);
    await signIn.getByRole('button', { name: 'Sign in', exact: true }).click();
    await signIn.getByText('Your organisation requires you to sign in with its identity provider.').waitFor({ timeout: 20_000 });
    await signIn.getByRole('heading', { name: 'Sign in with your organisation’s identity provider' }).waitFor();
    assert.equal(await signIn.getByRole('button', { name: 'Sign in with Government ID' }).count(), 1);
    await check(signIn, 'sign-in-sso-required');
    await signIn.getByRole('button', { name: 'Sign in with Government ID' }).click();
    await heading(signIn, 'Welcome, Asha Verma');
    await other.close();

    // An invitation: the password is refused (sso_required), and the page offers the provider.
    const invited = await page.evaluate(async (email) => {
      const csrf = document.cookie.split('; ').find((c) => c.startsWith('guddu_csrf='))?.split('=')[1] ?? '';
      const res = await fetch('/api/v1/invitations', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ email, role: 'editor' }) });
      return res.json();
    }, INVITEE);
    assert.ok(invited.token, JSON.stringify(invited));
    const invitee = await browser.newContext({ baseURL: server.url, bypassCSP: true, locale: 'en-GB', timezoneId: 'Asia/Kolkata' });
    const accepting = await invitee.newPage();
    await accepting.goto(`/invitations/accept#token=${encodeURIComponent(invited.token)}`);
    await heading(accepting, 'Accept your invitation');
    await accepting.getByLabel('Your name (for a new account)').fill('Ravi Menon');
    await accepting.getByLabel('Password').fill('jasmine-rain-on-marine-drive');
    await accepting.getByRole('button', { name: 'Accept invitation' }).click();
    await accepting.getByText('Your organisation requires you to join by signing in with its identity provider', { exact: false }).waitFor({ timeout: 20_000 });
    assert.equal(await accepting.getByLabel('Password').count(), 0, 'the password form is gone: it cannot succeed');
    await check(accepting, 'invitation-sso-required');
    current.id = 'ravi';
    await accepting.getByRole('button', { name: 'Sign in with Government ID' }).click();
    // The callback accepts the invitation and signs the new member in.
    await heading(accepting, 'Welcome, Ravi Menon');
    const me = await accepting.evaluate(async () => (await fetch('/api/v1/me')).json());
    assert.equal(me.user?.email, INVITEE, JSON.stringify(me));
    assert.deepEqual(me.organisation?.roles, ['editor'], JSON.stringify(me));
    await invitee.close();
  } finally {
    await context.close();
    await idp.close();
    await server.stop();
  }
}
