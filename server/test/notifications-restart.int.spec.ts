import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestDatabase, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';
import { until } from './jobs-harness.js';
import { createAndSubmit, deliveriesOf, eventOf } from './notifications-fixtures.js';
import { startMailbox, type Mailbox } from './smtp-fixture.js';

// A `guddu worker` process SIGKILLed while the SMTP server holds its send open (the mail is
// transmitted, never acknowledged), then started again: the email goes out exactly once.
// Embedded mode only, like the delivery chaos test: the worker is a second process on the
// same PostgreSQL job store.
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const distributed = Boolean(process.env.DATABASE_URL);

let t: TestApp;
let url: string;
let secretKey: string;
let box: Mailbox;
let worker: ChildProcess | undefined;

function startWorker(): ChildProcess {
  return spawn(process.execPath, [CLI, 'worker'], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: url,
      GUDDU_SECRET_KEY: secretKey,
      GUDDU_SANDBOX: 'off',
      PORT: '0',
      LOG_LEVEL: 'silent',
      GUDDU_JOB_LOCK_MS: '2000',
      GUDDU_SMTP_URL: box.url,
      GUDDU_PUBLIC_URL: 'https://guddu.example',
    },
    stdio: 'ignore',
  });
}

beforeAll(async () => {
  if (distributed) return;
  if (!existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build -w server` before this test');
  box = await startMailbox();
  url = await createTestDatabase();
  secretKey = randomBytes(32).toString('base64');
  t = await startTestApp({ GUDDU_SECRET_KEY: secretKey, GUDDU_SMTP_URL: box.url }, { role: 'api', databaseUrl: url });
}, 120_000);
afterAll(async () => {
  worker?.kill('SIGKILL');
  await t?.close();
  await box?.close();
});

describe.skipIf(distributed)('a worker killed mid-send', () => {
  it('loses nothing and duplicates nothing', async () => {
    const { orgId, ownerEmail } = await seedRootOrg(t, 'Ministry Restart');
    const editor: Session = (await addUser(t, orgId, 'editor')).session;
    const approver = await addUser(t, orgId, 'approver');

    box.hold = true;
    worker = startWorker();
    const m = await createAndSubmit(t, editor, 'Sent once');
    const eventId = await eventOf(t, 'messages.status_changed', m.id);
    // Both emails are on the wire, unanswered.
    await until(async () => box.heldCount >= 1, 60_000, 'a send in flight');
    worker.kill('SIGKILL');
    await new Promise((r) => worker!.once('exit', r));
    expect(box.mails).toHaveLength(0);

    box.hold = false;
    worker = startWorker();
    await until(async () => (await deliveriesOf(t, eventId)).filter((d) => d.channel === 'email' && d.state === 'sent').length === 2, 90_000, 'both emails sent after the restart');
    // A moment for anything that would send a second copy (a stale job taken over late).
    await new Promise((r) => setTimeout(r, 3000));
    expect(box.to(ownerEmail)).toHaveLength(1);
    expect(box.to(approver.email)).toHaveLength(1);
    for (const d of (await deliveriesOf(t, eventId)).filter((x) => x.channel === 'email')) expect(box.accepted.get(d.provider_ref!)).toBe(1);
  }, 240_000);
});
