// The notification centre, in Hindi, in the approver's tab that is already open: the bell's
// unread count follows the live socket (the suspension just set), the centre lists it in the
// console's language, and "mark all read" brings the count to zero.
export async function notificationsFlow({ page, check, heading }) {
  const bell = page.getByRole('link', { name: /^सूचनाएँ, [1-9]\d* अपठित$/ });
  await bell.waitFor({ timeout: 20_000 });
  await bell.click();
  await heading(page, 'सूचनाएँ');
  await page.getByText(/प्रकाशन निलंबित है: National mourning/).first().waitFor();
  await page.getByText(/“Yoga Day greetings” चरण/).first().waitFor();
  await check(page, 'notifications-hi');
  await page.getByRole('button', { name: 'सब पढ़ा हुआ चिह्नित करें' }).click();
  await page.getByRole('link', { name: 'सूचनाएँ, 0 अपठित' }).waitFor({ timeout: 20_000 });
}
