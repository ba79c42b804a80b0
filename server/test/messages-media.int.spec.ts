import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createChildOrg, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';
import { makeJpeg, mediaEnv, upload, waitForAsset, type TusClient } from './media-fixtures.js';

// content.media must name real, ready, unexpired assets of the message's organisation (or shared
// with it from above), and every image needs alt text in each language before submission.
type Problem = { code: string; status: number; errors?: { assets: { id: string; reason?: string; languages?: string[] }[] } };

let t: TestApp;
let base: string;
let owner: Session;
let ministry: string;
let mission: string;
const assets = {} as Record<'shared' | 'ministryOnly' | 'mission' | 'foreign', string>;

async function readyImage(c: TusClient, token: string): Promise<string> {
  const res = await upload(c, await makeJpeg(320, 240));
  expect(res.status).toBe(200);
  const done = await waitForAsset(t, token, res.body.asset.id, (a) => a.status !== 'processing');
  expect(done.status).toBe('ready');
  return res.body.asset.id;
}

const patchAsset = (id: string, payload: Record<string, unknown>, org = ministry) => call(t, { method: 'PATCH', url: `/api/v1/media/assets/${id}`, token: owner.accessToken, org, payload });
const createIn = (org: string, media: string[], bodies: Record<string, string> = { en: 'State visit', hi: 'राजकीय यात्रा' }) =>
  call(t, { method: 'POST', url: '/api/v1/messages', token: owner.accessToken, org, payload: { title: 'Visit', content: { bodies, media } } });

beforeAll(async () => {
  t = await startTestApp(mediaEnv(), { role: 'all' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = await t.app.getUrl();
  ({ orgId: ministry, owner } = await seedRootOrg(t));
  mission = await createChildOrg(t, owner, 'Embassy');
  const other = await seedRootOrg(t, 'Another ministry');
  assets.shared = await readyImage({ base, token: owner.accessToken, org: ministry }, owner.accessToken);
  expect((await patchAsset(assets.shared, { sharedWithSubtree: true })).statusCode).toBe(200);
  assets.ministryOnly = await readyImage({ base, token: owner.accessToken, org: ministry }, owner.accessToken);
  assets.mission = await readyImage({ base, token: owner.accessToken, org: mission }, owner.accessToken);
  assets.foreign = await readyImage({ base, token: other.owner.accessToken }, other.owner.accessToken);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('attaching media to messages', () => {
  it('refuses an unknown asset id and another tenant’s asset', async () => {
    const unknown = randomUUID();
    const res = await createIn(mission, [assets.mission, unknown]);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json<Problem>()).toMatchObject({ code: 'media_not_attachable', errors: { assets: [{ id: unknown, reason: 'no such asset' }] } });

    const foreign = await createIn(mission, [assets.foreign]);
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json<Problem>().errors!.assets.map((a) => a.id)).toEqual([assets.foreign]);
  });

  it('accepts an asset shared from above but not one the parent kept to itself', async () => {
    const shared = await createIn(mission, [assets.shared, assets.mission]);
    expect(shared.statusCode, shared.body).toBe(201);
    // The ministry's owner can see its own unshared asset, yet the embassy's message cannot carry it.
    const kept = await createIn(mission, [assets.ministryOnly]);
    expect(kept.statusCode).toBe(400);
    expect(kept.json<Problem>().code).toBe('media_not_attachable');
  });

  it('refuses an expired asset, on create and on edit', async () => {
    const m = await createIn(mission, []);
    expect(m.statusCode).toBe(201);
    const id = await readyImage({ base, token: owner.accessToken, org: mission }, owner.accessToken);
    expect((await patchAsset(id, { expiresAt: new Date(Date.now() - 60_000).toISOString() }, mission)).statusCode).toBe(200);
    const created = await createIn(mission, [id]);
    expect(created.statusCode).toBe(400);
    expect(created.json<Problem>().errors!.assets[0]!.reason).toMatch(/^expired on /);
    const { id: msgId, revision } = m.json<{ id: string; revision: number }>();
    const edited = await call(t, { method: 'PATCH', url: `/api/v1/messages/${msgId}`, token: owner.accessToken, org: mission, headers: { 'if-match': `"${revision}"` }, payload: { content: { bodies: { en: 'State visit' }, media: [id] } } });
    expect(edited.statusCode).toBe(400);
    expect(edited.json<Problem>().code).toBe('media_not_attachable');
  });

  it('refuses submission until every image has alt text in each of the message’s languages', async () => {
    const m = (await createIn(mission, [assets.mission])).json<{ id: string; revision: number }>();
    const submit = () => call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/submit`, token: owner.accessToken, org: mission, payload: {} });

    const none = await submit();
    expect(none.statusCode, none.body).toBe(409);
    expect(none.json<Problem>()).toMatchObject({ code: 'alt_text_missing', errors: { assets: [{ id: assets.mission, languages: ['en', 'hi'] }] } });

    expect((await patchAsset(assets.mission, { altText: { en: 'The minister greets the delegation' } }, mission)).statusCode).toBe(200);
    const english = await submit();
    expect(english.statusCode).toBe(409);
    expect(english.json<Problem>().errors!.assets[0]!.languages).toEqual(['hi']);

    expect((await patchAsset(assets.mission, { altText: { en: 'The minister greets the delegation', hi: 'मंत्री प्रतिनिधिमंडल का स्वागत करते हैं' } }, mission)).statusCode).toBe(200);
    const both = await submit();
    expect(both.statusCode, both.body).toBe(200);
    expect(both.json<{ status: string }>().status).not.toBe('draft');
  });
});
