import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../src/admin-commands.js';
import { ChannelSecrets } from '../src/modules/channels/channel-secrets.js';
import { SecretBox } from '../src/platform/crypto/secret-box.js';
import { Transactor } from '../src/platform/database/transactor.js';
import '../src/modules/webhooks/webhooks.tables.js';
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

const bypass = <T>(t: TestApp, fn: (db: ReturnType<Transactor['current']>) => Promise<T>) => t.app.get(Transactor).withTenantBypass('test: sign-in secrets', () => fn(t.app.get(Transactor).current()));

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

    // Sign-in secrets: a TOTP secret and an OIDC client secret, sealed under the first key.
    const { orgId, owner: other } = await seedRootOrg(first, 'Ministry of Home Affairs');
    const userId = other.userId;
    await bypass(first, (db) => db.insertInto('mfa_totp').values({ user_id: userId, secret_sealed: first.app.get(SecretBox).seal('TOTPSECRET', `mfa-totp:${userId}`), confirmed_at: new Date() }).execute());
    const idpId = randomUUID();
    await bypass(first, (db) => db.insertInto('identity_providers').values({ id: idpId, org_id: orgId, name: 'MEA AD', issuer: 'https://login.example.gov.in', client_id: 'guddu', client_secret_sealed: first.app.get(SecretBox).seal('idp-secret', `idp:${idpId}`), default_role: null, created_by: null }).execute());

    // A webhook's signing secret.
    const hookId = randomUUID();
    await bypass(first, (db) => db.insertInto('webhooks').values({ id: hookId, org_id: orgId, url: 'https://hooks.example.org/in', events: ['*'], secret_sealed: first.app.get(SecretBox).seal('whsec_c2VjcmV0', `webhook:${hookId}`), created_by: null }).execute());

    const rotating = await app({ GUDDU_SECRET_KEY: keyB, GUDDU_PREVIOUS_SECRET_KEY: keyA, GUDDU_SANDBOX: 'off' }, first.url);
    expect((await credentials(rotating, channel.id)).accessToken).toBe(token);
    expect(await runAdminCommand(rotating.app, 'reseal-secrets', {})).toBe(0);

    const rotated = await app({ GUDDU_SECRET_KEY: keyB, GUDDU_SANDBOX: 'off' }, first.url);
    expect((await credentials(rotated, channel.id)).accessToken).toBe(token);
    const sealed = await rotated.runtime.db.selectFrom('mastodon_apps').select('client_secret_sealed').where('base_url', '=', base).executeTakeFirstOrThrow();
    expect(rotated.app.get(ChannelSecrets).openMastodonSecret(base, sealed.client_secret_sealed)).toBe('app-secret');
    const totp = await bypass(rotated, (db) => db.selectFrom('mfa_totp').select('secret_sealed').where('user_id', '=', userId).executeTakeFirstOrThrow());
    expect(rotated.app.get(SecretBox).open(totp.secret_sealed, `mfa-totp:${userId}`)).toBe('TOTPSECRET');
    const idp = await bypass(rotated, (db) => db.selectFrom('identity_providers').select('client_secret_sealed').where('id', '=', idpId).executeTakeFirstOrThrow());
    expect(rotated.app.get(SecretBox).open(idp.client_secret_sealed!, `idp:${idpId}`)).toBe('idp-secret');
    const hook = await bypass(rotated, (db) => db.selectFrom('webhooks').select('secret_sealed').where('id', '=', hookId).executeTakeFirstOrThrow());
    expect(rotated.app.get(SecretBox).open(hook.secret_sealed, `webhook:${hookId}`)).toBe('whsec_c2VjcmV0');
    // Signing keys moved too: sign-in works with the new key alone.
    expect((await login(rotated, ownerEmail)).accessToken.length).toBeGreaterThan(20);
    // And the old key no longer opens anything.
    await expect(credentials(first, channel.id)).rejects.toThrow();
  });
});
