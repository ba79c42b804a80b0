/* global PushManager, localStorage, crypto, btoa, navigator -- these run in the page (addInitScript, evaluate) */
// Notification preferences in the owner's browser: switch a kind on in the browser, quiet hours in the
// browser's zone, a daily digest, saved and read back after a reload; an admin makes a kind
// mandatory in Settings and it shows locked, with the reason, on the person's screen; the
// failure list; the screen in Hindi; browser push on and off.
//
// Push: the service worker (/sw.js) is registered for real. Headless Chromium here has no push
// service to subscribe at (FCM is out of reach), so PushManager's subscribe/getSubscription are
// stood in for by a subscription on a public test address (TEST-NET-3); what Guddu does with a
// subscription, sending an encrypted push to it, is proven over the wire by the server's
// notifications-push-wire test.
import assert from 'node:assert/strict';

const FAKE_PUSH = () => {
  const KEY = 'e2e.push-subscription';
  const make = (json) => ({ endpoint: json.endpoint, toJSON: () => json, unsubscribe: async () => (localStorage.removeItem(KEY), true) });
  PushManager.prototype.subscribe = async function () {
    // A real P-256 point and a 16-byte secret, as a browser would hand over.
    const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
    const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
    const b64 = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const json = { endpoint: `https://203.0.113.7/push/${crypto.randomUUID()}`, keys: { p256dh: b64(raw), auth: b64(crypto.getRandomValues(new Uint8Array(16))) } };
    localStorage.setItem(KEY, JSON.stringify(json));
    return make(json);
  };
  PushManager.prototype.getSubscription = async function () {
    const stored = localStorage.getItem(KEY);
    return stored ? make(JSON.parse(stored)) : null;
  };
};

export async function notificationsPrefsFlow({ page, check, heading }) {
  await page.context().grantPermissions(['notifications']);
  await page.addInitScript(FAKE_PUSH);
  await page.goto('/notifications/');
  await heading(page, 'Notifications');
  await page.getByRole('link', { name: 'Notification preferences' }).click();
  await heading(page, 'Notification preferences');

  // 1. Choices, quiet hours (the zone defaults to the browser's), digest: saved, and there after a reload.
  // This server has no SMTP: its email column is shown but cannot be chosen.
  assert.equal(await page.getByRole('checkbox', { name: 'Message published by Email', exact: true }).isDisabled(), true);
  await page.getByText('not set up on this installation').first().waitFor();
  const published = page.getByRole('checkbox', { name: 'Message published by Browser', exact: true });
  assert.equal(await published.isChecked(), false, 'off by default');
  await published.check();
  assert.equal(await page.getByLabel('Your time zone').inputValue(), 'Asia/Kolkata');
  await page.getByLabel('Hold notifications during quiet hours').check();
  await page.getByLabel('Quiet from').fill('22:30');
  await page.getByLabel('Quiet until').fill('06:45');
  await page.getByRole('radio', { name: 'Daily' }).check();
  await page.getByText('Times are in Asia/Kolkata.', { exact: false }).waitFor();
  await check(page, 'notification-preferences');
  await page.getByRole('button', { name: 'Save preferences' }).click();
  await page.getByText('Your preferences are saved.').waitFor();
  await page.reload();
  await heading(page, 'Notification preferences');
  assert.equal(await page.getByRole('checkbox', { name: 'Message published by Browser', exact: true }).isChecked(), true);
  assert.equal(await page.getByLabel('Quiet from').inputValue(), '22:30');
  assert.equal(await page.getByLabel('Quiet until').inputValue(), '06:45');
  assert.equal(await page.getByRole('radio', { name: 'Daily' }).isChecked(), true);

  // 2. Browser push: the service worker registers; subscribed through the API, then off again.
  const status = page.getByRole('region', { name: 'Browser notifications' }).getByRole('status');
  await status.filter({ hasText: 'This browser does not receive notifications.' }).waitFor();
  await page.getByRole('button', { name: 'Enable browser notifications' }).click();
  await status.filter({ hasText: 'This browser receives notifications. 1 browser of yours is subscribed.' }).waitFor();
  assert.ok(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration('/'))?.active?.scriptURL.endsWith('/sw.js')), 'the service worker is active');
  await check(page, 'notification-preferences-push');
  await page.getByRole('button', { name: 'Turn off browser notifications here' }).click();
  await status.filter({ hasText: 'This browser does not receive notifications. 0 browsers of yours are subscribed.' }).waitFor();

  // 3. The admin makes spikes mandatory by email; the person's screen shows it locked, with why.
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await heading(page, 'Settings');
  const mandates = page.getByRole('region', { name: 'Mandatory notifications' });
  const spikeByEmail = mandates.getByRole('checkbox', { name: 'Spike in reactions by Email is mandatory' });
  // Not optimistic: the box shows the mandate once the server has it (and the list is read again).
  await spikeByEmail.click();
  await mandates.getByRole('checkbox', { name: 'Spike in reactions by Email is mandatory', checked: true, disabled: false }).waitFor();
  await page.getByRole('region', { name: 'Notifications that did not arrive' }).waitFor();
  await check(page, 'settings-notification-admin');
  await page.goto('/notifications/preferences/');
  await heading(page, 'Notification preferences');
  const locked = page.getByRole('checkbox', { name: 'Spike in reactions by Email (Mandatory)' });
  assert.equal(await locked.isChecked(), true);
  assert.equal(await locked.isDisabled(), true);
  await page.getByText('Your organisation requires this kind; it cannot be switched off.').waitFor();

  // 4. The same screen in Hindi, then back to English for what follows.
  await page.getByLabel('Language').selectOption('hi');
  await heading(page, 'सूचना प्राथमिकताएँ');
  await page.getByRole('button', { name: 'प्राथमिकताएँ सहेजें' }).waitFor();
  await check(page, 'notification-preferences-hi');
  await page.getByLabel('भाषा').selectOption('en');
  await heading(page, 'Notification preferences');
}
