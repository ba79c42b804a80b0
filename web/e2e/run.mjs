// The console in a real browser (Debian's Chromium driven by playwright-core; never a
// downloaded browser): first-run setup → sign-in → compose in English and Hindi → submit → a
// second user approves in another browser context, and the author sees it live; the composer
// autosaves and a reload brings the draft back; leaving with unsaved text asks first;
// a sandbox channel is connected from the Channels screen; a suspension makes the banner appear
// in a tab that is already open. axe-core checks every screen it visits
// (0 serious or critical WCAG 2.1 AA violations) and a screenshot of each goes to
// web/e2e/artifacts/. Embedded mode only: the server paths it drives are tested in both modes
// by the server's own suites.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startGuddu } from './server.mjs';
import { notificationsFlow } from './notifications.flow.mjs';
import { ssoFlow } from './sso.flow.mjs';
import { consoleScreensFlow } from './console-screens.flow.mjs';
import { keyboardFlow } from './keyboard.flow.mjs';
import { webhooksFlow } from './webhooks.flow.mjs';
import { passkeysFlow } from './passkeys.flow.mjs';
import { analyticsFlow } from './analytics.flow.mjs';
import { notificationsPrefsFlow } from './notifications-prefs.flow.mjs';
import { ssoRequiredFlow } from './sso-required.flow.mjs';

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PASSWORD = 'monsoon-tea-over-old-delhi';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

mkdirSync(ARTIFACTS, { recursive: true });
const scanned = [];

/** axe on the page as it is now; the screenshot is kept whatever axe finds. */
async function check(page, name) {
  await page.waitForLoadState('load');
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
  scanned.push(name);
  assert.deepEqual(violations, [], `axe on ${name}`);
}

async function heading(page, name) {
  await page.getByRole('heading', { level: 1, name }).waitFor({ timeout: 20_000 });
}

function tomorrowAt(hhmm) {
  const d = new Date(Date.now() + 86_400_000);
  return `${d.toISOString().slice(0, 10)}T${hhmm}`;
}

