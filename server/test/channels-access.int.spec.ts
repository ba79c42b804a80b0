import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelSecrets } from '../src/modules/channels/channel-secrets.js';
import { CHANNEL_TARGETS, type ChannelTargetsPort } from '../src/modules/messages/channel-targets.port.js';
import { CHANNEL_ACCESS, type ChannelAccessPort } from '../src/modules/publishing/channel-access.port.js';
import { permissionsOf } from '../src/platform/access/permissions.js';
import type { RequestContext } from '../src/platform/context/request-context.js';
import { Transactor } from '../src/platform/database/transactor.js';
import { channelsEnv, connectSandboxChannel, type ChannelView } from './channels-fixtures.js';
import { addUser, call, createChildOrg, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';

let t: TestApp;
let ministry: { orgId: string; owner: Session };
let missionId: string;
let missionAdmin: Session;
let other: { orgId: string; owner: Session };
let shared: ChannelView;
let unshared: ChannelView;
let missionOwn: ChannelView;

beforeAll(async () => {
  t = await startTestApp(channelsEnv());
  ministry = await seedRootOrg(t, 'Ministry');
  other = await seedRootOrg(t, 'Another ministry');
  missionId = await createChildOrg(t, ministry.owner, 'Mission in Paris');
  missionAdmin = (await addUser(t, missionId, 'admin')).session;
  shared = await connectSandboxChannel(t, ministry.owner, 'mastodon');
  unshared = await connectSandboxChannel(t, ministry.owner, 'x');
  missionOwn = await connectSandboxChannel(t, missionAdmin, 'bluesky', { org: missionId });
  const res = await call(t, { method: 'PATCH', url: `/api/v1/channels/${shared.id}`, token: ministry.owner.accessToken, payload: { sharedWithSubtree: true, language: 'fr-fr', revision: shared.revision } });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json()).toMatchObject({ sharedWithSubtree: true, language: 'fr-FR' });
});
afterAll(() => t.close());

/** The port as messages call it: inside the caller's tenant transaction. */
async function check(orgId: string, who: { userId: string; roles: string[] }, ids: string[]) {
  const ctx: RequestContext = { correlationId: 'test', ip: undefined, userAgent: undefined, actor: { type: 'user', id: who.userId, sessionId: '00000000-0000-4000-8000-000000000000' }, orgId, roles: who.roles, permissions: permissionsOf(who.roles) };
  return t.app.get(Transactor).inTenant({ orgId, userId: who.userId }, () => t.app.get<symbol, ChannelTargetsPort>(CHANNEL_TARGETS).check(ctx, orgId, ids));
}

const ids = (res: { json<T>(): T }) => res.json<{ items: { id: string }[] }>().items.map((c) => c.id).sort();

describe('who sees and changes a channel', () => {
  it('another tenant sees none of them and cannot read, change or use one', async () => {
    const list = await call(t, { method: 'GET', url: '/api/v1/channels', token: other.owner.accessToken });
    expect(ids(list)).toEqual([]);
    expect((await call(t, { method: 'GET', url: `/api/v1/channels/${shared.id}`, token: other.owner.accessToken })).statusCode).toBe(404);
    expect((await call(t, { method: 'PATCH', url: `/api/v1/channels/${shared.id}`, token: other.owner.accessToken, payload: { displayName: 'mine now' } })).statusCode).toBe(404);
    expect((await call(t, { method: 'DELETE', url: `/api/v1/channels/${shared.id}`, token: other.owner.accessToken })).statusCode).toBe(404);
    await expect(check(other.orgId, { userId: other.owner.userId, roles: ['owner'] }, [shared.id])).rejects.toMatchObject({ code: 'channel_not_usable' });
    // Row-level security, not the WHERE clauses: a query for every row finds none of them.
    const rows = await t.app.get(Transactor).inTenant({ orgId: other.orgId }, (db) => db.selectFrom('channels').select('id').execute());
    expect(rows).toEqual([]);
  });

  it('a mission sees its own and the ministry’s shared channel, not the unshared one; the ministry sees the mission’s', async () => {
    const mission = await call(t, { method: 'GET', url: '/api/v1/channels', token: missionAdmin.accessToken, org: missionId });
    expect(ids(mission)).toEqual([shared.id, missionOwn.id].sort());
    const ministryList = await call(t, { method: 'GET', url: '/api/v1/channels', token: ministry.owner.accessToken });
    expect(ids(ministryList)).toEqual([shared.id, unshared.id, missionOwn.id].sort());
  });

  it('only the owning organisation changes a channel', async () => {
    const down = await call(t, { method: 'PATCH', url: `/api/v1/channels/${shared.id}`, token: missionAdmin.accessToken, org: missionId, payload: { displayName: 'ours' } });
    expect(down.statusCode).toBe(403);
    expect(down.json()).toMatchObject({ code: 'channel_read_only' });
    const up = await call(t, { method: 'DELETE', url: `/api/v1/channels/${missionOwn.id}`, token: ministry.owner.accessToken });
    expect(up.statusCode).toBe(403);
    const stale = await call(t, { method: 'PATCH', url: `/api/v1/channels/${shared.id}`, token: ministry.owner.accessToken, payload: { displayName: 'x', revision: 1 } });
    expect(stale.statusCode).toBe(412);
  });

  it('connecting and managing need channels.manage', async () => {
    const { session: editor } = await addUser(t, ministry.orgId, 'editor');
    expect((await call(t, { method: 'POST', url: '/api/v1/channels/connect', token: editor.accessToken, payload: { network: 'x', sandbox: true } })).statusCode).toBe(403);
    expect((await call(t, { method: 'GET', url: '/api/v1/channels', token: editor.accessToken })).statusCode).toBe(200);
  });
});

