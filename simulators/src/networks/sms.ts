import { SeedError } from '../harness/admin.js';
import { header, json, param, Reply, type SimRequest, type SimResponse } from '../harness/http.js';
import { type NetworkContext, type NetworkDefinition } from '../harness/network.js';
import { type WindowRule } from '../harness/rate-limiter.js';
import { iso } from '../harness/text.js';
import { randomBytes } from 'node:crypto';

/**
 * An SMS provider following Twilio's Programmable Messaging contract: `POST
 * /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded, HTTP basic auth with the
 * account SID and auth token; 201 with the Message resource; errors as Twilio's
 * `{ code, message, more_info, status }` with its numeric codes; 429 (code 20429) with
 * Retry-After. Twilio's magic test numbers behave as documented for test credentials:
 * +15005550001 invalid (21211), +15005550009 not SMS-capable (21614), +15005550004 blocked (21610).
 * `I-Twilio-Idempotency-Token` replays the first answer for the same token on the same account.
 */
interface Account {
  sid: string;
  authToken: string;
  from: Set<string>;
}

interface Message {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  body: string;
  segments: number;
  status: 'queued' | 'sent' | 'delivered';
  createdAt: number;
}

/** The sandbox account Guddu's embedded mode uses when no provider is configured. */
export const SMS_SANDBOX = { accountSid: `AC${'5a4db0c0'.repeat(4)}`, authToken: 'sandbox-auth-token-0000', from: '+15005550006' } as const;

const E164 = /^\+[1-9]\d{6,14}$/;
const MAGIC: Record<string, { status: number; code: number; message: (to: string) => string }> = {
  '+15005550001': { status: 400, code: 21211, message: (to) => `The 'To' number ${to} is not a valid phone number.` },
  '+15005550009': { status: 400, code: 21614, message: (to) => `'To' number ${to} is not a valid mobile number` },
  '+15005550004': { status: 400, code: 21610, message: () => 'Attempt to send to unsubscribed recipient' },
};
// GSM 03.38 basic set (without the escape extension): anything else makes the message UCS-2.
const GSM = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà]*$/;

export function segmentsOf(body: string): number {
  const gsm = GSM.test(body);
  const length = gsm ? body.length : [...body].reduce((n, ch) => n + (ch.codePointAt(0)! > 0xffff ? 2 : 1), 0);
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  return length <= single ? 1 : Math.ceil(length / multi);
}

