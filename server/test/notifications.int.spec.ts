import { sql } from 'kysely';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationSweep } from '../src/modules/notifications/notification-sweep.js';
import { Transactor } from '../src/platform/database/transactor.js';
import { until } from './jobs-harness.js';
import { addUser, call, createChildOrg, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';
import { createAndSubmit, deliveriesOf, eventOf, handled, recipientsOf } from './notifications-fixtures.js';
import { enrolTotp } from './mfa-fixtures.js';
import { startMailbox, type Mailbox } from './smtp-fixture.js';

// Notifications end to end in one app with a real worker, a real SMTP server and a real socket:
// who is told (never someone who cannot see the message), in which language, by which channel.
let t: TestApp;
let box: Mailbox;
let root: { orgId: string; owner: Session; ownerEmail: string };
let missionA: string;
let missionB: string;
let editor: { email: string; session: Session };
let approverA: { email: string; session: Session };
let approverB: { email: string; session: Session };
let outsider: { orgId: string; owner: Session; ownerEmail: string };

beforeAll(async () => {
  box = await startMailbox();
  t = await startTestApp({ GUDDU_SMTP_URL: box.url, GUDDU_PUBLIC_URL: 'https://guddu.example', GUDDU_MAIL_FROM: 'Guddu <noreply@guddu.example>' }, { role: 'all' });
  root = await seedRootOrg(t, 'Ministry Notify');
  missionA = await createChildOrg(t, root.owner, 'Mission A');
  missionB = await createChildOrg(t, root.owner, 'Mission B');
  editor = await addUser(t, missionA, 'editor');
  approverA = await addUser(t, missionA, 'approver');
  approverB = await addUser(t, missionB, 'approver');
  outsider = await seedRootOrg(t, 'Other Ministry');
  await sql`UPDATE users SET locale = 'hi-IN' WHERE email = ${approverA.email}`.execute(t.runtime.db);
});
afterAll(async () => {
  await t?.close();
  await box?.close();
});

const unread = async (s: Session) => (await call(t, { method: 'GET', url: '/api/v1/notifications/unread-count', token: s.accessToken })).json<{ unread: number }>().unread;

describe('who is told', () => {
  it('a submission reaches the stage’s approvers on the path, in their language, and nobody who cannot see it', async () => {
    const m = await createAndSubmit(t, editor.session, 'Visa advisory for Mission A');
    const eventId = await eventOf(t, 'messages.status_changed', m.id);
    await handled(t, 'notifications.status-changed', eventId);

    // The default stage: approver, admin or owner on Mission A or above, not the author.
    expect(await recipientsOf(t, eventId)).toEqual([approverA.session.userId, root.owner.userId].sort());
    await until(async () => box.to(approverA.email).length === 1 && box.to(root.ownerEmail).length === 1, 20_000, 'both emails');
    const hindi = box.to(approverA.email)[0]!;
    expect(hindi.subject).toBe('आपकी स्वीकृति की प्रतीक्षा: Visa advisory for Mission A');
    expect(hindi.text).toContain(`https://guddu.example/messages/view/?id=${m.id}`);
    expect(hindi.html).toContain('lang="hi"');
    const english = box.to(root.ownerEmail)[0]!;
    expect(english.subject).toBe('Waiting for your approval: Visa advisory for Mission A');
    expect(english.html).toContain('“Visa advisory for Mission A” is waiting for your approval at stage “Approval”.');
    expect(english.from?.text).toContain('noreply@guddu.example');

    // A sibling mission's approver and another ministry never hear of it.
    expect(await unread(approverB.session)).toBe(0);
    expect(await unread(outsider.owner)).toBe(0);
    expect(box.to(approverB.email)).toHaveLength(0);
    expect(box.to(outsider.ownerEmail)).toHaveLength(0);
    const sent = await deliveriesOf(t, eventId);
    // Email by default; push is wanted by default too but nobody subscribed a browser: recorded, not sent.
    expect(sent.map((d) => [d.channel, d.state])).toEqual([['email', 'sent'], ['push', 'skipped'], ['email', 'sent'], ['push', 'skipped']]);
  });

  it('changes requested reach the author, but not an author who has since lost access', async () => {
    const gone = await addUser(t, missionA, 'editor');
    const kept = await createAndSubmit(t, editor.session, 'Kept author');
    const orphan = await createAndSubmit(t, gone.session, 'Orphaned author');
    await sql`DELETE FROM memberships WHERE user_id = ${gone.session.userId}`.execute(t.runtime.db);

    for (const m of [kept, orphan]) {
      const res = await call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/approvals`, token: approverA.session.accessToken, payload: { decision: 'changes_requested', contentHash: m.contentHash, comment: 'tone' } });
      expect(res.statusCode, res.body).toBe(200);
    }
    const keptEvent = await eventOf(t, 'messages.approval_recorded', kept.id);
    const orphanEvent = await eventOf(t, 'messages.approval_recorded', orphan.id);
    await handled(t, 'notifications.approval-recorded', keptEvent);
    await handled(t, 'notifications.approval-recorded', orphanEvent);
    expect(await recipientsOf(t, keptEvent)).toEqual([editor.session.userId]);
    expect(await recipientsOf(t, orphanEvent)).toEqual([]);
  });

  it('a suspension reaches everyone on the path and below, through quiet hours, and no other ministry', async () => {
    // The approver's quiet hours cover every minute but one: urgent kinds come through anyway.
    const quiet = await call(t, { method: 'PUT', url: '/api/v1/notifications/preferences', token: approverA.session.accessToken, payload: { timeZone: 'Asia/Kolkata', quietHours: { start: '00:00', end: '23:59' } } });
    expect(quiet.statusCode, quiet.body).toBe(200);
    const res = await call(t, { method: 'POST', url: '/api/v1/publishing/suspensions', token: root.owner.accessToken, payload: { reason: 'Crisis in the region' } });
    expect(res.statusCode, res.body).toBe(201);
    const eventId = await eventOf(t, 'messages.publishing_suspended', root.orgId);
    await handled(t, 'notifications.publishing-suspended', eventId);
    const told = await recipientsOf(t, eventId);
    expect(told).toEqual(expect.arrayContaining([root.owner.userId, editor.session.userId, approverA.session.userId, approverB.session.userId]));
    expect(told).not.toContain(outsider.owner.userId);
    await until(async () => {
      const emails = (await deliveriesOf(t, eventId)).filter((d) => d.channel === 'email');
      return emails.length === told.length && emails.every((d) => d.state === 'sent');
    }, 20_000, 'suspension emails');
    const mine = (await deliveriesOf(t, eventId)).filter((d) => d.user_id === approverA.session.userId);
    // Email sent; push and SMS wanted by default but impossible here, and recorded as such.
    expect(mine.map((d) => [d.channel, d.state, d.reason])).toEqual([
      ['email', 'sent', null],
      ['push', 'skipped', 'no browser subscribed to push'],
      ['sms', 'skipped', 'sms is not configured on this installation'],
    ]);
    const resumed = await call(t, { method: 'POST', url: `/api/v1/publishing/suspensions/${res.json<{ id: string }>().id}/resume`, token: root.owner.accessToken, payload: { decisions: [] } });
    expect(resumed.statusCode, resumed.body).toBe(200);
    await handled(t, 'notifications.publishing-resumed', await eventOf(t, 'messages.publishing_resumed', root.orgId));
    await call(t, { method: 'PUT', url: '/api/v1/notifications/preferences', token: approverA.session.accessToken, payload: { quietHours: null } });
  });
});

describe('security', () => {
  it('a member whose factors an admin reset is told, by email with a link to their security page, and nobody else', async () => {
    const org = await seedRootOrg(t, 'Ministry Factors');
    await enrolTotp(t, org.owner.accessToken);
    const member = await addUser(t, org.orgId, 'editor');
    await enrolTotp(t, member.session.accessToken);
    const res = await call(t, { method: 'POST', url: `/api/v1/users/${member.session.userId}/mfa/reset`, token: org.owner.accessToken });
    expect(res.statusCode, res.body).toBe(204);
    const eventId = await eventOf(t, 'identity.second_factors_reset', member.session.userId);
    await handled(t, 'notifications.second-factors-reset', eventId);
    expect(await recipientsOf(t, eventId)).toEqual([member.session.userId]);
    await until(async () => box.to(member.email).length === 1, 20_000, 'the reset email');
    const mail = box.to(member.email)[0]!;
    expect(mail.subject).toBe('Your second factors were reset');
    expect(mail.text).toContain('An administrator of Ministry Factors reset your second factors');
    expect(mail.text).toContain('https://guddu.example/security/');
    expect(box.to(org.ownerEmail)).toHaveLength(0);
  });
});

describe('push subscriptions', () => {
  it('refuses an endpoint on a private, loopback or metadata address (Guddu would POST to it)', async () => {
    const keys = { p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM', auth: 'tBHItJI5svbpez7KI4CCXg' };
    for (const endpoint of ['https://127.0.0.1/push/1', 'https://169.254.169.254/latest/meta-data', 'https://10.1.2.3/push', 'https://localhost/push']) {
      const res = await call(t, { method: 'POST', url: '/api/v1/notifications/push-subscriptions', token: editor.session.accessToken, payload: { endpoint, keys } });
      expect(res.statusCode, endpoint).toBe(422);
      expect(res.json<{ code: string }>().code).toBe('push_subscription_invalid');
    }
  });
});

describe('the notification centre', () => {
  it('lists newest first with a cursor, counts unread, marks one and all read; another person cannot touch them', async () => {
    const first = await call(t, { method: 'GET', url: '/api/v1/notifications?limit=1', token: approverA.session.accessToken });
    expect(first.statusCode, first.body).toBe(200);
    const page1 = first.json<{ items: { id: string; kind: string; read: boolean }[]; nextCursor: string | null; unread: number }>();
    expect(page1.items).toHaveLength(1);
    expect(page1.nextCursor).not.toBeNull();
    const second = (await call(t, { method: 'GET', url: `/api/v1/notifications?limit=50&cursor=${page1.nextCursor}`, token: approverA.session.accessToken })).json<{ items: { id: string; kind: string }[] }>();
    expect(second.items.map((i) => i.id)).not.toContain(page1.items[0]!.id);
    expect(new Set([...page1.items, ...second.items].map((i) => i.kind))).toEqual(new Set(['approval_requested', 'publishing_suspended', 'publishing_resumed']));
    const before = page1.unread;

    // Someone else's notification is not found for another person, even another ministry's owner.
    for (const other of [outsider.owner, approverB.session]) {
      const res = await call(t, { method: 'POST', url: `/api/v1/notifications/${page1.items[0]!.id}/read`, token: other.accessToken });
      expect(res.statusCode).toBe(404);
    }
    expect(await unread(approverA.session)).toBe(before);
    expect((await call(t, { method: 'POST', url: `/api/v1/notifications/${page1.items[0]!.id}/read`, token: approverA.session.accessToken })).statusCode).toBe(204);
    expect(await unread(approverA.session)).toBe(before - 1);
    const all = await call(t, { method: 'POST', url: '/api/v1/notifications/read-all', token: approverA.session.accessToken });
    expect(all.json<{ marked: number }>().marked).toBe(before - 1);
    expect(await unread(approverA.session)).toBe(0);
  });

  it('pushes a new notification live to its person’s socket, and only theirs', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const url = await t.app.getUrl();
    const open = (s: Session) => {
      const socket = io(url, { path: '/api/realtime', transports: ['websocket'], extraHeaders: { authorization: `Bearer ${s.accessToken}` }, reconnection: false });
      const heard: { kind: string; subject: { id: string } }[] = [];
      socket.on('notification', (n: { kind: string; subject: { id: string } }) => heard.push(n));
      return { socket, heard, ready: new Promise((resolve, reject) => (socket.once('ready', resolve), socket.once('connect_error', reject))) };
    };
    const owner = open(root.owner);
    const editorEar = open(editor.session);
    try {
      await Promise.all([owner.ready, editorEar.ready]);
      const m = await createAndSubmit(t, editor.session, 'Live one');
      await until(async () => owner.heard.some((n) => n.subject.id === m.id), 20_000, 'the live notification');
      expect(owner.heard.find((n) => n.subject.id === m.id)!.kind).toBe('approval_requested');
      // The author's own socket hears no notification about it (they are not an approver).
      await handled(t, 'notifications.status-changed', await eventOf(t, 'messages.status_changed', m.id));
      expect(editorEar.heard.filter((n) => n.subject.id === m.id)).toEqual([]);
    } finally {
      owner.socket.close();
      editorEar.socket.close();
    }
  });
});

describe('preferences and mandates', () => {
  it('says which channels this installation has, and refuses an unknown zone', async () => {
    const res = await call(t, { method: 'GET', url: '/api/v1/notifications/preferences', token: editor.session.accessToken });
    const p = res.json<{ channels: { email: { configured: boolean }; sms: { configured: boolean }; push: { publicKey: string } }; kinds: { kind: string; email: { enabled: boolean } }[] }>();
    expect(p.channels.email.configured).toBe(true);
    expect(p.channels.sms.configured).toBe(false);
    expect(p.channels.push.publicKey).toMatch(/^[A-Za-z0-9_-]{80,}$/);
    const bad = await call(t, { method: 'PUT', url: '/api/v1/notifications/preferences', token: editor.session.accessToken, payload: { timeZone: 'Mars/Olympus' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json<{ code: string }>().code).toBe('time_zone_unknown');
  });

  it('a mandate set on the ministry binds a mission below: a person who switched the kind off still gets it', async () => {
    const off = await call(t, { method: 'PUT', url: '/api/v1/notifications/preferences', token: editor.session.accessToken, payload: { choices: [{ kind: 'changes_requested', channel: 'email', enabled: false }] } });
    expect(off.statusCode, off.body).toBe(200);
    const plain = await createAndSubmit(t, editor.session, 'Before the mandate');
    await call(t, { method: 'POST', url: `/api/v1/messages/${plain.id}/approvals`, token: approverA.session.accessToken, payload: { decision: 'changes_requested', contentHash: plain.contentHash } });
    const plainEvent = await eventOf(t, 'messages.approval_recorded', plain.id);
    await handled(t, 'notifications.approval-recorded', plainEvent);
    await until(async () => (await sql<{ d: Date | null }>`SELECT dispatched_at AS d FROM notifications WHERE event_id = ${plainEvent}`.execute(t.runtime.db)).rows[0]?.d != null, 20_000, 'dispatch');
    expect((await deliveriesOf(t, plainEvent)).filter((d) => d.channel === 'email')).toEqual([]);

    expect((await call(t, { method: 'PUT', url: '/api/v1/notification-admin/mandates/changes_requested/email', token: root.owner.accessToken })).statusCode).toBe(204);
    expect((await call(t, { method: 'PUT', url: '/api/v1/notification-admin/mandates/changes_requested/email', token: editor.session.accessToken })).statusCode).toBe(403);
    const mandated = await createAndSubmit(t, editor.session, 'After the mandate');
    await call(t, { method: 'POST', url: `/api/v1/messages/${mandated.id}/approvals`, token: approverA.session.accessToken, payload: { decision: 'changes_requested', contentHash: mandated.contentHash } });
    const event = await eventOf(t, 'messages.approval_recorded', mandated.id);
    await until(async () => (await deliveriesOf(t, event)).some((d) => d.state === 'sent'), 20_000, 'the mandated email');
    const prefs = (await call(t, { method: 'GET', url: '/api/v1/notifications/preferences', token: editor.session.accessToken, org: missionA })).json<{ kinds: { kind: string; email: { enabled: boolean; mandatory: boolean } }[] }>();
    expect(prefs.kinds.find((k) => k.kind === 'changes_requested')!.email).toEqual({ enabled: true, mandatory: true });
    // The other ministry does not inherit it.
    const theirs = (await call(t, { method: 'GET', url: '/api/v1/notification-admin/mandates', token: outsider.owner.accessToken })).json<{ items: unknown[] }>();
    expect(theirs.items).toEqual([]);
  });
});

describe('delivery', () => {
  it('an event handled again, a send job run again and a sweep send nothing twice', async () => {
    const m = await createAndSubmit(t, editor.session, 'Exactly once');
    const eventId = await eventOf(t, 'messages.status_changed', m.id);
    await until(async () => (await deliveriesOf(t, eventId)).filter((d) => d.state === 'sent').length === 2, 20_000, 'sent');
    // Forget the subscriber's dedup: the event comes again and records nothing new.
    await sql`DELETE FROM event_consumptions WHERE consumer = 'notifications.status-changed' AND event_id = ${eventId}`.execute(t.runtime.db);
    await sql`UPDATE outbox_events SET published_at = NULL WHERE id = ${eventId}`.execute(t.runtime.db);
    await sql`UPDATE notification_deliveries SET updated_at = now() - interval '1 hour' WHERE event_id = ${eventId}`.execute(t.runtime.db);
    await t.app.get(NotificationSweep).sweep();
    await new Promise((r) => setTimeout(r, 1500));
    const ids = (await deliveriesOf(t, eventId)).filter((d) => d.state === 'sent').map((d) => d.provider_ref!);
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(box.accepted.get(id)).toBe(1);
    expect(await recipientsOf(t, eventId)).toHaveLength(2);
  });

  it('lists failures for admins here and below, not for another ministry', async () => {
    await sql`UPDATE notification_deliveries SET state = 'failed', reason = '550 mailbox unavailable' WHERE id = (SELECT id FROM notification_deliveries WHERE org_id = ${missionA} ORDER BY created_at LIMIT 1)`.execute(t.runtime.db);
    const mine = (await call(t, { method: 'GET', url: '/api/v1/notification-admin/failures', token: root.owner.accessToken })).json<{ items: { reason: string }[] }>();
    expect(mine.items.map((i) => i.reason)).toContain('550 mailbox unavailable');
    const theirs = (await call(t, { method: 'GET', url: '/api/v1/notification-admin/failures', token: outsider.owner.accessToken })).json<{ items: unknown[] }>();
    expect(theirs.items).toEqual([]);
    expect((await call(t, { method: 'GET', url: '/api/v1/notification-admin/failures', token: editor.session.accessToken })).statusCode).toBe(403);
  });
});

describe('row-level security', () => {
  it('another ministry, acting as itself, sees none of these rows; a person sees only their own notifications', async () => {
    const tx = t.app.get(Transactor);
    const count = (table: 'notifications' | 'notification_deliveries' | 'notification_mandatory' | 'notification_settings' | 'notification_preferences') =>
      tx.current().selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n));
    const theirs = await tx.inTenant({ orgId: outsider.orgId, userId: outsider.owner.userId }, async () => ({
      notifications: await count('notifications'),
      deliveries: await count('notification_deliveries'),
      mandates: await count('notification_mandatory'),
      settings: await count('notification_settings'),
      preferences: await count('notification_preferences'),
    }));
    expect(theirs).toEqual({ notifications: 0, deliveries: 0, mandates: 0, settings: 0, preferences: 0 });
    // System work in Mission B (no person): only what was recorded in Mission B itself.
    const inB = await tx.inTenant({ orgId: missionB }, () => tx.current().selectFrom('notifications').select('org_id').execute());
    expect(inB.every((r) => r.org_id === missionB)).toBe(true);
    // The approver in Mission A reads their own notifications only, though others' exist in the same organisation.
    const own = await tx.inTenant({ orgId: missionA, userId: approverA.session.userId }, () => tx.current().selectFrom('notifications').select('user_id').distinct().execute());
    expect(own.map((r) => r.user_id)).toEqual([approverA.session.userId]);
    // And cannot write one for someone else.
    await expect(
      tx.inTenant({ orgId: missionA, userId: approverA.session.userId }, () =>
        tx.current().updateTable('notifications').set({ read_at: new Date() }).where('user_id', '=', editor.session.userId).executeTakeFirst().then((r) => Number(r.numUpdatedRows)),
      ),
    ).resolves.toBe(0);
  });
});
