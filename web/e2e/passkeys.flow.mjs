// Second factors in a real browser, on their own Guddu at http://localhost (WebAuthn needs a
// domain as its relying party id): Chromium's virtual authenticator (CDP WebAuthn domain)
// registers a passkey on "Your security" and then signs in with it, no password; an
// authenticator app is enrolled from the secret shown beside the QR code (the test computes
// the codes, RFC 6238) and signs in as the second step after the password. Then a policy that
// requires a factor of everyone walks a newly invited member through enrolling a passkey.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const PASSWORD = 'monsoon-tea-over-old-delhi';

function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of text.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** The shell's own sign-out button shows only to a signed-in user. */
const signedIn = (page) => page.getByRole('banner').getByRole('button', { name: 'Sign out', exact: true }).waitFor({ timeout: 20_000 });

const stepNow = () => Math.floor(Date.now() / 30_000);

export async function passkeysFlow({ browser, startGuddu, check, heading }) {
  const server = await startGuddu({ host: 'localhost' });
  const context = await browser.newContext({ baseURL: server.url, bypassCSP: true, locale: 'en-GB', timezoneId: 'Asia/Kolkata' });
  const page = await context.newPage();
  try {
    page.on('pageerror', (e) => console.log('[pageerror]', e.message));
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });

    await page.goto('/setup/');
    await heading(page, 'Set up Guddu');
    await page.getByLabel('Setup token').fill(server.token);
    await page.getByLabel('Organisation name').fill('Ministry of Passkeys');
    await page.getByLabel('Your name').fill('Meera Iyer');
    await page.getByLabel('Email').fill('meera@mea.gov.in');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create and sign in' }).click();
    await heading(page, 'Welcome, Meera Iyer');

    // Your security: an authenticator app from the secret beside the QR code.
    await page.getByRole('link', { name: 'Security', exact: true }).click();
    await heading(page, 'Your security');
    await check(page, 'security');
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    const secret = (await page.getByTestId('totp-secret').textContent()).trim();
    await check(page, 'security-totp');
    const enrolStep = stepNow();
    await page.getByLabel('The six-digit code the app shows').fill(totp(secret, enrolStep));
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.getByText('The authenticator app is set up.').first().waitFor();
    assert.equal(await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').count(), 10);

    // A passkey, made by the virtual authenticator.
    await page.getByLabel('Name for the passkey').fill('Test laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByText('The passkey “Test laptop” was added.').waitFor();
    await page.getByRole('listitem').filter({ hasText: 'Test laptop' }).first().waitFor();
    await check(page, 'security-passkey');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0].isResidentCredential, true);

    // Each sign-in below lands on home or back on Your security (?next=): signed in either way.
    // Passwordless: the passkey alone.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await heading(page, 'Sign in to Guddu');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await signedIn(page);

    // Password, then the authenticator app's next code as the second step.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await heading(page, 'Sign in to Guddu');
    await page.getByLabel('Email').fill('meera@mea.gov.in');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading(page, 'Confirm it is you');
    await check(page, 'sign-in-second-step');
    await page.getByLabel('Code').fill(totp(secret, Math.max(stepNow(), enrolStep + 1)));
    await page.getByRole('button', { name: 'Verify' }).click();
    await signedIn(page);

    // And the passkey as the second step.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await heading(page, 'Sign in to Guddu');
    await page.getByLabel('Email').fill('meera@mea.gov.in');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading(page, 'Confirm it is you');
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await signedIn(page);

    // The organisation now requires a second factor of everyone (Settings → Sign-in policy).
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await heading(page, 'Settings');
    const policy = page.getByRole('region', { name: 'Sign-in policy' });
    await policy.getByRole('group', { name: 'Require a second factor of' }).getByLabel('everyone').check();
    await policy.getByRole('button', { name: 'Save the policy' }).click();
    await page.getByText('The sign-in policy was saved.').waitFor();
    // A new member, invited and accepted through the API, is walked through enrolment at sign-in.
    const token = await page.evaluate(async () => {
      const csrf = document.cookie.split('; ').find((c) => c.startsWith('guddu_csrf='))?.split('=')[1] ?? '';
      const res = await fetch('/api/v1/invitations', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ email: 'kabir@mea.gov.in', role: 'editor' }) });
      return (await res.json()).token;
    });
    const accepted = await fetch(`${server.url.replace('localhost', '127.0.0.1')}/api/v1/invitations/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, password: PASSWORD, displayName: 'Kabir Das' }),
    });
    assert.equal(accepted.status, 200, await accepted.text());
    const kabirContext = await browser.newContext({ baseURL: server.url, bypassCSP: true, locale: 'en-GB', timezoneId: 'Asia/Kolkata' });
    try {
      const kabir = await kabirContext.newPage();
      const kabirCdp = await kabirContext.newCDPSession(kabir);
      await kabirCdp.send('WebAuthn.enable');
      await kabirCdp.send('WebAuthn.addVirtualAuthenticator', {
        options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
      });
      await kabir.goto('/login/');
      await kabir.getByLabel('Email').fill('kabir@mea.gov.in');
      await kabir.getByLabel('Password').fill(PASSWORD);
      await kabir.getByRole('button', { name: 'Sign in', exact: true }).click();
      await heading(kabir, 'Set up a second factor');
      await check(kabir, 'enrolment');
      await kabir.getByRole('button', { name: 'Add a passkey' }).click();
      await kabir.getByText('The passkey “Passkey” was added.').waitFor();
      assert.equal(await kabir.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').count(), 10);
      await kabir.getByRole('button', { name: 'Continue' }).click();
      await heading(kabir, 'Welcome, Kabir Das');
    } finally {
      await kabirContext.close();
    }
  } catch (err) {
    // The context closes below, before run.mjs takes its failure screenshots: take ours now.
    await page.screenshot({ path: fileURLToPath(new URL('./artifacts/passkeys-failure.png', import.meta.url)), fullPage: true }).catch(() => undefined);
    throw err;
  } finally {
    await context.close();
    await server.stop();
  }
}