export function sms(ctx: NetworkContext): NetworkDefinition {
  const { harness, limiter } = ctx;
  const clock = harness.clock;
  const config = {
    /** Messages an account may create per window before 429 (Twilio queues per sender; this stands for the API's concurrency limit). */
    messagesPerWindow: 100,
    windowMs: 1_000,
    maxBodyCharacters: 1600,
  };
  const accounts = new Map<string, Account>();
  const messages = new Map<string, Message>();
  const replays = new Map<string, Message>();

  function seedAccount(input: Record<string, unknown>) {
    const sid = typeof input.accountSid === 'string' ? input.accountSid : `AC${randomBytes(16).toString('hex')}`;
    if (!/^AC[0-9a-f]{32}$/.test(sid)) throw new SeedError('accountSid must be AC followed by 32 hex digits');
    const authToken = typeof input.authToken === 'string' ? input.authToken : randomBytes(16).toString('hex');
    const from = typeof input.from === 'string' ? input.from : SMS_SANDBOX.from;
    if (!E164.test(from)) throw new SeedError('from must be an E.164 number');
    accounts.set(sid, { sid, authToken, from: new Set([from]) });
    return { accountId: sid, accountSid: sid, authToken, from };
  }
  seedAccount(SMS_SANDBOX);

  function twilioError(status: number, code: number, message: string, headers: Record<string, string> = {}): SimResponse {
    return json(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, headers);
  }

  function authenticate(req: SimRequest): Account {
    const auth = header(req, 'authorization') ?? '';
    const decoded = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const account = accounts.get(decoded.slice(0, colon));
    if (colon < 0 || !account || account.authToken !== decoded.slice(colon + 1)) throw new Reply(twilioError(401, 20003, 'Authenticate'));
    if (req.params.accountSid !== account.sid) throw new Reply(twilioError(404, 20404, `The requested resource /2010-04-01/Accounts/${req.params.accountSid}/Messages.json was not found`));
    return account;
  }

  function resource(m: Message) {
    const date = new Date(m.createdAt).toUTCString();
    return {
      sid: m.sid, account_sid: m.accountSid, to: m.to, from: m.from, body: m.body, status: m.status, num_segments: String(m.segments), num_media: '0',
      direction: 'outbound-api', api_version: '2010-04-01', price: null, price_unit: 'USD', error_code: null, error_message: null,
      date_created: date, date_updated: date, date_sent: null, messaging_service_sid: null,
      uri: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}.json`, subresource_uris: { media: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}/Media.json` },
    };
  }

  function rateLimited(): SimResponse {
    return twilioError(429, 20429, 'Too Many Requests', { 'retry-after': String(Math.max(1, Math.ceil(config.windowMs / 1000))) });
  }

  function create(req: SimRequest): SimResponse {
    const account = authenticate(req);
    const token = header(req, 'i-twilio-idempotency-token');
    const replay = token ? replays.get(`${account.sid}:${token}`) : undefined;
    if (replay) return json(201, resource(replay));
    const to = param(req, 'To');
    const from = param(req, 'From');
    const body = param(req, 'Body');
    if (!to) return twilioError(400, 21604, "A 'To' phone number is required.");
    if (!from && !param(req, 'MessagingServiceSid')) return twilioError(400, 21603, "A 'From' phone number is required.");
    if (!body) return twilioError(400, 21602, 'Message body is required.');
    if (!E164.test(to)) return twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!from || !account.from.has(from)) return twilioError(400, 21606, `The From phone number ${from ?? ''} is not a valid, SMS-capable inbound phone number or short code for your account.`);
    if (body.length > config.maxBodyCharacters) return twilioError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    const magic = MAGIC[to];
    if (magic) return twilioError(magic.status, magic.code, magic.message(to));
    const rule: WindowRule = { kind: 'fixed', limit: config.messagesPerWindow, windowMs: config.windowMs };
    if (!limiter.take(`sms:${account.sid}`, rule).allowed) return rateLimited();
    const m: Message = { sid: `SM${randomBytes(16).toString('hex')}`, accountSid: account.sid, to, from, body, segments: segmentsOf(body), status: 'queued', createdAt: clock.now() };
    messages.set(m.sid, m);
    if (token) replays.set(`${account.sid}:${token}`, m);
    harness.ledger.record({ network: 'sms', account: `${account.sid}:${to}`, id: m.sid, text: body, createdAt: m.createdAt, kind: 'message' });
    return json(201, resource(m));
  }

  function fetchOne(req: SimRequest): SimResponse {
    const account = authenticate(req);
    const m = messages.get(req.params.messageSid ?? '');
    if (!m || m.accountSid !== account.sid) return twilioError(404, 20404, `The requested resource ${req.path} was not found`);
    // Handed to the carrier a moment after creation, delivered a moment later (simulated time).
    const age = clock.now() - m.createdAt;
    m.status = age >= 2_000 ? 'delivered' : age >= 500 ? 'sent' : 'queued';
    return json(200, resource(m));
  }

  return {
    name: 'sms',
    routes: [
      { method: 'POST', pattern: '/2010-04-01/Accounts/:accountSid/Messages.json', handler: create },
      { method: 'GET', pattern: '/2010-04-01/Accounts/:accountSid/Messages/:messageSid', handler: fetchOne },
    ],
    // `/Messages/SM….json`: the router matches whole segments, so the suffix goes first.
    normalizePath: (path) => path.replace(/(\/Messages\/[^/]+)\.json$/, '$1'),
    errorResponse: (status) => {
      if (status === 404) return twilioError(404, 20404, 'The requested resource was not found');
      if (status === 401) return twilioError(401, 20003, 'Authenticate');
      if (status === 429) return rateLimited();
      if (status >= 500) return twilioError(status, 20500, 'An internal server error has occurred');
      return twilioError(status, 21100, 'Bad request');
    },
    rateLimitedResponse: rateLimited,
    seedAccount,
    addEngagement: () => false,
    config,
    describe: () => ({
      accounts: [...accounts.values()].map((a) => ({ accountSid: a.sid, from: [...a.from] })),
      messages: [...messages.values()].map((m) => ({ ...resource(m), createdAt: iso(m.createdAt) })),
    }),
    reset: () => {
      accounts.clear();
      messages.clear();
      replays.clear();
      seedAccount(SMS_SANDBOX);
    },
  };
}
