import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelHealth } from '../src/modules/channels/channel-health.service.js';
import { ChannelSecrets } from '../src/modules/channels/channel-secrets.js';
import { CHANNEL_ACCESS, type ChannelAccessPort } from '../src/modules/publishing/channel-access.port.js';
import { channelsEnv, connectSandboxChannel, consent, networkAccepts, sandboxOf } from './channels-fixtures.js';
import { addUser, call, login, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';

let t: TestApp;
let owner: Session;
let ownerEmail: string;
let orgId: string;
let access: ChannelAccessPort;

const HOUR = 3600_000;

beforeAll(async () => {
  t = await startTestApp(channelsEnv());
  ({ owner, ownerEmail, orgId } = await seedRootOrg(t));
  access = t.app.get<symbol, ChannelAccessPort>(CHANNEL_ACCESS);
});
afterAll(() => t.close());

async function sim(network: string, path: string, body?: unknown) {
  const res = await fetch(`${sandboxOf(t).urls[network as 'x']}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json() as Promise<Record<string, unknown>>;
}

async function rawChannel(id: string) {
  return t.runtime.db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

function openRefresh(row: { id: string; refresh_token_sealed: string | null }): string {
  return t.app.get(ChannelSecrets).openToken(row.id, 'refresh', row.refresh_token_sealed!);
}

async function startX(as: Session = owner): Promise<string> {
  const res = await call(t, { method: 'POST', url: '/api/v1/channels/connect', token: as.accessToken, payload: { network: 'x', sandbox: true } });
  expect(res.statusCode, res.body).toBe(201);
  return consent(res.json<{ authorizeUrl: string }>().authorizeUrl);
}

describe('the state of a connect attempt', () => {
  it('refuses an unknown state', async () => {
    const res = await call(t, { method: 'GET', url: '/api/v1/channels/callback/x?code=abc&state=not-a-state-we-issued', token: owner.accessToken });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'connect_state_invalid' });
  });

  it('refuses a state presented by another user, or by the same user in another session', async () => {
    const back = await startX();
    const { session: other } = await addUser(t, orgId, 'admin');
    const elsewhere = await login(t, ownerEmail);
    for (const as of [other, elsewhere]) {
      const res = await call(t, { method: 'GET', url: back, token: as.accessToken });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ code: 'connect_state_invalid' });
    }
    // Still good for the session that started it.
    expect((await call(t, { method: 'GET', url: back, token: owner.accessToken })).statusCode).toBe(302);
  });

  it('refuses a replayed state', async () => {
    const back = await startX();
    expect((await call(t, { method: 'GET', url: back, token: owner.accessToken })).statusCode).toBe(302);
    const again = await call(t, { method: 'GET', url: back, token: owner.accessToken });
    expect(again.statusCode).toBe(400);
    expect(again.json<{ detail: string }>().detail).toMatch(/already used/);
  });

  it('refuses an expired state', async () => {
    const back = await startX();
    await t.runtime.pool.query(`UPDATE channel_connect_attempts SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`);
    const res = await call(t, { method: 'GET', url: back, token: owner.accessToken });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ detail: string }>().detail).toMatch(/expired/);
  });

  it('refuses a denied consent with the network’s reason, and a state for another network', async () => {
    await sim('x', '/__sim/oauth/consent', { consent: 'deny' });
    const res = await call(t, { method: 'POST', url: '/api/v1/channels/connect', token: owner.accessToken, payload: { network: 'x', sandbox: true } });
    const denied = await fetch(res.json<{ authorizeUrl: string }>().authorizeUrl, { redirect: 'manual' });
    await sim('x', '/__sim/oauth/consent', { consent: 'approve' });
    const back = new URL(denied.headers.get('location')!);
    const wrongNetwork = await call(t, { method: 'GET', url: `/api/v1/channels/callback/mastodon${back.search}`, token: owner.accessToken });
    expect(wrongNetwork.statusCode).toBe(400);
    expect(back.pathname).toBe('/channels/callback/x/');
    const refused = await call(t, { method: 'GET', url: `/api/v1/channels/callback/x${back.search}`, token: owner.accessToken });
    expect(refused.statusCode).toBe(502);
    expect(refused.json()).toMatchObject({ code: 'connect_failed' });
  });
});

describe('PKCE', () => {
  it('sends an S256 challenge to the network and the matching verifier with the code', async () => {
    await fetch(`${sandboxOf(t).urls.x}/__sim/log`, { method: 'DELETE' });
    await connectSandboxChannel(t, owner, 'x');
    const log = await sim('x', '/__sim/log');
    const entries = log.entries as { path: string; query: Record<string, string>; body: Record<string, string> }[];
    const authorize = entries.find((e) => e.path === '/i/oauth2/authorize')!;
    const token = entries.find((e) => e.path === '/2/oauth2/token')!;
    expect(authorize.query.code_challenge_method).toBe('S256');
    expect(token.body.code_verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(createHash('sha256').update(token.body.code_verifier!).digest('base64url')).toBe(authorize.query.code_challenge);
  });
});

describe('refresh', () => {
  it('refreshes an X token ahead of its expiry on the simulators’ clock, and rotates the refresh token each time', async () => {
    const channel = await connectSandboxChannel(t, owner, 'x', { account: (await sim('x', '/__sim/accounts', { username: 'mea_rotation' })).accountId as string });
    const before = await rawChannel(channel.id);
    const firstRefresh = openRefresh(before);
    const oldAccess = (await access.credentialsFor(channel.id)).accessToken;

    // 1 h 55 min later on the network's clock: within the sweep's 15 minutes.
    await sim('x', '/__sim/clock', { advanceMs: 2 * HOUR - 5 * 60_000 });
    const swept = await t.app.get(ChannelHealth).sweep();
    expect(swept.refreshed).toBeGreaterThanOrEqual(1);
    const after = await rawChannel(channel.id);
    expect(after.revision).toBeGreaterThan(before.revision);
    expect(openRefresh(after)).not.toBe(firstRefresh);
    const creds = await access.credentialsFor(channel.id);
    expect(creds.accessToken).not.toBe(oldAccess);
    expect(await networkAccepts(t, 'x', creds.accessToken, channel.accountId)).toBe(200);
    expect(await networkAccepts(t, 'x', oldAccess, channel.accountId)).toBe(401);

    // A second refresh uses the rotated token (the first one, used again, would kill the grant).
    const forced = await access.refreshNow(channel.id);
    expect(await networkAccepts(t, 'x', forced.accessToken, channel.accountId)).toBe(200);

    // Close to expiry, a delivery's credentialsFor refreshes first.
    await sim('x', '/__sim/clock', { advanceMs: 2 * HOUR - 30_000 });
    const late = await access.credentialsFor(channel.id);
    expect(late.accessToken).not.toBe(forced.accessToken);
    expect(await networkAccepts(t, 'x', late.accessToken, channel.accountId)).toBe(200);
  });

  it('schedules the next refresh by stored id ahead of expiry, and the job refreshes when the time comes', async () => {
    const account = (await sim('x', '/__sim/accounts', { username: 'mea_scheduled' })).accountId as string;
    const channel = await connectSandboxChannel(t, owner, 'x', { account });
    const row = await rawChannel(channel.id);
    const entry = await t.runtime.db.selectFrom('scheduled_jobs').selectAll().where('key', '=', `channel-refresh:${channel.id}:r${row.revision}`).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ job_name: 'channels.refresh', org_id: orgId, state: 'pending', payload: { channelId: channel.id } });
    // Two hours of life, refreshed ten minutes before the end.
    const ahead = entry.run_at.getTime() - Date.now();
    expect(ahead).toBeGreaterThan(2 * HOUR - 12 * 60_000);
    expect(ahead).toBeLessThan(2 * HOUR - 9 * 60_000);

    const health = t.app.get(ChannelHealth);
    const payload = entry.payload as { channelId: string; revision: number; orgId: string; correlationId: string; idempotencyKey: string };
    expect(payload.revision).toBe(row.revision);
    await health.refreshJob({ ...payload, revision: row.revision - 1 }); // a stale entry does nothing
    expect((await rawChannel(channel.id)).revision).toBe(row.revision);
    await sim('x', '/__sim/clock', { advanceMs: 2 * HOUR - 9 * 60_000 });
    await health.refreshJob(payload);
    const after = await rawChannel(channel.id);
    expect(after.revision).toBeGreaterThan(row.revision);
    expect(after.last_refreshed_at).not.toBeNull();
    const next = await t.runtime.db.selectFrom('scheduled_jobs').select('state').where('key', '=', `channel-refresh:${channel.id}:r${after.revision}`).executeTakeFirst();
    expect(next?.state).toBe('pending');
  });

  it('a reconnect without a new refresh token keeps the one held (YouTube asks consent only the first time)', async () => {
    const first = await connectSandboxChannel(t, owner, 'youtube');
    const held = openRefresh(await rawChannel(first.id));
    const again = await connectSandboxChannel(t, owner, 'youtube');
    expect(again.id).toBe(first.id);
    const log = await sim('youtube', '/__sim/log?path=%5E/o/oauth2/v2/auth');
    const auths = (log.entries as { query: Record<string, string> }[]).map((e) => e.query.prompt ?? null);
    expect(auths.slice(-2)).toEqual(['consent', null]);
    const after = await rawChannel(first.id);
    expect(after.refresh_token_sealed).not.toBeNull();
    expect(openRefresh(after)).toBe(held);
    const refreshed = await call(t, { method: 'POST', url: `/api/v1/channels/${first.id}/refresh`, token: owner.accessToken });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
  });

  it('a token revoked at the network flags the channel needs_reauth, audited and evented, naming who can fix it', async () => {
    const account = (await sim('x', '/__sim/accounts', { username: 'mea_revoked' })).accountId as string;
    const channel = await connectSandboxChannel(t, owner, 'x', { account });
    await sim('x', '/__sim/tokens/revoke', { accountId: account });
    const res = await call(t, { method: 'POST', url: `/api/v1/channels/${channel.id}/refresh`, token: owner.accessToken });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'channel_unavailable' });
    const got = await call(t, { method: 'GET', url: `/api/v1/channels/${channel.id}`, token: owner.accessToken });
    expect(got.json()).toMatchObject({ status: 'needs_reauth', health: { reauthorisableBy: { organisationId: orgId, roles: ['owner', 'admin'] } } });
    const event = await t.runtime.db.selectFrom('outbox_events').select(['payload']).where('name', '=', 'channels.needs_reauth').where('aggregate_id', '=', channel.id).executeTakeFirstOrThrow();
    expect(event.payload).toMatchObject({ channelId: channel.id, network: 'x', fixableBy: { organisationId: orgId, roles: ['owner', 'admin'] } });
    const audit = await t.runtime.db.selectFrom('audit_events').select('action').where('target_id', '=', channel.id).execute();
    expect(audit.map((a) => a.action)).toContain('channels.needs_reauth');
    await expect(access.credentialsFor(channel.id)).rejects.toMatchObject({ code: 'channel_unavailable' });

    // Re-authorising brings it back.
    const back = await connectSandboxChannel(t, owner, 'x', { account });
    expect(back).toMatchObject({ id: channel.id, status: 'active' });
  });

  it('a delivery that reports a refused token flags the channel once', async () => {
    const channel = await connectSandboxChannel(t, owner, 'mastodon');
    await access.reportAuthFailure(channel.id, 'revoked', '401 The access token was revoked');
    await access.reportAuthFailure(channel.id, 'revoked', '401 The access token was revoked');
    const events = await t.runtime.db.selectFrom('outbox_events').select('id').where('name', '=', 'channels.needs_reauth').where('aggregate_id', '=', channel.id).execute();
    expect(events).toHaveLength(1);
    expect((await rawChannel(channel.id)).status).toBe('needs_reauth');
  });

  it('disconnect revokes at the network and wipes the tokens', async () => {
    const channel = await connectSandboxChannel(t, owner, 'bluesky');
    const token = (await access.credentialsFor(channel.id)).accessToken;
    const res = await call(t, { method: 'DELETE', url: `/api/v1/channels/${channel.id}`, token: owner.accessToken });
    expect(res.statusCode).toBe(204);
    const row = await rawChannel(channel.id);
    expect(row).toMatchObject({ status: 'disconnected', access_token_sealed: null, refresh_token_sealed: null });
    expect(await networkAccepts(t, 'bluesky', token, channel.accountId)).not.toBe(200);
    const event = await t.runtime.db.selectFrom('outbox_events').select('payload').where('name', '=', 'channels.disconnected').where('aggregate_id', '=', channel.id).executeTakeFirstOrThrow();
    expect(event.payload).toMatchObject({ revokedAtNetwork: true });
  });
});
