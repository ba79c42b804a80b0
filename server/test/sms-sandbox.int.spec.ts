import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformSmsSender } from '../src/platform/sms/sms.module.js';
import { SMS_SENDER, SmsError, type SmsSender } from '../src/platform/sms/sms-sender.js';
import { startTestApp, type TestApp } from './harness.js';

describe('SMS_SENDER in the application', () => {
  let sandboxed: TestApp;
  let bare: TestApp;
  beforeAll(async () => {
    sandboxed = await startTestApp({ GUDDU_SANDBOX: 'on' });
    bare = await startTestApp({ GUDDU_SANDBOX: 'off' });
  }, 120_000);
  afterAll(async () => {
    await sandboxed?.close();
    await bare?.close();
  });

  it('sends to the loopback SMS simulator when the sandbox runs and no provider is configured', async () => {
    const sms = sandboxed.app.get<symbol, SmsSender>(SMS_SENDER);
    expect(sms.available).toBe(true);
    const sent = await sms.send({ to: '+919812345678', body: 'Test', idempotencyKey: 'sandbox-1' });
    const sims = sandboxed.app.get(PlatformSmsSender).sandbox!;
    const messages = (await (await fetch(`${sims.urls.sms}/__sim/posts`)).json()) as { posts: { id: string }[] };
    expect(messages.posts.map((p) => p.id)).toEqual([sent.providerId]);
  });

  it('refuses when there is neither a provider nor a sandbox', async () => {
    const sms = bare.app.get<symbol, SmsSender>(SMS_SENDER);
    expect(sms.available).toBe(false);
    const err = await sms.send({ to: '+919812345678', body: 'x', idempotencyKey: 'k' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmsError);
    expect((err as SmsError).kind).toBe('rejected');
  });
});