describe('which channels a message may target (CHANNEL_TARGETS)', () => {
  it('the organisation’s own and those shared from above; not an unshared one from above', async () => {
    const admin = { userId: missionAdmin.userId, roles: ['admin'] };
    expect(await check(missionId, admin, [shared.id, missionOwn.id])).toEqual([
      { id: shared.id, network: 'mastodon' },
      { id: missionOwn.id, network: 'bluesky' },
    ]);
    await expect(check(missionId, admin, [unshared.id])).rejects.toMatchObject({ code: 'channel_not_usable', details: { channels: [{ id: unshared.id, reason: 'no such channel' }] } });
    // The ministry sees the mission's channel, but a ministry message cannot post as the mission.
    await expect(check(ministry.orgId, { userId: ministry.owner.userId, roles: ['owner'] }, [missionOwn.id])).rejects.toMatchObject({ code: 'channel_not_usable' });
  });

  it('access restrictions: listed roles or users only', async () => {
    const { session: editor } = await addUser(t, ministry.orgId, 'editor');
    const restrict = await call(t, { method: 'PATCH', url: `/api/v1/channels/${unshared.id}`, token: ministry.owner.accessToken, payload: { access: { userIds: [editor.userId], roles: ['admin'] } } });
    expect(restrict.statusCode, restrict.body).toBe(200);
    const { session: approver } = await addUser(t, ministry.orgId, 'approver');
    await expect(check(ministry.orgId, { userId: approver.userId, roles: ['approver'] }, [unshared.id])).rejects.toMatchObject({ details: { channels: [{ reason: 'restricted to other people' }] } });
    expect(await check(ministry.orgId, { userId: editor.userId, roles: ['editor'] }, [unshared.id])).toHaveLength(1);
    expect(await check(ministry.orgId, { userId: approver.userId, roles: ['admin'] }, [unshared.id])).toHaveLength(1);
  });

  it('a disconnected channel cannot be targeted', async () => {
    const gone = await connectSandboxChannel(t, ministry.owner, 'linkedin');
    expect((await call(t, { method: 'DELETE', url: `/api/v1/channels/${gone.id}`, token: ministry.owner.accessToken })).statusCode).toBe(204);
    await expect(check(ministry.orgId, { userId: ministry.owner.userId, roles: ['owner'] }, [gone.id])).rejects.toMatchObject({ code: 'channel_not_usable' });
  });
});

describe('tokens at rest and in answers', () => {
  it('are sealed in the database, bound to their channel and kind, and never in an answer', async () => {
    const x = await t.app.get<symbol, ChannelAccessPort>(CHANNEL_ACCESS).credentialsFor(unshared.id);
    const raw = await t.runtime.db.selectFrom('channels').selectAll().where('id', '=', unshared.id).executeTakeFirstOrThrow();
    expect(raw.access_token_sealed).toMatch(/^v1\./);
    expect(raw.refresh_token_sealed).toMatch(/^v1\./);
    const whole = JSON.stringify(raw);
    expect(whole).not.toContain(x.accessToken);
    const secrets = t.app.get(ChannelSecrets);
    expect(secrets.openToken(unshared.id, 'access', raw.access_token_sealed!)).toBe(x.accessToken);
    // Moved to another channel's row, or to the other column, it does not open.
    expect(() => secrets.openToken(shared.id, 'access', raw.access_token_sealed!)).toThrow();
    expect(() => secrets.openToken(unshared.id, 'refresh', raw.access_token_sealed!)).toThrow();
    const refresh = secrets.openToken(unshared.id, 'refresh', raw.refresh_token_sealed!);

    const answers = [
      await call(t, { method: 'GET', url: '/api/v1/channels', token: ministry.owner.accessToken }),
      await call(t, { method: 'GET', url: `/api/v1/channels/${unshared.id}`, token: ministry.owner.accessToken }),
      await call(t, { method: 'POST', url: `/api/v1/channels/${unshared.id}/refresh`, token: ministry.owner.accessToken }),
    ];
    const fresh = await t.app.get<symbol, ChannelAccessPort>(CHANNEL_ACCESS).credentialsFor(unshared.id);
    for (const res of answers) {
      expect(res.statusCode, res.body).toBe(200);
      for (const secret of [x.accessToken, refresh, fresh.accessToken]) expect(res.body).not.toContain(secret);
    }
    const audits = await t.runtime.db.selectFrom('audit_events').selectAll().execute();
    for (const secret of [x.accessToken, refresh, fresh.accessToken]) expect(JSON.stringify(audits)).not.toContain(secret);
  });
});
