import { createECDH, createPublicKey, hkdfSync, createDecipheriv, randomBytes, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUSH_ENDPOINTS, publicPushEndpoints, type PushEndpoints } from '../src/modules/notifications/push-endpoints.js';
import { until } from './jobs-harness.js';
import { addUser, call, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';
import { sql } from 'kysely';

// Web push over the wire: a push service of our own on loopback (HTTPS, a test certificate) takes
// what Guddu's push channel sends, and the test, holding the browser's private key, decrypts it
// (RFC 8291, aes128gcm, written out here from the RFC rather than with the library that
// encrypted it) and checks the VAPID signature (RFC 8292) against the key browsers subscribe with.
const CERT = readFileSync(new URL('./fixtures/push/cert.pem', import.meta.url), 'utf8');
const KEY = readFileSync(new URL('./fixtures/push/key.pem', import.meta.url), 'utf8');

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

let t: TestApp;
let owner: Session;
let orgId: string;
let server: Server;
let origin: string;
const received: Received[] = [];
let answer = 201;
// The browser's side: its ECDH key pair and auth secret, as PushManager.subscribe makes them.
const browser = createECDH('prime256v1');
browser.generateKeys();
const auth = randomBytes(16);

beforeAll(async () => {
  server = createServer({ cert: CERT, key: KEY }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(answer, answer === 201 ? { location: `${origin}/messages/${received.length}` } : {}).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = await startTestApp({ GUDDU_PUBLIC_URL: 'https://guddu.example', GUDDU_MAIL_FROM: 'Guddu <noreply@guddu.example>' }, { role: 'all' });
  const root = await seedRootOrg(t, 'Ministry Push');
  owner = root.owner;
  orgId = root.orgId;
});
afterAll(async () => {
  await t?.close();
  await new Promise((r) => server?.close(r));
});

async function pushDelivery(kind: string) {
  const { rows } = await sql<{ state: string; provider_ref: string | null; reason: string | null }>`SELECT state, provider_ref, reason FROM notification_deliveries WHERE kind = ${kind} AND channel = 'push'`.execute(t.runtime.db);
  return rows[0];
}

const subscription = () => ({ endpoint: `${origin}/push/browser-1`, keys: { p256dh: browser.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } });

/** Test configuration only: this app's PUSH_ENDPOINTS instance lets 127.0.0.1 through and trusts the test CA. */
function openLoopback(): void {
  const endpoints = t.app.get<symbol, PushEndpoints>(PUSH_ENDPOINTS, { strict: false });
  const publicOnes = publicPushEndpoints();
  Object.assign(endpoints, { resolve: (host: string) => (host === '127.0.0.1' ? Promise.resolve({ address: host, family: 4 as const }) : publicOnes.resolve(host)), ca: CERT });
}

/** RFC 8291 §3.4 and RFC 8188: one record, the sender's key in the header's keyid. */
function decrypt(body: Buffer): string {
  const salt = body.subarray(0, 16);
  const idLength = body.readUInt8(20);
  const senderKey = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  const secret = browser.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), browser.getPublicKey(), senderKey]);
  const ikm = Buffer.from(hkdfSync('sha256', secret, auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02, then any padding zeros.
  const end = padded.lastIndexOf(2);
  expect(padded.subarray(end + 1).every((b) => b === 0)).toBe(true);
  return padded.subarray(0, end).toString('utf8');
}

/** RFC 8292: `vapid t=<JWT>, k=<public key>`, the JWT signed ES256 by that key. */
function vapid(header: string): { key: string; claims: { aud: string; exp: number; sub: string } } {
  const m = /^vapid t=([^,]+), k=(.+)$/.exec(header);
  if (!m) throw new Error(`not a VAPID header: ${header}`);
  const [jwt, key] = [m[1]!, m[2]!];
  const [h, p, s] = jwt.split('.') as [string, string, string];
  const point = Buffer.from(key, 'base64url');
  const publicKey = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') }, format: 'jwk' });
  const ok = verify('sha256', Buffer.from(`${h}.${p}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
  expect(ok, 'the VAPID JWT verifies with k').toBe(true);
  expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toMatchObject({ alg: 'ES256' });
  return { key, claims: JSON.parse(Buffer.from(p, 'base64url').toString()) as { aud: string; exp: number; sub: string } };
}

describe('web push over the wire', () => {
  it('refuses a loopback push endpoint by default: no setting opens it', async () => {
    const res = await call(t, { method: 'POST', url: '/api/v1/notifications/push-subscriptions', token: owner.accessToken, payload: subscription() });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json<{ code: string }>().code).toBe('push_subscription_invalid');
  });

  it('sends a suspension as an encrypted push the browser’s key opens, signed with the installation’s VAPID key', async () => {
    openLoopback();

    const sub = await call(t, { method: 'POST', url: '/api/v1/notifications/push-subscriptions', token: owner.accessToken, payload: subscription() });
    expect(sub.statusCode, sub.body).toBe(201);
    const prefs = (await call(t, { method: 'GET', url: '/api/v1/notifications/preferences', token: owner.accessToken })).json<{ channels: { push: { publicKey: string; subscriptions: number } } }>();
    expect(prefs.channels.push.subscriptions).toBe(1);

    const suspended = await call(t, { method: 'POST', url: '/api/v1/publishing/suspensions', token: owner.accessToken, payload: { reason: 'National mourning' } });
    expect(suspended.statusCode, suspended.body).toBe(201);
    await until(async () => received.length === 1, 30_000, 'the push to reach the push service');

    const push = received[0]!;
    expect(push.path).toBe('/push/browser-1');
    expect(push.headers['content-encoding']).toBe('aes128gcm');
    expect(Number(push.headers.ttl)).toBe(24 * 3600);
    const payload = JSON.parse(decrypt(push.body)) as { title: string; body: string; url: string };
    expect(payload.body).toContain('National mourning');
    expect(payload.title.length).toBeGreaterThan(0);
    expect(payload.url).toMatch(/^https:\/\/guddu\.example\//);
    const { key, claims } = vapid(String(push.headers.authorization));
    expect(key).toBe(prefs.channels.push.publicKey);
    expect(claims.aud).toBe(origin);
    expect(claims.sub).toBe('mailto:noreply@guddu.example');
    expect(claims.exp * 1000).toBeGreaterThan(Date.now());

    await until(async () => (await pushDelivery('publishing_suspended'))?.state === 'sent', 10_000, 'the push delivery settled as sent');
    expect((await pushDelivery('publishing_suspended'))?.provider_ref).toBe('1 browsers');
  });

  it('drops a subscription the push service says is gone (410), and records the delivery as failed, not retried', async () => {
    answer = 410;
    const list = (await call(t, { method: 'GET', url: '/api/v1/publishing/suspensions', token: owner.accessToken })).json<{ items: { id: string }[] }>();
    const resumed = await call(t, { method: 'POST', url: `/api/v1/publishing/suspensions/${list.items[0]!.id}/resume`, token: owner.accessToken, payload: { decisions: [] } });
    expect(resumed.statusCode, resumed.body).toBe(200);
    await until(async () => received.length === 2, 30_000, 'the second push');
    await until(async () => (await pushDelivery('publishing_resumed'))?.state === 'failed', 10_000, 'the push delivery settled as failed');
    expect((await pushDelivery('publishing_resumed'))?.reason).toMatch(/every subscription is gone/);
    const prefs = (await call(t, { method: 'GET', url: '/api/v1/notifications/preferences', token: owner.accessToken })).json<{ channels: { push: { subscriptions: number } } }>();
    expect(prefs.channels.push.subscriptions).toBe(0);
    expect(received).toHaveLength(2);
  });

  it('a browser endpoint subscribed again by someone else becomes theirs alone', async () => {
    openLoopback();
    const other = await addUser(t, orgId, 'editor');
    const endpoint = { ...subscription(), endpoint: `${origin}/push/shared-browser` };
    const count = async (s: Session) => (await call(t, { method: 'GET', url: '/api/v1/notifications/preferences', token: s.accessToken })).json<{ channels: { push: { subscriptions: number } } }>().channels.push.subscriptions;
    expect((await call(t, { method: 'POST', url: '/api/v1/notifications/push-subscriptions', token: owner.accessToken, payload: endpoint })).statusCode).toBe(201);
    expect(await count(owner)).toBe(1);
    const theirs = await call(t, { method: 'POST', url: '/api/v1/notifications/push-subscriptions', token: other.session.accessToken, payload: endpoint });
    expect(theirs.statusCode).toBe(201);
    expect(await count(owner)).toBe(0);
    expect(await count(other.session)).toBe(1);
    const removed = await call(t, { method: 'DELETE', url: `/api/v1/notifications/push-subscriptions/${theirs.json<{ id: string }>().id}`, token: other.session.accessToken });
    expect(removed.statusCode).toBe(204);
  });
});
