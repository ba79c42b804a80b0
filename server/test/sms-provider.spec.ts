import { createServer } from 'node:net';
import { SMS_SANDBOX, startSimulators, type RunningSimulators } from '@guddu/simulators';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SmsError } from '../src/platform/sms/sms-sender.js';
import { TwilioSmsSender } from '../src/platform/sms/twilio-sms.sender.js';

describe('the Twilio-compatible SMS sender against the SMS simulator', () => {
  let sims: RunningSimulators;
  let base = '';
  const admin = async <T,>(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<T> => {
    const r = await fetch(`${base}/__sim${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (r.status >= 400) throw new Error(`admin ${path}: ${r.status} ${await r.text()}`);
    return (r.status === 204 ? {} : await r.json()) as T;
  };
  const sender = (over: Partial<ConstructorParameters<typeof TwilioSmsSender>[0]> = {}) => new TwilioSmsSender({ url: base, accountSid: SMS_SANDBOX.accountSid, authToken: SMS_SANDBOX.authToken, from: SMS_SANDBOX.from, timeoutMs: 1_000, ...over });
  const failure = async (p: Promise<unknown>): Promise<SmsError> => {
    const err = await p.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(SmsError);
    return err as SmsError;
  };
  const msg = (over: Record<string, string> = {}) => ({ to: '+919812345678', body: 'An approval waits for you in Guddu', idempotencyKey: `k-${Math.random()}`, ...over });

  beforeAll(async () => {
    sims = await startSimulators({ networks: [], services: ['sms'], seed: 3 });
    base = sims.urls.sms!;
  });
  afterAll(() => sims.close());
  beforeEach(async () => {
    await admin('/reset', {});
  });

  it('sends form-encoded with basic auth and answers the provider id', async () => {
    const sent = await sender().send(msg());
    expect(sent.providerId).toMatch(/^SM[0-9a-f]{32}$/);
    const log = await admin<{ entries: { method: string; path: string; headers: Record<string, string>; body: Record<string, string> }[] }>('/log');
    const e = log.entries.at(-1)!;
    expect(e).toMatchObject({ method: 'POST', path: `/2010-04-01/Accounts/${SMS_SANDBOX.accountSid}/Messages.json` });
    expect(e.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(e.headers.authorization).toBe(`Basic ${Buffer.from(`${SMS_SANDBOX.accountSid}:${SMS_SANDBOX.authToken}`).toString('base64')}`);
    expect(e.body).toMatchObject({ To: '+919812345678', From: SMS_SANDBOX.from, Body: 'An approval waits for you in Guddu' });
  });

  it('the same idempotency key sends once', async () => {
    const m = msg({ idempotencyKey: 'notification-1:user-2:sms' });
    const a = await sender().send(m);
    const b = await sender().send(m);
    expect(b.providerId).toBe(a.providerId);
    expect((await admin<{ posts: unknown[] }>('/posts')).posts).toHaveLength(1);
  });

  it('maps the provider’s answers to the error taxonomy', async () => {
    expect((await failure(sender().send(msg({ to: '98123' })))).kind).toBe('invalid_number');
    const invalid = await failure(sender().send(msg({ to: '+15005550001' })));
    expect(invalid).toMatchObject({ kind: 'invalid_number', details: { status: 400, providerCode: 21211 } });
    expect((await failure(sender().send(msg({ to: '+15005550009' })))).kind).toBe('invalid_number');
    expect(await failure(sender().send(msg({ to: '+15005550004' })))).toMatchObject({ kind: 'rejected', details: { providerCode: 21610 } });
    expect(await failure(sender({ authToken: 'wrong-token-123' }).send(msg()))).toMatchObject({ kind: 'rejected', details: { status: 401, providerCode: 20003 } });

    await admin('/config', { messagesPerWindow: 1, windowMs: 4000 }, 'PATCH');
    await sender().send(msg());
    const limited = await failure(sender().send(msg()));
    expect(limited.kind).toBe('rate_limited');
    expect(limited.retryAfterMs).toBe(4000);
    await admin('/config', { messagesPerWindow: 100, windowMs: 1000 }, 'PATCH');

    await admin('/faults', { action: { kind: 'status', status: 503 }, times: 1 });
    expect(await failure(sender().send(msg()))).toMatchObject({ kind: 'transient', details: { status: 503 } });
    await admin('/faults', { action: { kind: 'delay', ms: 1500 }, times: 1 });
    expect((await failure(sender({ timeoutMs: 300 }).send(msg()))).kind).toBe('transient');
    await admin('/faults', { action: { kind: 'reset' }, times: 1 });
    expect((await failure(sender().send(msg()))).kind).toBe('transient');
  });

  it('an unreachable provider is transient', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    expect((await failure(sender({ url: `http://127.0.0.1:${port}` }).send(msg()))).kind).toBe('transient');
  });
});
