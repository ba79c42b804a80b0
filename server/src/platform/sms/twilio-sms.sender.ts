import { SmsError, type SmsMessage, type SmsSender, type SmsSent } from './sms-sender.js';

export interface TwilioSmsConfig {
  /** https://api.twilio.com, or any server speaking the same contract (the sandbox simulator). */
  url: string;
  accountSid: string;
  authToken: string;
  from: string;
  timeoutMs: number;
}

/** Twilio error codes that mean the number itself is wrong or cannot take SMS. */
const INVALID_NUMBER = new Set([21211, 21214, 21217, 21401, 21407, 21421, 21614]);
const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Twilio's Programmable Messaging API: `POST /2010-04-01/Accounts/{Sid}/Messages.json`,
 * form-encoded To/From/Body, HTTP basic auth. The idempotency key travels as
 * `I-Twilio-Idempotency-Token`; whether a provider honours it varies (the simulator does), so
 * callers still de-duplicate on their own records before sending.
 */
export class TwilioSmsSender implements SmsSender {
  readonly available = true;

  constructor(
    private readonly config: TwilioSmsConfig,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  async send(m: SmsMessage): Promise<SmsSent> {
    if (!E164.test(m.to)) throw new SmsError('invalid_number', `${m.to} is not an E.164 number`);
    const url = `${this.config.url}/2010-04-01/Accounts/${encodeURIComponent(this.config.accountSid)}/Messages.json`;
    let res: Response;
    try {
      res = await this.fetchFn(url, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${this.config.accountSid}:${this.config.authToken}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          'i-twilio-idempotency-token': m.idempotencyKey,
        },
        body: new URLSearchParams({ To: m.to, From: this.config.from, Body: m.body }).toString(),
        signal: AbortSignal.timeout(this.config.timeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      throw new SmsError('transient', `SMS provider unreachable: ${(err as Error).message}`);
    }
    const body = (await res.json().catch(() => undefined)) as { sid?: unknown; code?: unknown; message?: unknown } | undefined;
    if (res.status === 201 || res.status === 200) {
      if (typeof body?.sid !== 'string') throw new SmsError('transient', 'SMS provider answered without a message sid', { status: res.status });
      return { providerId: body.sid };
    }
    const code = typeof body?.code === 'number' ? body.code : undefined;
    const message = typeof body?.message === 'string' ? body.message : `SMS provider answered ${res.status}`;
    const details = { status: res.status, ...(code !== undefined ? { providerCode: code } : {}) };
    if (res.status === 429 || code === 20429) {
      const retryAfter = Number(res.headers.get('retry-after'));
      throw new SmsError('rate_limited', message, { ...details, retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 1000 });
    }
    if (res.status >= 500) throw new SmsError('transient', message, details);
    if (code !== undefined && INVALID_NUMBER.has(code)) throw new SmsError('invalid_number', message, details);
    throw new SmsError('rejected', message, details);
  }
}

/** No provider and no sandbox: every send is refused, so a caller records it as not delivered. */
export class NoSmsSender implements SmsSender {
  readonly available = false;
  send(): Promise<SmsSent> {
    return Promise.reject(new SmsError('rejected', 'No SMS provider is configured (GUDDU_SMS_URL, GUDDU_SMS_ACCOUNT_SID, GUDDU_SMS_AUTH_TOKEN, GUDDU_SMS_FROM)'));
  }
}
