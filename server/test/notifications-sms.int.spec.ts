import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmsChannel } from '../src/modules/notifications/sms.channel.js';
import type { SmsSender } from '../src/modules/notifications/sms.port.js';
import { until } from './jobs-harness.js';
import { addUser, call, seedRootOrg, startTestApp, type TestApp } from './harness.js';
import { deliveriesOf, eventOf } from './notifications-fixtures.js';
import { startMailbox, type Mailbox } from './smtp-fixture.js';

// SMS through the SMS_SENDER port. The real provider is bound by the module that implements it;
// here a recording sender stands in for it (set on the channel as that binding would).
let t: TestApp;
let box: Mailbox;
const texts: { to: string; body: string; idempotencyKey: string }[] = [];
const recording: SmsSender = {
  available: true,
  send(input) {
    texts.push(input);
    return Promise.resolve({ providerId: `sms-${texts.length}` });
  },
};

beforeAll(async () => {
  box = await startMailbox();
  t = await startTestApp({ GUDDU_SMTP_URL: box.url, GUDDU_PUBLIC_URL: 'https://guddu.example' }, { role: 'all' });
});
afterAll(async () => {
  await t?.close();
  await box?.close();
});

describe('SMS', () => {
  it('is "not configured" with nothing bound, and refuses a phone number then', async () => {
    const { owner } = await seedRootOrg(t, 'Ministry Unbound');
    const prefs = (await call(t, { method: 'GET', url: '/api/v1/notifications/preferences', token: owner.accessToken })).json<{ channels: { sms: { configured: boolean } } }>();
    expect(prefs.channels.sms.configured).toBe(false);
    const res = await call(t, { method: 'PUT', url: '/api/v1/notifications/preferences', token: owner.accessToken, payload: { phone: '+919812345678' } });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ code: string }>().code).toBe('channel_not_configured');
  });

  it('carries the kind and a link to the number on file, never the reason or a title', async () => {
    Object.assign(t.app.get(SmsChannel), { sender: recording });
    const { orgId, owner } = await seedRootOrg(t, 'Ministry Texted');
    const officer = await addUser(t, orgId, 'editor');
    const set = await call(t, { method: 'PUT', url: '/api/v1/notifications/preferences', token: officer.session.accessToken, payload: { phone: '+919812345678' } });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json<{ channels: { sms: { configured: boolean; phone: string } } }>().channels.sms).toEqual({ configured: true, phone: '+91•••••••678' });

    const res = await call(t, { method: 'POST', url: '/api/v1/publishing/suspensions', token: owner.accessToken, payload: { reason: 'Secret operational detail' } });
    expect(res.statusCode, res.body).toBe(201);
    const eventId = await eventOf(t, 'messages.publishing_suspended', orgId);
    await until(async () => (await deliveriesOf(t, eventId)).some((d) => d.channel === 'sms' && d.state === 'sent'), 20_000, 'the SMS');
    const mine = texts.filter((x) => x.to === '+919812345678');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.body).toBe('Guddu: Publishing suspended. https://guddu.example/notifications/');
    expect(mine[0]!.body).not.toContain('Secret');
    // The owner has no phone on file: recorded as skipped, with the reason.
    const ownerSms = (await deliveriesOf(t, eventId)).find((d) => d.user_id === owner.userId && d.channel === 'sms');
    expect(ownerSms).toMatchObject({ state: 'skipped', reason: 'no phone number on file' });
  });
});
