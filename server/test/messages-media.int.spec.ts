import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, call, createChildOrg, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';
import { makeJpeg, mediaEnv, upload, waitForAsset, type TusClient } from './media-fixtures.js';

// content.media must name real, ready, unexpired assets of the message's organisation (or shared
// with it from above), and every image needs alt text in each language before submission.
type Problem = {
  code: string;
  status: number;
  errors?: { assets: { id: string; reason?: string; languages?: string[] }[]; renditions: { channel: string; id: string; rendition: string; reason: string }[] } & Record<string, unknown>;
};
type Msg = { id: string; revision: number; status: string; contentHash: string; content: { variants: Record<string, { renditions?: Record<string, string> }> } };

let t: TestApp;
let base: string;
let owner: Session;
let approver: Session;
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
  approver = (await addUser(t, ministry, 'approver')).session;
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

const createMsg = (org: string, content: Record<string, unknown>) =>
  call(t, { method: 'POST', url: '/api/v1/messages', token: owner.accessToken, org, payload: { title: 'Visit', content: { bodies: { en: 'State visit' }, ...content } } });

describe('a network variant picks a rendition of an asset', () => {
  it('lists, per network, the renditions it can take', async () => {
    const res = await call(t, { method: 'GET', url: `/api/v1/media/assets/${assets.shared}`, token: owner.accessToken, org: ministry });
    expect(res.statusCode).toBe(200);
    const a = res.json<{ renditions: { name: string }[]; networks: Record<string, string[]> }>();
    expect(a.renditions.map((r) => r.name)).toEqual(expect.arrayContaining(['portrait_4_5', 'link_1_91', 'story_9_16']));
    expect(a.networks.instagram).toEqual(expect.arrayContaining(['portrait_4_5', 'square']));
    // 9:16 is taller than Instagram's feed takes, WebP is not a format it takes; YouTube takes no images.
    expect(a.networks.instagram).not.toContain('story_9_16');
    expect(a.networks.instagram).not.toContain('console_webp');
    expect(a.networks.x).toContain('console_webp');
    expect(a.networks.youtube).toEqual([]);
  });

  it('keeps Instagram on the 4:5 portrait and X on the 1.91:1 of the same asset', async () => {
    const content = { media: [assets.mission], channels: ['instagram', 'x'], variants: { instagram: { renditions: { [assets.mission]: 'portrait_4_5' } }, x: { renditions: { [assets.mission]: 'link_1_91' } } } };
    const res = await createMsg(mission, content);
    expect(res.statusCode, res.body).toBe(201);
    const got = await call(t, { method: 'GET', url: `/api/v1/messages/${res.json<Msg>().id}`, token: owner.accessToken, org: mission });
    expect(got.json<Msg>().content.variants).toMatchObject({ instagram: { renditions: { [assets.mission]: 'portrait_4_5' } }, x: { renditions: { [assets.mission]: 'link_1_91' } } });
    // The same words and media without picks: a different version of the content, a different hash.
    const plain = await createMsg(mission, { media: [assets.mission], channels: ['instagram', 'x'] });
    expect(plain.json<Msg>().contentHash).not.toBe(res.json<Msg>().contentHash);
    // No pick is the same content as an empty pick (an empty variant was already content of its own).
    const emptyVariant = await createMsg(mission, { media: [assets.mission], channels: ['instagram', 'x'], variants: { x: {} } });
    const emptyPicks = await createMsg(mission, { media: [assets.mission], channels: ['instagram', 'x'], variants: { x: { renditions: {} } } });
    expect(emptyPicks.json<Msg>().contentHash).toBe(emptyVariant.json<Msg>().contentHash);
  });

  it('refuses a rendition the asset does not have, or one the network cannot take', async () => {
    const res = await createMsg(mission, { media: [assets.mission], channels: ['instagram', 'x'], variants: { instagram: { renditions: { [assets.mission]: 'story_9_16' } }, x: { renditions: { [assets.mission]: '1080p' } } } });
    expect(res.statusCode, res.body).toBe(400);
    const p = res.json<Problem>();
    expect(p.code).toBe('rendition_not_available');
    const refused = p.errors!.renditions;
    expect(refused.map((r) => [r.channel, r.id, r.rendition])).toEqual([
      ['x', assets.mission, '1080p'],
      ['instagram', assets.mission, 'story_9_16'],
    ]);
    expect(refused[0]!.reason).toMatch(/^no rendition "1080p" \(this asset has .*portrait_4_5/);
    expect(refused[1]!.reason).toMatch(/^instagram cannot take it: the picture is too tall/);
  });

  it('refuses a pick for an asset the post does not carry, and checks a variant’s own media', async () => {
    const notCarried = await createMsg(mission, { media: [], channels: ['x'], variants: { x: { renditions: { [assets.mission]: 'link_1_91' } } } });
    expect(notCarried.statusCode).toBe(400);
    expect(notCarried.json<Problem>().code).toBe('validation_failed');
    const foreign = await createMsg(mission, { media: [assets.mission], channels: ['x'], variants: { x: { media: [assets.foreign] } } });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json<Problem>()).toMatchObject({ code: 'media_not_attachable', errors: { assets: [{ id: assets.foreign, reason: 'no such asset' }] } });
  });

  it('checks picks again on edit', async () => {
    const m = (await createMsg(mission, { media: [assets.mission], channels: ['instagram'] })).json<Msg>();
    const edit = (renditions: Record<string, string>) =>
      call(t, { method: 'PATCH', url: `/api/v1/messages/${m.id}`, token: owner.accessToken, org: mission, headers: { 'if-match': `"${m.revision}"` }, payload: { content: { bodies: { en: 'State visit' }, media: [assets.mission], channels: ['instagram'], variants: { instagram: { renditions } } } } });
    const bad = await edit({ [assets.mission]: 'console_webp' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<Problem>().errors!.renditions[0]!.reason).toMatch(/^instagram cannot take it: WEBP is not accepted/);
    const good = await edit({ [assets.mission]: 'square' });
    expect(good.statusCode, good.body).toBe(200);
  });
});

describe('an asset used by a scheduled message', () => {
  const deleteAsset = (id: string) => call(t, { method: 'DELETE', url: `/api/v1/media/assets/${id}`, token: owner.accessToken, org: ministry });

  /** A message of the ministry carrying the content, approved and scheduled an hour ahead. */
  async function scheduled(content: Record<string, unknown>): Promise<Msg> {
    const created = await createMsg(ministry, { channels: ['x'], ...content });
    expect(created.statusCode, created.body).toBe(201);
    const m = created.json<Msg>();
    const timed = await call(t, { method: 'PUT', url: `/api/v1/messages/${m.id}/schedule`, token: owner.accessToken, org: ministry, payload: { at: new Date(Date.now() + 3_600_000).toISOString(), zone: 'UTC' }, headers: { 'if-match': `"${m.revision}"` } });
    expect(timed.statusCode, timed.body).toBe(200);
    const submitted = await call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/submit`, token: owner.accessToken, org: ministry, payload: {} });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const approved = await call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/approvals`, token: approver.accessToken, org: ministry, payload: { decision: 'approved', contentHash: m.contentHash } });
    expect(approved.json<Msg>().status, approved.body).toBe('scheduled');
    return approved.json<Msg>();
  }

  async function describedImage(): Promise<string> {
    const id = await readyImage({ base, token: owner.accessToken, org: ministry }, owner.accessToken);
    expect((await patchAsset(id, { altText: { en: 'The minister at the podium' } })).statusCode).toBe(200);
    return id;
  }

  it('cannot be deleted until the message is unscheduled', async () => {
    const id = await describedImage();
    const m = await scheduled({ media: [id] });
    const refused = await deleteAsset(id);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json<Problem>().code).toBe('asset_in_use');
    expect((await call(t, { method: 'GET', url: `/api/v1/media/assets/${id}`, token: owner.accessToken, org: ministry })).statusCode).toBe(200);

    const unscheduled = await call(t, { method: 'DELETE', url: `/api/v1/messages/${m.id}/schedule`, token: owner.accessToken, org: ministry, headers: { 'if-match': `"${m.revision}"` } });
    expect(unscheduled.statusCode, unscheduled.body).toBe(200);
    expect(unscheduled.json<Msg>().status).toBe('approved');
    expect((await deleteAsset(id)).statusCode).toBe(204);
    expect((await call(t, { method: 'GET', url: `/api/v1/media/assets/${id}`, token: owner.accessToken, org: ministry })).statusCode).toBe(404);
  });

  it('in one network’s own media cannot be deleted until the message is withdrawn', async () => {
    const main = await describedImage();
    const forX = await describedImage();
    const m = await scheduled({ media: [main], variants: { x: { media: [forX], renditions: { [forX]: 'link_1_91' } } } });
    const used = await call(t, { method: 'GET', url: `/api/v1/media/assets/${forX}`, token: owner.accessToken, org: ministry });
    expect(used.json<{ usedBy: { id: string; status: string }[] }>().usedBy).toEqual([expect.objectContaining({ id: m.id, status: 'scheduled' })]);
    const refused = await deleteAsset(forX);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json<Problem>().code).toBe('asset_in_use');

    const withdrawn = await call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/withdraw`, token: owner.accessToken, org: ministry, headers: { 'if-match': `"${m.revision}"` }, payload: {} });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json<Msg>().status).toBe('withdrawn');
    expect((await deleteAsset(forX)).statusCode).toBe(204);
    expect((await deleteAsset(main)).statusCode).toBe(204);
  });
});
