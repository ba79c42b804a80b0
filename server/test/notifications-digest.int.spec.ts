import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationSweep } from '../src/modules/notifications/notification-sweep.js';
import { until } from './jobs-harness.js';
import { addUser, call, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';
import { createAndSubmit } from './notifications-fixtures.js';
import { startMailbox, type Mailbox } from './smtp-fixture.js';

// A daily digest assembled and mailed for real: low-urgency notifications wait for 08:00 in the
// person's zone, then go out as one email (one line and link each) to a real SMTP server, read
// back with mailparser, in English and in Hindi.
let t: TestApp;
let box: Mailbox;
let root: { orgId: string; owner: Session; ownerEmail: string };
let english: { email: string; session: Session };
let hindi: { email: string; session: Session };
let approver: { email: string; session: Session };

beforeAll(async () => {
  box = await startMailbox();
  t = await startTestApp({ GUDDU_SMTP_URL: box.url, GUDDU_PUBLIC_URL: 'https://guddu.example' }, { role: 'all' });
  root = await seedRootOrg(t, 'Ministry Digest');
  english = await addUser(t, root.orgId, 'editor');
  hindi = await addUser(t, root.orgId, 'editor');
  approver = await addUser(t, root.orgId, 'approver');
  await sql`UPDATE users SET locale = 'hi-IN' WHERE email = ${hindi.email}`.execute(t.runtime.db);
});
afterAll(async () => {
  await t?.close();
  await box?.close();
});

async function approve(author: Session, title: string): Promise<string> {
  const m = await createAndSubmit(t, author, title);
  const res = await call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/approvals`, token: approver.session.accessToken, payload: { decision: 'approved', contentHash: m.contentHash } });
  expect(res.statusCode, res.body).toBe(200);
  return m.id;
}

const digestRows = async (userId: string) =>
  (await sql<{ state: string; not_before: Date | null; reason: string | null }>`
    SELECT state, not_before, reason FROM notification_deliveries WHERE user_id = ${userId} AND kind = 'message_approved' AND channel = 'email'`.execute(t.runtime.db)).rows;

describe('the daily digest', () => {
  it('holds low-urgency email until 08:00 in the person’s zone, then sends it all as one email, in their language', async () => {
    for (const [who, zone] of [[english, 'Europe/London'], [hindi, 'Asia/Kolkata']] as const) {
      const res = await call(t, { method: 'PUT', url: '/api/v1/notifications/preferences', token: who.session.accessToken, payload: { digest: 'daily', timeZone: zone } });
      expect(res.statusCode, res.body).toBe(200);
    }
    const ids = { en: [await approve(english.session, 'Passport camp in Leicester'), await approve(english.session, 'Consular hours in Birmingham')], hi: [await approve(hindi.session, 'Yoga Day in Pune')] };
    for (const [who, zone] of [[english, 'Europe/London'], [hindi, 'Asia/Kolkata']] as const) {
      await until(async () => (await digestRows(who.session.userId)).length === (who === english ? 2 : 1), 20_000, 'the digest rows');
      for (const row of await digestRows(who.session.userId)) {
        expect(row).toMatchObject({ state: 'deferred', reason: 'in the daily digest' });
        // 08:00 in the person's own zone, within the next day.
        expect(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(row.not_before!)).toBe('08:00');
        expect(row.not_before!.getTime() - Date.now()).toBeLessThanOrEqual(86_400_000);
      }
    }
    expect(box.to(english.email)).toHaveLength(0);

    // The clock reaches 08:00: the rows fall due, and the sweep hands their jobs to the workers.
    await sql`UPDATE notification_deliveries SET not_before = now() - interval '1 second', updated_at = now() - interval '10 minutes' WHERE kind = 'message_approved' AND state = 'deferred'`.execute(t.runtime.db);
    await t.app.get(NotificationSweep).sweep();
    await until(async () => box.to(english.email).length >= 1 && box.to(hindi.email).length >= 1, 20_000, 'both digests');
    await until(async () => (await digestRows(english.session.userId)).every((r) => r.state === 'sent'), 10_000, 'every row settled');

    const en = box.to(english.email);
    expect(en).toHaveLength(1);
    expect(en[0]!.subject).toBe('Guddu digest: 2 updates');
    expect(en[0]!.text).toContain('• “Passport camp in Leicester” is approved.');
    expect(en[0]!.text).toContain('• “Consular hours in Birmingham” is approved.');
    for (const id of ids.en) {
      expect(en[0]!.text).toContain(`https://guddu.example/messages/view/?id=${id}`);
      expect(en[0]!.html).toContain(`href="https://guddu.example/messages/view/?id=${id}"`);
    }
    expect(en[0]!.text).toContain('All notifications: https://guddu.example/notifications/');
    expect(en[0]!.html).toContain('lang="en"');

    const hi = box.to(hindi.email);
    expect(hi).toHaveLength(1);
    expect(hi[0]!.subject).toBe('गुड्डू सारांश: 1 अपडेट');
    expect(hi[0]!.text).toContain('“Yoga Day in Pune” स्वीकृत हो गया है।');
    expect(hi[0]!.text).toContain(`https://guddu.example/messages/view/?id=${ids.hi[0]}`);
    expect(hi[0]!.text).toContain('सभी सूचनाएँ: https://guddu.example/notifications/');
    expect(hi[0]!.html).toContain('lang="hi"');
    // One email settles every row it carried: no second digest of the same items.
    await t.app.get(NotificationSweep).sweep();
    await new Promise((r) => setTimeout(r, 1_000));
    expect(box.to(english.email)).toHaveLength(1);
  });
});
