import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { form, startNetwork, type StartedNetwork } from '../testing/start-network.js';
import { segmentsOf, sms, SMS_SANDBOX } from './sms.js';

describe('SMS simulator (Twilio Messages contract)', () => {
  let net: StartedNetwork;
  const basic = (sid: string, token: string) => `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`;
  const path = (sid: string = SMS_SANDBOX.accountSid) => `/2010-04-01/Accounts/${sid}/Messages.json`;
  const send = (fields: Record<string, string>, headers: Record<string, string> = {}, auth = basic(SMS_SANDBOX.accountSid, SMS_SANDBOX.authToken), sid?: string) => {
    const f = form(fields);
    return fetch(`${net.base}${path(sid)}`, { method: 'POST', body: f.body, headers: { ...f.headers, authorization: auth, ...headers } });
  };
  const ok = { To: '+919812345678', From: SMS_SANDBOX.from, Body: 'Approval waiting: message 42' };

  beforeAll(async () => {
    net = await startNetwork(sms);
  });
  afterAll(() => net.close());

  it('creates a message: 201 with the Message resource, a SM sid, segments counted', async () => {
    const res = await send(ok);
    expect(res.status).toBe(201);
    const m = (await res.json()) as Record<string, unknown>;
    expect(m).toMatchObject({ account_sid: SMS_SANDBOX.accountSid, to: ok.To, from: ok.From, body: ok.Body, status: 'queued', num_segments: '1', direction: 'outbound-api' });
    expect(m.sid).toMatch(/^SM[0-9a-f]{32}$/);
    const got = await fetch(`${net.base}/2010-04-01/Accounts/${SMS_SANDBOX.accountSid}/Messages/${String(m.sid)}.json`, { headers: { authorization: basic(SMS_SANDBOX.accountSid, SMS_SANDBOX.authToken) } });
    expect(got.status).toBe(200);
    expect(((await net.admin<{ posts: unknown[] }>('/posts')).posts)).toHaveLength(1);
  });

  it('refuses bad credentials (20003) and another account’s path', async () => {
    const wrong = await send(ok, {}, basic(SMS_SANDBOX.accountSid, 'nope'));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
    const other = await net.admin<{ accountSid: string }>('/accounts', {});
    expect((await send(ok, {}, basic(SMS_SANDBOX.accountSid, SMS_SANDBOX.authToken), other.accountSid)).status).toBe(404);
  });

  it('validates with Twilio’s codes, including the magic test numbers', async () => {
    const code = async (fields: Record<string, string>) => ((await (await send(fields)).json()) as { code: number }).code;
    expect(await code({ ...ok, To: '' })).toBe(21604);
    expect(await code({ ...ok, Body: '' })).toBe(21602);
    expect(await code({ ...ok, To: '98123' })).toBe(21211);
    expect(await code({ ...ok, From: '+15550000000' })).toBe(21606);
    expect(await code({ ...ok, Body: 'x'.repeat(1601) })).toBe(21617);
    expect(await code({ ...ok, To: '+15005550001' })).toBe(21211);
    expect(await code({ ...ok, To: '+15005550009' })).toBe(21614);
    expect(await code({ ...ok, To: '+15005550004' })).toBe(21610);
  });

  it('replays the first answer for a repeated I-Twilio-Idempotency-Token, sending once', async () => {
    await net.admin('/reset', {});
    const a = (await (await send(ok, { 'i-twilio-idempotency-token': 'k-1' })).json()) as { sid: string };
    const b = (await (await send(ok, { 'i-twilio-idempotency-token': 'k-1' })).json()) as { sid: string };
    expect(b.sid).toBe(a.sid);
    expect((await net.admin<{ posts: unknown[] }>('/posts')).posts).toHaveLength(1);
  });

  it('answers 429 (20429) with Retry-After past the window, and injected faults in Twilio’s shape', async () => {
    await net.admin('/reset', {});
    await net.admin('/config', { messagesPerWindow: 2, windowMs: 3000 }, 'PATCH');
    expect((await send(ok)).status).toBe(201);
    expect((await send(ok)).status).toBe(201);
    const limited = await send(ok);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(await limited.json()).toMatchObject({ code: 20429, status: 429 });
    await net.admin('/clock', { advanceMs: 3000 });
    expect((await send(ok)).status).toBe(201);
    await net.admin('/faults', { action: { kind: 'status', status: 503 }, times: 1 });
    const fault = await send(ok);
    expect(fault.status).toBe(503);
    expect(await fault.json()).toMatchObject({ code: 20500, status: 503 });
    const log = await net.admin<{ entries: { status: number; fault?: string }[] }>('/log');
    expect(log.entries.at(-1)).toMatchObject({ status: 503, fault: 'status:503' });
  });

  it('counts segments as carriers do: GSM 160/153, UCS-2 (Hindi) 70/67', () => {
    expect(segmentsOf('a'.repeat(160))).toBe(1);
    expect(segmentsOf('a'.repeat(161))).toBe(2);
    expect(segmentsOf('अ'.repeat(70))).toBe(1);
    expect(segmentsOf('अ'.repeat(71))).toBe(2);
  });
});
