// Analytics and Listening in the browser (issue 15). Seeded through the real pipeline: a sandbox
// Mastodon account is connected in a second tab; Guddu plans its followers read at once, the
// minute sweep reads the simulator, and the snapshot event reaches the dashboard already open in
// the first tab, which refetches without a reload. Then the period, the chart's table, CSV, a
// public dashboard link (published, opened, revoked: 410), Hindi, and Listening's filters. axe
// on every screen.
import assert from 'node:assert/strict';

export async function analyticsFlow({ page, check, heading }) {
  await page.getByRole('link', { name: 'Analytics', exact: true }).click();
  await heading(page, 'Analytics');
  await page.getByRole('region', { name: 'Totals' }).waitFor();
  const byNetwork = page.getByRole('region', { name: 'By network' });
  await byNetwork.waitFor();
  assert.equal(await byNetwork.getByRole('row', { name: /^Mastodon/ }).count(), 0, 'no Mastodon figures before the account is connected');
  await check(page, 'analytics');

  // A second tab connects the account; this one stays open on the dashboard.
  const other = await page.context().newPage();
  await other.goto('/channels/');
  await heading(other, 'Channels');
  const connectForm = other.getByRole('region', { name: 'Connect a channel' });
  await connectForm.getByLabel('Network', { exact: true }).selectOption('mastodon');
  await connectForm.getByRole('button', { name: 'Connect' }).click();
  await other.waitForURL(/\/channels\/\?connected=/, { timeout: 20_000 });
  await other.getByText('The channel is connected.').waitFor();
  await other.close();

  // The sweep runs once a minute; the event, not a reload, brings the row in.
  const row = byNetwork.getByRole('row', { name: /^Mastodon/ });
  await row.waitFor({ timeout: 100_000 });
  const followers = (await row.getByRole('cell').last().textContent()) ?? '';
  assert.match(followers, /^\d[\d,]*$/, `followers is a number: ${followers}`);
  const totals = page.getByRole('region', { name: 'Totals' });
  await totals.getByText(followers, { exact: true }).first().waitFor();

  // The period and the figure shown; the chart's figures as a table.
  await page.getByLabel('Period', { exact: true }).selectOption('7');
  const overTime = page.getByRole('region', { name: 'Over time' });
  await overTime.getByLabel('Figure shown').selectOption('followers');
  await overTime.getByRole('img', { name: /^Followers over time/ }).waitFor();
  await overTime.getByText('Show these figures as a table').click();
  await overTime.getByRole('cell', { name: followers, exact: true }).first().waitFor();
  await check(page, 'analytics-7-days');

  // CSV with the same range.
  const csvHref = await page.getByRole('link', { name: 'Download these figures as CSV' }).getAttribute('href');
  assert.match(csvHref ?? '', /^\/api\/v1\/analytics\/organisation\/series\.csv\?from=/);
  const csv = await page.request.get(csvHref);
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()['content-type'] ?? '', /^text\/csv/);
  assert.match(await csv.text(), /^scope,period,bucket,posts,impressions/);

  // A public dashboard: published, opened without a session, revoked.
  const share = page.getByRole('region', { name: 'Public dashboards' });
  await share.getByLabel('Dashboard title').fill('Weekly reach');
  await share.getByRole('button', { name: 'Publish dashboard' }).click();
  const open = share.getByRole('link', { name: 'Open “Weekly reach”' });
  await open.waitFor();
  const publicUrl = await open.getAttribute('href');
  assert.equal((await fetch(publicUrl)).status, 200);
  await check(page, 'analytics-shared');
  await share.getByRole('button', { name: 'Revoke “Weekly reach”' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Revoke “Weekly reach”?' });
  await dialog.getByRole('button', { name: 'Revoke' }).click();
  await share.getByText(/^Revoked on /).waitFor();
  assert.equal((await fetch(publicUrl)).status, 410);

  // Hindi: the same screen, figures and all.
  await page.getByLabel('Language').selectOption('hi');
  await heading(page, 'विश्लेषण');
  await page.getByRole('region', { name: 'नेटवर्क के अनुसार' }).getByRole('row', { name: /^Mastodon/ }).waitFor();
  await check(page, 'analytics-hi');
  await page.getByLabel('भाषा').selectOption('en');
  await heading(page, 'Analytics');

  // Listening: filters go to the server together; nothing negative has been said.
  await page.getByRole('link', { name: 'Listening', exact: true }).click();
  await heading(page, 'Listening');
  await page.getByRole('region', { name: 'Spike alerts' }).getByText('No spike alerts.').waitFor();
  await page.getByRole('region', { name: 'Comments' }).waitFor();
  await check(page, 'listening');
  const filters = page.getByRole('search', { name: 'Filter comments' });
  await filters.getByLabel('Sentiment').selectOption('negative');
  await filters.getByLabel('Network').selectOption('mastodon');
  await filters.getByLabel('Search').fill('visa');
  const asked = page.waitForRequest((r) => r.url().includes('/api/v1/listening/comments?') && /sentiment=negative/.test(r.url()) && /network=mastodon/.test(r.url()) && /q=visa/.test(r.url()));
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await asked;
  await page.getByText('No comments match.').waitFor();
  await check(page, 'listening-filtered');
}
