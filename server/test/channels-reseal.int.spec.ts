import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../src/admin-commands.js';
import { ChannelSecrets } from '../src/modules/channels/channel-secrets.js';
import { CHANNEL_ACCESS, type ChannelAccessPort } from '../src/modules/publishing/channel-access.port.js';
import { channelsEnv, connectSandboxChannel } from './channels-fixtures.js';
import { login, seedRootOrg, startTestApp, type TestApp } from './harness.js';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');
const apps: TestApp[] = [];

async function app(env: Record<string, string>, databaseUrl?: string): Promise<TestApp> {
  const t = await startTestApp(env, databaseUrl ? { databaseUrl } : {});
  apps.push(t);
  return t;
}

let first: TestApp;
beforeAll(async () => {
  first = await app({ ...channelsEnv(), GUDDU_SECRET_KEY: keyA });
});
afterAll(async () => {
  for (const t of apps.reverse()) await t.close();
});

const credentials = (t: TestApp, id: string) => t.app.get<symbol, ChannelAccessPort>(CHANNEL_ACCESS).credentialsFor(id);

describe('a rotation of GUDDU_SECRET_KEY', () => {
  it('opens what the previous key sealed until reseal-secrets moves everything to the new key', async () => {
    const { owner, ownerEmail } = await seedRootOrg(first);
    const channel = await connectSandboxChannel(first, owner, 'x');
    const token = (await credentials(first, channel.id)).accessToken;
    const base = 'https://mastodon.example.test';
    await first.runtime.db
      .insertInto('mastodon_apps')
      .values({ base_url: base, redirect_uri: 'https://guddu.example/cb', client_id: 'c', client_secret_sealed: first.app.get(ChannelSecrets).sealMastodonSecret(base, 'app-secret'), scopes: 'read write' })
      .execute();

    const rotating = await app({ GUDDU_SECRET_KEY: keyB, GUDDU_PREVIOUS_SECRET_KEY: keyA, GUDDU_SANDBOX: 'off' }, first.url);
    expect((await credentials(rotating, channel.id)).accessToken).toBe(token);
    expect(await runAdminCommand(rotating.app, 'reseal-secrets', {})).toBe(0);

    const rotated = await app({ GUDDU_SECRET_KEY: keyB, GUDDU_SANDBOX: 'off' }, first.url);
    expect((await credentials(rotated, channel.id)).accessToken).toBe(token);
    const sealed = await rotated.runtime.db.selectFrom('mastodon_apps').select('client_secret_sealed').where('base_url', '=', base).executeTakeFirstOrThrow();
    expect(rotated.app.get(ChannelSecrets).openMastodonSecret(base, sealed.client_secret_sealed)).toBe('app-secret');
    // Signing keys moved too: sign-in works with the new key alone.
    expect((await login(rotated, ownerEmail)).accessToken.length).toBeGreaterThan(20);
    // And the old key no longer opens anything.
    await expect(credentials(first, channel.id)).rejects.toThrow();
  });
});
