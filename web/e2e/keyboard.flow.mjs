// Compose and approve with the keyboard alone: every control is reached with Tab (no clicks),
// operated with Enter and typing. The author writes in English in the owner's page; the approver
// (the Hindi console) approves in the second context.
/** Tab until the element has focus: proves it is reachable in the tab order. */
async function tabTo(page, locator, max = 120) {
  await locator.waitFor({ timeout: 20_000 });
  for (let i = 0; i < max; i++) {
    if (await locator.evaluate((el) => el === document.activeElement, undefined, { timeout: 2_000 })) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${locator}`);
}

export async function keyboardFlow({ page, ravi, check, heading }) {
  const title = 'Keyboard-only notice';
  await tabTo(page, page.getByRole('link', { name: 'Messages', exact: true }));
  await page.keyboard.press('Enter');
  await heading(page, 'Messages');
  await tabTo(page, page.getByRole('link', { name: 'New message' }));
  await page.keyboard.press('Enter');
  await heading(page, 'New message');
  await tabTo(page, page.getByLabel('Working title'));
  await page.keyboard.type(title);
  await tabTo(page, page.getByLabel('Text in English'));
  await page.keyboard.type('Consular services are open on Saturday. https://mea.gov.in/consular');
  // The counters and the preview follow the text: X counts the link as 23.
  await page.getByText('X: 63 of 280').waitFor();
  await page.getByRole('article', { name: 'Preview on X' }).getByText('mea.gov.in/consular').waitFor();
  await check(page, 'composer-keyboard');
  await tabTo(page, page.getByRole('button', { name: 'Send for approval' }));
  await page.keyboard.press('Enter');
  await heading(page, title);
  await page.getByText('In review').waitFor();

  await tabTo(ravi, ravi.getByRole('link', { name: 'अनुमोदन', exact: true }));
  await ravi.keyboard.press('Enter');
  await heading(ravi, 'अनुमोदन');
  await tabTo(ravi, ravi.getByRole('link', { name: title }));
  await ravi.keyboard.press('Enter');
  await heading(ravi, `समीक्षा: ${title}`);
  await tabTo(ravi, ravi.getByRole('button', { name: 'अनुमोदित करें' }));
  await ravi.keyboard.press('Enter');
  await ravi.getByText('आपने यह संदेश अनुमोदित किया।').waitFor();
  await check(ravi, 'review-keyboard-hi');
}
