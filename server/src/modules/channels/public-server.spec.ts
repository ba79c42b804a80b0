import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/app-error.js';
import { assertPublicServer, forbiddenAddress, type Lookup } from './public-server.js';

const resolvesTo = (...addresses: string[]): Lookup => () => Promise.resolve(addresses.map((address) => ({ address })));

async function refusal(p: Promise<void>): Promise<AppError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('a server the officer names must resolve to public addresses only', () => {
  it('refuses loopback, private, ULA, link-local, metadata, CGNAT, unspecified and mapped addresses', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', 'fd00::1', 'fc12::1', '169.254.169.254', 'fe80::1', 'fd00:ec2::254', '100.64.0.1', '100.100.100.200', '0.0.0.0', '::', '::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '224.0.0.1']) {
      expect(forbiddenAddress(a), a).toBe(true);
    }
    for (const a of ['1.1.1.1', '151.101.1.1', '172.32.0.1', '100.128.0.1', '2606:4700::1111']) expect(forbiddenAddress(a), a).toBe(false);
  });

  it('refuses with 400 server_not_public when any resolved address is not public, or none resolves', async () => {
    const err = await refusal(assertPublicServer('https://mastodon.example.org', resolvesTo('151.101.1.1', '10.0.0.7')));
    expect(err.code).toBe('server_not_public');
    expect(err.status).toBe(400);
    expect((await refusal(assertPublicServer('https://x.example.org', resolvesTo()))).code).toBe('server_not_public');
    expect((await refusal(assertPublicServer('https://x.example.org', () => Promise.reject(new Error('ENOTFOUND'))))).code).toBe('server_not_public');
  });

  it('accepts a host whose every address is public', async () => {
    await expect(assertPublicServer('https://mastodon.example.org', resolvesTo('151.101.1.1', '2606:4700::1111'))).resolves.toBeUndefined();
  });

  it('resolves through the system resolver by default (a name in /etc/hosts pointing at loopback is refused)', async () => {
    expect((await refusal(assertPublicServer('https://localhost'))).code).toBe('server_not_public');
  });
});
