// Calendar moves (the keyboard dialog and a drag, a refusal shown with its reason), filters
// with several values, the media library (upload with progress, alt text in two languages, a
// thumbnail) and settings (a child organisation, members deactivated and reactivated, an
// invitation's link copied and accepted in the page, another revoked, every field of the
// approval policy, in English and Hindi). Runs after the main flow: the owner's page has
// "Yoga Day greetings" scheduled for tomorrow 09:00 Asia/Kolkata.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const sharp = createRequire(import.meta.url)('sharp');

const day = (offset) => new Date(Date.now() + offset * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Asia/Kolkata' });
const addDays = (date, n) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

async function api(page, method, path, body) {
  return page.evaluate(
    async ([m, p, b]) => {
      const csrf = document.cookie.split('; ').find((c) => c.startsWith('guddu_csrf='))?.split('=')[1] ?? '';
      const res = await fetch(p, { method: m, headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: b === undefined ? undefined : JSON.stringify(b) });
      return { status: res.status, body: await res.json().catch(() => null) };
    },
    [method, path, body],
  );
}

export async function consoleScreensFlow({ page, check, heading }) {
  // Calendar: a blackout day the message cannot move to, and a day it can.
  const t1 = day(1);
  const blackout = addDays(t1, 1);
  const t3 = addDays(t1, 3);
  const added = await api(page, 'POST', '/api/v1/blackouts', { startsOn: blackout, endsOn: blackout, zone: 'Asia/Kolkata', reason: 'Election silence' });
  assert.equal(added.status, 201, JSON.stringify(added.body));
  await page.getByRole('link', { name: 'Calendar', exact: true }).click();
  await heading(page, 'Calendar');
  await page.getByRole('tab', { name: 'List' }).click();
  await page.getByRole('button', { name: 'Move “Yoga Day greetings” to another day' }).click();
  const dialog = page.getByRole('dialog', { name: 'Move “Yoga Day greetings”' });
  await dialog.getByText('09:00 in Asia/Kolkata').waitFor();
  await dialog.getByLabel('New day').fill(blackout);
  await dialog.getByRole('button', { name: 'Move', exact: true }).click();
  await dialog.getByRole('alert').filter({ hasText: 'That day is a blackout day.' }).waitFor({ timeout: 15_000 });
  await check(page, 'calendar-move-refused');
  await dialog.getByLabel('New day').fill(t3);
  await dialog.getByRole('button', { name: 'Move', exact: true }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
  await page.getByText(`“Yoga Day greetings” now goes out at ${t3} 09:00 Asia/Kolkata.`).waitFor();

  // Drag it one day on in the month grid; the time of day is kept.
  await page.getByRole('tab', { name: 'Month' }).click();
  if (t3.slice(0, 7) !== day(0).slice(0, 7)) await page.getByRole('button', { name: 'Next month' }).click();
  const target = addDays(t3, 1).slice(0, 7) === t3.slice(0, 7) ? addDays(t3, 1) : addDays(t3, -1);
  const entry = page.locator(`td[data-date="${t3}"]`).getByRole('link', { name: /Yoga Day greetings/ });
  await entry.waitFor({ timeout: 15_000 });
  await entry.dragTo(page.locator(`td[data-date="${target}"]`));
  await page.getByText(`“Yoga Day greetings” now goes out at ${target} 09:00 Asia/Kolkata.`).waitFor({ timeout: 15_000 });
  await page.locator(`td[data-date="${target}"]`).getByRole('link', { name: /Yoga Day greetings/ }).waitFor({ timeout: 15_000 });
  await check(page, 'calendar-month');
  await page.getByRole('tab', { name: 'Week' }).click();
  await check(page, 'calendar-week');

  // Several statuses at once: failed or withdrawn hides it, clearing the filters brings it back.
  await page.getByRole('tab', { name: 'List' }).click();
  const yoga = page.getByRole('link', { name: 'Yoga Day greetings' });
  await yoga.waitFor();
  await page.getByText('Status', { exact: true }).click();
  await page.getByRole('group', { name: 'Status' }).getByRole('checkbox', { name: 'Failed' }).check();
  await page.getByRole('group', { name: 'Status' }).getByRole('checkbox', { name: 'Withdrawn' }).check();
  await page.getByText('2 chosen').waitFor();
  await yoga.waitFor({ state: 'detached', timeout: 15_000 });
  await check(page, 'calendar-filters');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await yoga.waitFor({ timeout: 15_000 });

  // Media library: upload with progress, then alt text in English and Hindi.
  await page.getByRole('link', { name: 'Media', exact: true }).click();
  await heading(page, 'Media library');
  const png = await sharp({ create: { width: 320, height: 200, channels: 3, background: { r: 200, g: 120, b: 40 } } }).png().toBuffer();
  await page.getByLabel('Upload files').setInputFiles({ name: 'yoga-poster.png', mimeType: 'image/png', buffer: png });
  await page.getByText('yoga-poster.png is ready').waitFor({ timeout: 90_000 });
  await page.getByRole('button', { name: /yoga-poster\.png/ }).click();
  await page.getByLabel('Alt text in English').fill('An orange poster for Yoga Day');
  const hindiAlt = page.getByLabel('Alt text in Hindi');
  assert.equal(await hindiAlt.getAttribute('lang'), 'hi');
  await hindiAlt.fill('योग दिवस का नारंगी पोस्टर');
  await page.getByRole('button', { name: 'Save details' }).click();
  await page.getByText('Saved.').waitFor();
  await page.getByRole('img', { name: 'An orange poster for Yoga Day' }).waitFor({ timeout: 30_000 });
  await check(page, 'media-library');

  // Settings: a child organisation, the members and invitations, the approval policy.
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await heading(page, 'Settings');
  await page.getByLabel('New organisation name').fill('Embassy of India, Paris');
  await page.getByLabel('Kind').selectOption('mission');
  await page.getByRole('button', { name: 'Create child organisation' }).click();
  await page.getByRole('region', { name: 'Organisations' }).getByRole('listitem').filter({ hasText: /^Embassy of India, Paris \(Mission\)$/ }).waitFor();
  await page.getByRole('cell', { name: 'ravi@mea.gov.in' }).waitFor();
  await page.getByText(/ravi@mea\.gov\.in: Approver, accepted/).waitFor();
  await page.getByRole('heading', { name: 'Approval policy' }).waitFor();
  await check(page, 'settings-admin');

  // An invitation's link is shown once, with a copy button, and accepting it in the page makes a member.
  const invitee = 'meera@mea.gov.in';
  await page.getByLabel('Email to invite').fill(invitee);
  await page.getByRole('button', { name: 'Send invitation' }).click();
  const link = page.getByLabel(`Invitation link for ${invitee}`);
  await link.waitFor({ timeout: 15_000 });
  const url = await link.inputValue();
  assert.match(url, /\/invitations\/accept#token=/);
  await page.getByRole('button', { name: 'Copy link' }).click();
  await page.getByRole('status').filter({ hasText: /^(Copied\.|Could not copy: select the link and copy it\.)$/ }).waitFor();
  await check(page, 'settings-invitation-link');
  const accepting = await page.context().newPage();
  await accepting.goto(new URL(url).pathname + new URL(url).hash);
  await heading(accepting, 'Accept your invitation');
  await check(accepting, 'invitation-accept');
  await accepting.getByLabel('Your name (for a new account)').fill('Meera Iyer');
  await accepting.getByLabel('Password').fill('jasmine-rain-on-marine-drive');
  await accepting.getByRole('button', { name: 'Accept invitation' }).click();
  await accepting.getByText('You have joined. Sign in to continue.').waitFor({ timeout: 15_000 });
  await accepting.close();

  // A second invitation, revoked while pending.
  await page.getByLabel('Email to invite').fill('arjun@mea.gov.in');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await page.getByRole('button', { name: 'Revoke the invitation for arjun@mea.gov.in' }).click();
  await page.getByText(/arjun@mea\.gov\.in: Editor, revoked/).waitFor({ timeout: 15_000 });

  // The new member deactivated (with confirmation), then reactivated.
  await page.reload();
  await heading(page, 'Settings');
  await page.getByRole('cell', { name: invitee }).waitFor({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Deactivate Meera Iyer' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Deactivate', exact: true }).click();
  await page.getByRole('button', { name: 'Reactivate Meera Iyer' }).click();
  await page.getByRole('button', { name: 'Deactivate Meera Iyer' }).waitFor({ timeout: 15_000 });

  // The approval policy: escalation after 48 hours, named approvers, late approvals expire after 30 days.
  const stage = page.getByRole('group', { name: 'Stage 1' });
  await stage.getByLabel('Escalate after (hours, empty for never)').fill('48');
  await stage.getByRole('group', { name: 'Named approvers' }).getByRole('checkbox', { name: 'Meera Iyer' }).check();
  await page.getByLabel('When approval completes after the scheduled time').selectOption('expire');
  await page.getByLabel('Expire after (days)').fill('30');
  await page.getByRole('button', { name: 'Save policy' }).click();
  await page.getByText('The policy is saved.').waitFor({ timeout: 15_000 });
  const saved = await api(page, 'GET', '/api/v1/approval-policy');
  assert.equal(saved.body.policy.stages[0].slaHours, 48);
  assert.equal(saved.body.policy.stages[0].approvers.users.length, 1);
  assert.deepEqual(saved.body.policy.lateApproval, { mode: 'expire', afterDays: 30 });
  await check(page, 'settings-policy');

  // The same screen in Hindi.
  await page.getByRole('banner').getByLabel('Language').selectOption('hi');
  await heading(page, 'सेटिंग्स');
  await page.getByText('नामित अनुमोदक').first().waitFor();
  await check(page, 'settings-policy-hi');
  await page.getByRole('banner').getByLabel('भाषा').selectOption('en');
  await heading(page, 'Settings');
}
