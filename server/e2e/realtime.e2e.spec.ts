import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newInstallation, removeAll, runCli, startGuddu, stopGuddu, type GudduServer, type Installation } from './spawn.js';

// The live feed of the built app over real sockets: who hears what, catch-up, polling, replicas.
const PASSWORD = 'monsoon-tea-over-old-delhi';
const SLOW = { timeout: 240_000 };
const BOOTSTRAP = { GUDDU_BOOTSTRAP_ORG: 'Ministry of External Affairs', GUDDU_BOOTSTRAP_EMAIL: 'owner@mea.gov.in', GUDDU_BOOTSTRAP_PASSWORD: PASSWORD };

interface LiveEvent {
  id: string;
  position: number;
  name: string;
  orgId: string;
  aggregateId: string;
  occurredAt: string;
  payload: Record<string, unknown>;
}

/** A socket and everything it heard. */
interface Ear {
  socket: Socket;
  events: LiveEvent[];
  ready: Promise<{ position: number }>;
}

function listen(server: GudduServer, auth: { token?: string; cookie?: string; origin?: string; after?: number }): Ear {
  const headers: Record<string, string> = {};
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.cookie) headers.cookie = auth.cookie;
  if (auth.origin) headers.origin = auth.origin;
  const socket = io(server.url, {
    path: '/api/realtime',
    transports: ['websocket'],
    extraHeaders: headers,
    reconnection: false,
    auth: auth.after === undefined ? {} : { after: auth.after },
  });
  const events: LiveEvent[] = [];
  socket.on('event', (e: LiveEvent) => events.push(e));
  const ready = new Promise<{ position: number }>((resolve, reject) => {
    socket.once('ready', resolve);
    socket.once('resync', () => reject(new Error('resync')));
    socket.once('connect_error', reject);
  });
  return { socket, events, ready };
}

async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function api<T>(server: GudduServer, method: string, path: string, token: string | undefined, body?: unknown): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T, headers: res.headers };
}

async function signIn(server: GudduServer, email: string): Promise<string> {
  const res = await api<{ accessToken: string }>(server, 'POST', '/api/v1/auth/login', undefined, { email, password: PASSWORD });
  expect(res.status).toBe(200);
  return res.body.accessToken;
}

async function createMessage(server: GudduServer, token: string, title: string): Promise<string> {
  const res = await api<{ id: string }>(server, 'POST', '/api/v1/messages', token, { title, content: { bodies: { en: title }, channels: ['x'] } });
  expect(res.status).toBe(201);
  return res.body.id;
}

const heard = (ear: Ear, messageId: string) => () => ear.events.find((e) => e.aggregateId === messageId);

afterAll(removeAll, 120_000);

