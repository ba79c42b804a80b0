import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { facebook } from '../networks/facebook.js';
import { instagram } from '../networks/instagram.js';
import { form, startNetwork, type StartedNetwork } from '../testing/start-network.js';
import { pullMedia } from './media-pull.js';

// Networks that pull media by URL: the simulators fetch loopback URLs (the Guddu server in the
// sandbox and in tests) and record the SHA-256 of what arrived with the post in the ledger.
describe('media pulled by URL', () => {
  const picture = randomBytes(4096);
  const hash = createHash('sha256').update(picture).digest('hex');
  let files: Server;
  let origin = '';
  let fetched = 0;

  beforeAll(async () => {
    files = createServer((req, res) => {
      fetched += 1;
      if (req.url === '/picture.jpg') res.writeHead(200, { 'content-type': 'image/jpeg' }).end(picture);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(files.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => files.close(() => resolve())));

  it('hashes a loopback URL, reports a failed one, and never fetches another host', async () => {
    expect(await pullMedia(`${origin}/picture.jpg`)).toBe(hash);
    expect(await pullMedia(`${origin}/missing.jpg`)).toBeNull();
    const before = fetched;
    expect(await pullMedia('https://cdn.example/a.jpg')).toBeUndefined();
    expect(fetched).toBe(before);
  });

  describe('Facebook and Instagram record the bytes with the post', () => {
    let fb: StartedNetwork;
    let ig: StartedNetwork;
    beforeAll(async () => {
      fb = await startNetwork(facebook);
      ig = await startNetwork(instagram);
    });
    afterAll(async () => {
      await fb.close();
      await ig.close();
    });

    it('Facebook: a photo by url carries its hash; an unreachable one is refused with #324', async () => {
      const page = await fb.admin<{ pageId: string; accessToken: string }>('/accounts', { name: 'Pulls' });
      const photo = (url: string) => fetch(`${fb.base}/v24.0/${page.pageId}/photos`, { method: 'POST', headers: { authorization: `Bearer ${page.accessToken}`, ...form({ url, message: `A photo ${url}` }).headers }, body: form({ url, message: `A photo ${url}` }).body });
      const ok = (await (await photo(`${origin}/picture.jpg`)).json()) as { post_id: string };
      expect(fb.harness.ledger.list('facebook').find((p) => p.id === ok.post_id)?.media).toEqual([hash]);
      const refused = await photo(`${origin}/missing.jpg`);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: { code: number } }).error.code).toBe(324);
    });

    it('Instagram: a published container carries its hash; an unreachable picture is refused with 2207052', async () => {
      const account = await ig.admin<{ igUserId: string; accessToken: string }>('/accounts', { username: 'pulls' });
      const post = (path: string, fields: Record<string, string>) => fetch(`${ig.base}/v24.0/${account.igUserId}/${path}`, { method: 'POST', headers: { authorization: `Bearer ${account.accessToken}`, ...form(fields).headers }, body: form(fields).body });
      const created = (await (await post('media', { image_url: `${origin}/picture.jpg`, caption: 'Pulled' })).json()) as { id: string };
      const published = (await (await post('media_publish', { creation_id: created.id })).json()) as { id: string };
      expect(ig.harness.ledger.list('instagram').find((p) => p.id === published.id)?.media).toEqual([hash]);
      const refused = await post('media', { image_url: `${origin}/missing.jpg` });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: { error_subcode: number } }).error.error_subcode).toBe(2207052);
    });
  });
});