const server = await startGuddu();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const started = Date.now();
try {
  // axe is injected as a script; the console's CSP (rightly) refuses that without bypassCSP.
  const owner = await browser.newContext({ baseURL: server.url, bypassCSP: true, locale: 'en-GB', timezoneId: 'Asia/Kolkata' });
  const page = await owner.newPage();
  page.on('console', (m) => m.type() === 'error' && console.log('[page]', m.text()));
  page.on('pageerror', (e) => console.log('[pageerror]', e.message));

  // 1. First run: the setup token flow in the page.
  await page.goto('/');
  await page.waitForURL(/\/login\//);
  await heading(page, 'Sign in to Guddu');
  await check(page, 'sign-in');
  await page.getByRole('link', { name: 'Create the first organisation' }).click();
  await heading(page, 'Set up Guddu');
  await check(page, 'setup');
  await page.getByLabel('Setup token').fill(server.token);
  await page.getByLabel('Organisation name').fill('Ministry of External Affairs');
  await page.getByLabel('Your name').fill('Asha Verma');
  await page.getByLabel('Email').fill('asha@mea.gov.in');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create and sign in' }).click();
  await heading(page, 'Welcome, Asha Verma');
  await check(page, 'home');

  // 2. Sign out and back in: the session lives in cookies and survives a reload.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await heading(page, 'Sign in to Guddu');
  await page.getByLabel('Email').fill('asha@mea.gov.in');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await heading(page, 'Welcome, Asha Verma');
  await page.reload();
  await heading(page, 'Welcome, Asha Verma');
  const cookies = await owner.cookies();
  assert.ok(cookies.find((c) => c.name === 'guddu_access')?.httpOnly, 'the access cookie is httpOnly');
  assert.equal(await page.evaluate(() => document.cookie.includes('guddu_access')), false, 'page scripts cannot read the token');

  // 3. A second user, an approver, invited over the API with the owner's session (seeding).
  const invited = await page.evaluate(async () => {
    const csrf = document.cookie.split('; ').find((c) => c.startsWith('guddu_csrf='))?.split('=')[1] ?? '';
    const res = await fetch('/api/v1/invitations', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ email: 'ravi@mea.gov.in', role: 'approver' }) });
    return res.json();
  });
  assert.ok(invited.token, JSON.stringify(invited));
  const accepted = await fetch(`${server.url}/api/v1/invitations/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: invited.token, password: PASSWORD, displayName: 'Ravi Menon' }),
  });
  assert.equal(accepted.status, 200, await accepted.clone().text());

  // 4. Compose in English and Hindi, schedule in a named zone, send for approval.
  await page.getByRole('link', { name: 'Messages' }).click();
  await heading(page, 'Messages');
  await check(page, 'messages-empty');
  await page.getByRole('link', { name: 'New message' }).click();
  await heading(page, 'New message');
  // Text without a title stays on this device; leaving asks first, and staying keeps it.
  await page.getByLabel('Text in English').fill('Greetings on International Day of Yoga! 🧘');
  await page.getByText('Kept on this device').waitFor();
  let asked = '';
  page.once('dialog', (d) => {
    asked = d.message();
    void d.dismiss();
  });
  await page.getByRole('link', { name: 'Messages', exact: true }).click();
  assert.match(asked, /not saved yet/);
  await heading(page, 'New message');
  // With a title it autosaves within 2 s, and a reload (a closed tab) brings it back.
  await page.getByLabel('Working title').fill('Yoga Day greetings');
  await page.getByText(/^Saved at /).waitFor({ timeout: 4_000 });
  await page.reload();
  await page.getByText('This is the message you were writing').waitFor();
  assert.equal(await page.getByLabel('Text in English').inputValue(), 'Greetings on International Day of Yoga! 🧘');
  assert.equal(await page.getByLabel('Working title').inputValue(), 'Yoga Day greetings');
  await check(page, 'composer-en');
  await page.getByRole('tab', { name: 'Hindi' }).click();
  const hindi = page.getByLabel('Text in Hindi');
  await hindi.fill('अंतर्राष्ट्रीय योग दिवस की शुभकामनाएँ! 🧘');
  assert.equal(await hindi.getAttribute('lang'), 'hi');
  assert.equal(await hindi.getAttribute('dir'), 'ltr');
  await page.getByText('24 characters').waitFor();
  await check(page, 'composer-hi');
  await page.getByLabel('Date and time').fill(tomorrowAt('09:00'));
  await page.getByLabel('Time zone').selectOption('Asia/Kolkata');
  await page.getByRole('button', { name: 'Send for approval' }).click();
  await heading(page, 'Yoga Day greetings');
  await page.getByText('In review').waitFor();
  await page.getByText('(Asia/Kolkata)').first().waitFor();
  await page.getByRole('heading', { name: 'Versions' }).waitFor();
  await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
  await page.getByText('message.created').first().waitFor();
  await check(page, 'message-in-review');

  // 5. The approver, in another browser context (another person's browser), in Hindi.
  const second = await browser.newContext({ baseURL: server.url, bypassCSP: true, locale: 'hi-IN', timezoneId: 'Europe/Paris' });
  const ravi = await second.newPage();
  await ravi.goto('/login/');
  await ravi.getByLabel('Email').fill('ravi@mea.gov.in');
  await ravi.getByLabel('Password').fill(PASSWORD);
  await ravi.getByRole('button', { name: 'Sign in', exact: true }).click();
  await heading(ravi, 'Welcome, Ravi Menon');
  await ravi.getByRole('link', { name: 'Yoga Day greetings' }).first().waitFor(); // in the approvals and the recent list once both load
  await ravi.getByLabel('Language').selectOption('hi');
  await heading(ravi, 'स्वागत है, Ravi Menon');
  assert.equal(await ravi.evaluate(() => document.documentElement.lang), 'hi');
  await check(ravi, 'home-hi');
  await ravi.getByRole('link', { name: 'अनुमोदन', exact: true }).click();
  await heading(ravi, 'अनुमोदन');
  await check(ravi, 'approvals-hi');
  await ravi.getByRole('link', { name: 'Yoga Day greetings' }).click();
  await heading(ravi, 'समीक्षा: Yoga Day greetings');
  await ravi.getByText('अंतर्राष्ट्रीय योग दिवस की शुभकामनाएँ!').waitFor();
  await check(ravi, 'review-hi');
  await ravi.getByRole('button', { name: 'अनुमोदित करें' }).click();
  await ravi.getByText('आपने यह संदेश अनुमोदित किया।').waitFor();
  // The choice of language is remembered for this user after a reload.
  await ravi.reload();
  await heading(ravi, 'समीक्षा: Yoga Day greetings');

  // 6. The author sees it scheduled without a reload: the approval arrives over the live feed.
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  await page.getByText('Scheduled', { exact: true }).first().waitFor({ timeout: 10_000 });
  await page.getByRole('link', { name: 'Calendar' }).click();
  await heading(page, 'Calendar');
  await page.getByRole('tab', { name: 'List' }).click();
  await page.getByRole('link', { name: 'Yoga Day greetings' }).waitFor();
  await check(page, 'calendar-list');
  for (const [link, title, name] of [['Approvals', 'Approvals', 'approvals'], ['Settings', 'Settings', 'settings'], ['Media', 'Media', 'media']]) {
    await page.getByRole('link', { name: link, exact: true }).click();
    await heading(page, title);
    await check(page, name);
  }
  // Connect a sandbox account: the browser goes to the (simulated) network's consent page, which
  // answers at once to the callback, which brings it back to the Channels screen.
  await page.getByRole('link', { name: 'Channels', exact: true }).click();
  await heading(page, 'Channels');
  await page.getByText('No channels are connected yet.').waitFor();
  const connectForm = page.getByRole('region', { name: 'Connect a channel' });
  await connectForm.getByLabel('Network', { exact: true }).selectOption('x');
  assert.equal(await connectForm.getByLabel('Connect a sandbox account (practice network)').isChecked(), true);
  await connectForm.getByRole('button', { name: 'Connect' }).click();
  await page.waitForURL(/\/channels\/\?connected=/, { timeout: 20_000 });
  await heading(page, 'Channels');
  await page.getByText('The channel is connected.').waitFor();
  const row = page.getByRole('row').filter({ hasText: 'Connected' });
  await row.getByText('Sandbox', { exact: true }).waitFor();
  await check(page, 'channels');
  await row.getByRole('button', { name: 'Refresh access' }).click();
  await page.getByText('Access refreshed for Guddu Sandbox.').waitFor();
  // Who may publish through it: restricted to approvers, saved with the revision read.
  await row.getByRole('button', { name: 'Edit: Guddu Sandbox' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Guddu Sandbox' });
  await edit.getByLabel('Posting language').fill('hi');
  await edit.getByLabel('Approver').check();
  await check(page, 'channel-edit');
  await edit.getByRole('button', { name: 'Save' }).click();
  await edit.waitFor({ state: 'hidden' });
  await row.getByText('Restricted to named roles or people.').waitFor();
  // Disconnecting asks first; the dialog is operated from the keyboard.
  await row.getByRole('button', { name: 'Disconnect' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Disconnect Guddu Sandbox?' });
  await dialog.waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await row.getByRole('button', { name: 'Disconnect' }).click();
  await dialog.getByRole('button', { name: 'Disconnect' }).click();
  await page.getByText('Guddu Sandbox was disconnected.').waitFor();
  await page.getByRole('row').filter({ hasText: 'Disconnected' }).waitFor();
  // 7. A suspension reaches a tab that is already open, the approver's, without a reload.
  const suspended = await page.evaluate(async () => {
    const csrf = document.cookie.split('; ').find((c) => c.startsWith('guddu_csrf='))?.split('=')[1] ?? '';
    const res = await fetch('/api/v1/publishing/suspensions', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ reason: 'National mourning' }) });
    return res.status;
  });
  assert.equal(suspended, 201);
  await ravi.getByRole('alert').filter({ hasText: 'National mourning' }).waitFor({ timeout: 10_000 });
  await page.getByRole('alert').filter({ hasText: 'National mourning' }).waitFor({ timeout: 10_000 });
  await check(ravi, 'suspended-banner-hi');
  await notificationsFlow({ page: ravi, check, heading });
  await ssoFlow({ browser, server, check, heading, page });
  await consoleScreensFlow({ page, check, heading });
  await keyboardFlow({ page, ravi, check, heading });
  await webhooksFlow({ page, check, heading });
  await analyticsFlow({ page, check, heading });
  await notificationsPrefsFlow({ page, check, heading });

  await passkeysFlow({ browser, startGuddu, check, heading });
  await ssoRequiredFlow({ browser, startGuddu, check, heading });

  console.log(`browser: passed in ${((Date.now() - started) / 1000).toFixed(1)} s; axe clean on ${scanned.length} screens: ${scanned.join(', ')}; screenshots in ${ARTIFACTS}`);
} catch (err) {
  console.error(`browser: FAILED after ${scanned.length} screens (${scanned.join(', ')}); screenshots in ${ARTIFACTS}`);
  console.error(err);
  process.exitCode = 1;
  let n = 0;
  for (const context of browser.contexts()) for (const p of context.pages()) await p.screenshot({ path: `${ARTIFACTS}failure-${++n}.png`, fullPage: true }).catch(() => undefined);
} finally {
  await browser.close();
  await server.stop();
}