describe('the live feed on the built server', SLOW, () => {
  let inst: Installation;
  let server: GudduServer;
  const redisEnv: Record<string, string> = {};
  let owner: string;
  let alice: string;
  let bob: string;
  let divisionA: string;
  let divisionB: string;
  const ears: Ear[] = [];
  const ear = (e: Ear) => (ears.push(e), e);

  beforeAll(async () => {
    inst = await newInstallation();
    // Distributed mode: events through JetStream when NATS_URL is set, sockets fanned out by Redis.
    const prefix = `rt-${randomBytes(4).toString('hex')}`;
    if (process.env.REDIS_URL) Object.assign(redisEnv, { REDIS_URL: process.env.REDIS_URL, GUDDU_REDIS_PREFIX: prefix });
    if (process.env.NATS_URL) Object.assign(redisEnv, { NATS_URL: process.env.NATS_URL, GUDDU_NATS_PREFIX: prefix.replace('-', '_') });
    server = await startGuddu(inst, { ...BOOTSTRAP, ...redisEnv, GUDDU_REALTIME_RECHECK_MS: '500' });
    owner = await signIn(server, 'owner@mea.gov.in');
    const mk = async (name: string) => (await api<{ id: string }>(server, 'POST', '/api/v1/organisations', owner, { name, kind: 'division' })).body.id;
    divisionA = await mk('Americas');
    divisionB = await mk('Europe');
    for (const [email, org] of [['alice@mea.gov.in', divisionA], ['bob@mea.gov.in', divisionB]] as const) {
      const run = await runCli(inst, ['create-user', '--email', email, '--password', PASSWORD, '--org', org, '--role', 'editor']);
      expect(run.code, run.stderr).toBe(0);
    }
    alice = await signIn(server, 'alice@mea.gov.in');
    bob = await signIn(server, 'bob@mea.gov.in');
  }, 240_000);

  afterAll(() => {
    for (const e of ears) e.socket.disconnect();
  });

  it('refuses a socket without a session, with the problem code', async () => {
    const anonymous = ear(listen(server, {}));
    await expect(anonymous.ready).rejects.toMatchObject({ data: { code: 'unauthenticated' } });
    const forged = ear(listen(server, { token: 'not.a.token' }));
    await expect(forged.ready).rejects.toMatchObject({ data: { code: 'token_invalid' } });
  });

  it('a user of one division never hears another division’s events; the ministry above hears both', async () => {
    const ownerEar = ear(listen(server, { token: owner }));
    const aliceEar = ear(listen(server, { token: alice }));
    const bobEar = ear(listen(server, { token: bob }));
    await Promise.all([ownerEar.ready, aliceEar.ready, bobEar.ready]);

    const inA = await createMessage(server, alice, 'Americas statement');
    const created = await until(heard(aliceEar, inA), 'alice to hear her message');
    expect(created).toMatchObject({ name: 'messages.created', orgId: divisionA, aggregateId: inA });
    await until(heard(ownerEar, inA), 'the owner to hear the Americas message');

    // Bob's own event comes after Alice's in the outbox: once he has it, hers would have come too.
    const inB = await createMessage(server, bob, 'Europe statement');
    await until(heard(bobEar, inB), 'bob to hear his message');
    await until(heard(ownerEar, inB), 'the owner to hear the Europe message');
    expect(bobEar.events.every((e) => e.orgId === divisionB)).toBe(true);
    expect(aliceEar.events.find((e) => e.aggregateId === inB)).toBeUndefined();
    expect(bobEar.events.find((e) => e.aggregateId === inA)).toBeUndefined();
  });

  it('a reconnecting socket gets what it missed since its last position, and only what it may see', async () => {
    const first = ear(listen(server, { token: alice }));
    const { position } = await first.ready;
    first.socket.disconnect();

    const missed = await createMessage(server, alice, 'While you were away');
    const elsewhere = await createMessage(server, bob, 'Not for Alice');
    // Wait until both are published (the owner hears everything), so the catch-up has them.
    const watcher = ear(listen(server, { token: owner }));
    await watcher.ready;
    const poll = async () => (await api<{ events: LiveEvent[] }>(server, 'GET', `/api/v1/realtime/events?after=${position}`, owner)).body.events;
    let seen: LiveEvent[] = [];
    const end = Date.now() + 15_000;
    while (!seen.some((e) => e.aggregateId === elsewhere) && Date.now() < end) seen = await poll();
    expect(seen.some((e) => e.aggregateId === missed)).toBe(true);

    const again = ear(listen(server, { token: alice, after: position }));
    await again.ready;
    expect(again.events.map((e) => e.aggregateId)).toContain(missed);
    expect(again.events.map((e) => e.aggregateId)).not.toContain(elsewhere);
    // At or below the position only the look-back for late commits (the last 30 s) comes again.
    expect(again.events.filter((e) => e.position <= position).every((e) => Date.now() - Date.parse(e.occurredAt) < 60_000)).toBe(true);
  });

  it('asks for a resync when the position is beyond anything the outbox holds', async () => {
    const lost = ear(listen(server, { token: alice, after: 9_000_000_000 }));
    await expect(lost.ready).rejects.toThrow('resync');
  });

  it('the polling fallback filters as the socket does', async () => {
    const forBob = await api<{ events: LiveEvent[]; position: number; resync: boolean }>(server, 'GET', '/api/v1/realtime/events?after=0', bob);
    expect(forBob.status).toBe(200);
    expect(forBob.body.resync).toBe(false);
    expect(forBob.body.events.length).toBeGreaterThan(0);
    expect(forBob.body.events.every((e) => e.orgId === divisionB)).toBe(true);
    const forOwner = await api<{ events: LiveEvent[] }>(server, 'GET', '/api/v1/realtime/events?after=0', owner);
    expect(new Set(forOwner.body.events.map((e) => e.orgId))).toEqual(new Set([divisionA, divisionB]));
    const bad = await api<{ code: string }>(server, 'GET', '/api/v1/realtime/events?after=-1', owner);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
  });

  it('admits the console’s session cookie from its own origin, and refuses it from another', async () => {
    const res = await fetch(`${server.url}/api/v1/auth/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'alice@mea.gov.in', password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const host = new URL(server.url).host;
    const console = ear(listen(server, { cookie, origin: `http://${host}` }));
    await console.ready;
    const id = await createMessage(server, alice, 'Heard through the cookie');
    await until(heard(console, id), 'the cookie socket to hear the message');
    const foreign = ear(listen(server, { cookie, origin: 'https://evil.example' }));
    await expect(foreign.ready).rejects.toMatchObject({ data: { code: 'forbidden' } });
  });

  it('a socket ends soon after its session signs out, before its access token would expire', async () => {
    const token = await signIn(server, 'bob@mea.gov.in');
    const listening = ear(listen(server, { token }));
    await listening.ready;
    const ended = new Promise<unknown>((resolve) => listening.socket.once('session_ended', resolve));
    const closed = new Promise<string>((resolve) => listening.socket.once('disconnect', resolve));
    expect((await api(server, 'POST', '/api/v1/auth/logout', token)).status).toBe(204);
    await expect(ended).resolves.toEqual({ code: 'session_revoked' });
    expect(await closed).toBe('io server disconnect');
    // Another session of the same user keeps listening.
    expect(bob).toBeTruthy();
    const other = ear(listen(server, { token: bob }));
    await other.ready;
    await new Promise((r) => setTimeout(r, 1_500));
    expect(other.socket.connected).toBe(true);
  });

  it.runIf(Boolean(process.env.REDIS_URL))('with Redis, a socket on another replica hears an event made on the first', async () => {
    const second = await startGuddu(inst, redisEnv);
    const far = ear(listen(second, { token: bob }));
    await far.ready;
    const id = await createMessage(server, bob, 'Across replicas');
    await until(heard(far, id), 'the second replica to deliver the event');
    far.socket.disconnect();
    await stopGuddu(second);
  });

  it.runIf(Boolean(process.env.REDIS_URL))('with Redis, an event relayed by a worker process reaches a socket on an API-only replica', async () => {
    // Only the worker relays events now: the API replica has no subscriber of its own.
    await stopGuddu(server);
    const api = await startGuddu(inst, redisEnv, 'serve');
    const worker = await startGuddu(inst, redisEnv, 'worker');
    const token = await signIn(api, 'bob@mea.gov.in');
    const listener = ear(listen(api, { token }));
    await listener.ready;
    const id = await createMessage(api, token, 'Relayed by the worker');
    await until(heard(listener, id), 'the worker’s event on the API replica’s socket');
    listener.socket.disconnect();
    await Promise.all([stopGuddu(api), stopGuddu(worker)]);
  });
});
