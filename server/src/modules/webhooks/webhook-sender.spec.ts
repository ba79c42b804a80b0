import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lookup } from '../../platform/net/public-address.js';
import { send, urlRefusal } from './webhook-sender.js';

const resolvesTo = (...addresses: string[]): Lookup => () => Promise.resolve(addresses.map((address) => ({ address })));

let server: Server;
let port = 0;
let hits = 0;
beforeAll(async () => {
  server = createServer((_req, res) => {
    hits += 1;
    res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('where a webhook may be sent', () => {
  it('refuses plain http, credentials, and hosts resolving to loopback, private, link-local, CGNAT or metadata addresses', async () => {
    const pub = resolvesTo('93.184.216.34');
    expect(await urlRefusal('https://hooks.example.org/in', false, pub)).toBeNull();
    expect(await urlRefusal('http://hooks.example.org/in', false, pub)).toMatch(/https/);
    expect(await urlRefusal('https://u:p@hooks.example.org/in', false, pub)).toMatch(/credentials/);
    for (const url of ['https://127.0.0.1/x', 'https://10.1.2.3/x', 'https://192.168.0.5/x', 'https://172.20.0.1/x', 'https://169.254.169.254/latest', 'https://100.64.0.9/x', 'https://[::1]/x', 'https://[fd00::1]/x', 'https://[::ffff:127.0.0.1]/x']) {
      expect(await urlRefusal(url, false, pub), url).toMatch(/private or reserved/);
    }
    // A name is as good as what it resolves to: localhost, or a public name pointing inside.
    expect(await urlRefusal('https://localhost/x', false, resolvesTo('127.0.0.1'))).toMatch(/private or reserved/);
    expect(await urlRefusal('https://hooks.example.org/x', false, resolvesTo('93.184.216.34', '10.0.0.1'))).toMatch(/private or reserved/);
    expect(await urlRefusal('https://nowhere.example.org/x', false, () => Promise.reject(new Error('ENOTFOUND')))).toMatch(/does not resolve/);
    // The operator's allowance opens loopback and plain http.
    expect(await urlRefusal('http://127.0.0.1:9/x', true, pub)).toBeNull();
  });

  it('checks again at send time, so a name rebound to loopback after registration gets no call', async () => {
    let answers = ['93.184.216.34'];
    const rebinding: Lookup = () => Promise.resolve(answers.map((address) => ({ address })));
    expect(await urlRefusal('https://rebind.example.org/x', false, rebinding)).toBeNull();
    answers = ['127.0.0.1'];
    const before = hits;
    const o = await send({ url: `https://rebind.example.org:${port}/x`, headers: {}, body: '{}', timeoutMs: 1000, allowPrivate: false, lookup: rebinding });
    expect(o).toMatchObject({ succeeded: false, statusCode: null });
    expect(o.error).toMatch(/^refused: .*private or reserved/);
    expect(hits).toBe(before);
  });

  it('does not follow a redirect (it would carry the signed body to an unchecked host)', async () => {
    const o = await send({ url: `http://127.0.0.1:${port}/x`, headers: {}, body: '{}', timeoutMs: 2000, allowPrivate: true, lookup: resolvesTo() });
    expect(o).toMatchObject({ succeeded: false, statusCode: 302 });
    expect(o.error).toMatch(/redirects are not followed/);
    expect(hits).toBe(1);
  });
});
