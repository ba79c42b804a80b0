import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';
import { makeJpeg, mediaEnv, upload, waitForAsset } from './media-fixtures.js';

// Each targeted network's own checks (publishing's providers) run on what a delivery would send:
// shown with the content on every save, and a submit is refused while any network would refuse.
type Problem = { channel: string; language: string; field: string; code: string; message: string };
type Detail = { id: string; revision: number; status: string; publishing: Problem[] };

let t: TestApp;
let owner: Session;
let image: string;

const create = (content: Record<string, unknown>) => call(t, { method: 'POST', url: '/api/v1/messages', token: owner.accessToken, payload: { title: 'Checks', content } });
const edit = (m: Detail, content: Record<string, unknown>) => call(t, { method: 'PATCH', url: `/api/v1/messages/${m.id}`, token: owner.accessToken, payload: { content }, headers: { 'if-match': `"${m.revision}"` } });
const submit = (m: Detail) => call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/submit`, token: owner.accessToken, payload: {}, headers: { 'if-match': `"${m.revision}"` } });

beforeAll(async () => {
  t = await startTestApp(mediaEnv(), { role: 'all' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const base = await t.app.getUrl();
  ({ owner } = await seedRootOrg(t));
  const res = await upload({ base, token: owner.accessToken }, await makeJpeg(320, 240));
  expect(res.status).toBe(200);
  image = res.body.asset.id;
  expect((await waitForAsset(t, owner.accessToken, image, (a) => a.status !== 'processing')).status).toBe('ready');
  expect((await call(t, { method: 'PATCH', url: `/api/v1/media/assets/${image}`, token: owner.accessToken, payload: { altText: { en: 'The embassy at dusk' } } })).statusCode).toBe(200);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('network checks on message content', () => {
  it('shows what Instagram would refuse when content is saved, and refuses the submit with each reason', async () => {
    const res = await create({ bodies: { en: 'Consular camp on Saturday' }, link: 'https://mea.gov.in/camp', channels: ['instagram', 'x'] });
    expect(res.statusCode, res.body).toBe(201);
    const m = res.json<Detail>();
    expect(m.publishing.map((p) => [p.channel, p.code])).toEqual([
      ['instagram', 'media_required'],
      ['instagram', 'link_unsupported'],
    ]);
    const refused = await submit(m);
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ code: string; errors: { problems: Problem[] } }>()).toMatchObject({ code: 'content_not_publishable', errors: { problems: m.publishing } });
    expect((await call(t, { method: 'GET', url: `/api/v1/messages/${m.id}`, token: owner.accessToken })).json<Detail>().status).toBe('draft');
  });

  it('judges media by the rendition made for the network, and lets a fixed message through', async () => {
    const m = (await create({ bodies: { en: 'Photos from the camp' }, link: 'https://mea.gov.in/camp', media: [image], channels: ['bluesky', 'instagram'], variants: { instagram: { link: null } } })).json<Detail>();
    expect(m.publishing.map((p) => [p.channel, p.code])).toEqual([['bluesky', 'link_with_media']]);
    const fixed = await edit(m, { bodies: { en: 'Photos from the camp' }, link: null, media: [image], channels: ['bluesky', 'instagram'] });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json<Detail>().publishing).toEqual([]);
    const submitted = await submit(fixed.json<Detail>());
    expect(submitted.statusCode, submitted.body).toBe(200);
  });

  it('checks each language of a variant: a Hindi body too long for X is named with its language', async () => {
    const m = (await create({ bodies: { en: 'Short', hi: 'नमस्ते '.repeat(60) }, channels: ['x'] })).json<Detail>();
    expect(m.publishing).toEqual([expect.objectContaining({ channel: 'x', language: 'hi', code: 'text_too_long' })]);
  });
});
