import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../src/modules/messages/messages.dto.js';
import { CHANNEL_ACCESS, type ChannelAccessPort } from '../src/modules/publishing/channel-access.port.js';
import { channelsEnv, connectSandboxChannel, networkAccepts, sandboxOf } from './channels-fixtures.js';
import { call, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';

let t: TestApp;
let owner: Session;

beforeAll(async () => {
  t = await startTestApp(channelsEnv());
  ({ owner } = await seedRootOrg(t));
});
afterAll(() => t.close());

describe('connecting each network through its real flow against the sandbox', () => {
  it.each(CHANNELS)('%s: connects, marks the channel sandbox, and hands deliveries a token the network accepts', async (network) => {
    const channel = await connectSandboxChannel(t, owner, network);
    expect(channel).toMatchObject({ network, status: 'active', sandbox: true, baseUrl: sandboxOf(t).urls[network] });
    expect(JSON.stringify(channel)).not.toMatch(/token"\s*:\s*"/i);

    const creds = await t.app.get<symbol, ChannelAccessPort>(CHANNEL_ACCESS).credentialsFor(channel.id);
    expect(creds.channel).toMatchObject({ id: channel.id, network, sandbox: true });
    expect(await networkAccepts(t, network, creds.accessToken, channel.accountId)).toBe(200);
  });

  it('lists the connected channels with their health and no tokens', async () => {
    const res = await call(t, { method: 'GET', url: '/api/v1/channels', token: owner.accessToken });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ items: { network: string; health: { reauthorisableBy: { roles: string[] } } }[]; sandbox: boolean }>();
    expect(body.sandbox).toBe(true);
    expect(new Set(body.items.map((c) => c.network))).toEqual(new Set(CHANNELS));
    expect(body.items[0]!.health.reauthorisableBy.roles).toEqual(['owner', 'admin']);
  });
});
