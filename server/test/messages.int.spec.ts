import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { ApprovalsView, CommentList, DiffView, MessageDetail, MessageList, PolicyView, VersionList } from '../src/modules/messages/messages.dto.js';
import type { Problem } from '../src/platform/errors/problem.js';
import { addUser, call, createChildOrg, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';

type Msg = z.infer<typeof MessageDetail>;
type Approvals = z.infer<typeof ApprovalsView>;
type Policy = z.infer<typeof PolicyView> & { policy: { stages: unknown[] } };
type Diff = z.infer<typeof DiffView>;
type Versions = z.infer<typeof VersionList>;
type Comments = z.infer<typeof CommentList>;

let t: TestApp;
let orgId: string;
let owner: Session;
let editor: Session;
let approver: Session;
let approver2: Session;
let viewer: Session;

const content = (en: string, hi = 'भारत और फ़्रांस के बीच सहयोग') => ({ bodies: { en, hi }, channels: ['x', 'facebook'] });

async function create(as: Session, body: Record<string, unknown> = {}) {
  const res = await call(t, { method: 'POST', url: '/api/v1/messages', token: as.accessToken, payload: { title: 'Statement', content: content('India and France deepen cooperation'), ...body } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; revision: number; version: number; status: string; contentHash: string }>();
}

async function edit(as: Session, id: string, revision: number | string | undefined, payload: Record<string, unknown>) {
  return call(t, { method: 'PATCH', url: `/api/v1/messages/${id}`, token: as.accessToken, payload, headers: revision === undefined ? {} : { 'if-match': `"${revision}"` } });
}

async function post(as: Session, url: string, payload: Record<string, unknown> = {}) {
  // A decision names the content it was made on: the message's current hash, as the approver read it.
  if (url.endsWith('/approvals') && !('contentHash' in payload)) {
    const current = await call(t, { method: 'GET', url: url.replace(/\/approvals$/, ''), token: owner.accessToken });
    payload = { ...payload, contentHash: current.json<Msg>().contentHash };
  }
  return call(t, { method: 'POST', url, token: as.accessToken, payload });
}

beforeAll(async () => {
  t = await startTestApp();
  ({ orgId, owner } = await seedRootOrg(t));
  editor = (await addUser(t, orgId, 'editor')).session;
  approver = (await addUser(t, orgId, 'approver')).session;
  approver2 = (await addUser(t, orgId, 'approver')).session;
  viewer = (await addUser(t, orgId, 'viewer')).session;
});
afterAll(async () => t?.close());

describe('messages: content and versions', () => {
  it('creates version 1 with an ETag, canonical language tags and per-channel checks', async () => {
    const res = await call(t, { method: 'POST', url: '/api/v1/messages', token: editor.accessToken, payload: { title: 'Visit', content: { bodies: { 'EN-gb': 'Hello', hi: 'नमस्ते' }, channels: ['x'] }, tags: ['visit'] } });
    expect(res.statusCode, res.body).toBe(201);
    const m = res.json<Msg>();
    expect(res.headers.etag).toBe(`"${m.revision}"`);
    expect(m).toMatchObject({ status: 'draft', version: 1, languages: ['en-GB', 'hi'], channels: ['x'], tags: ['visit'] });
    expect(m.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(m.checks).toEqual(expect.arrayContaining([expect.objectContaining({ channel: 'x', language: 'hi', ok: true })]));
  });

  it('refuses bad input with problem+json and writes nothing', async () => {
    const bad = [
      { title: 'x', content: { bodies: { 'not a tag!': 'hi' } } },
      { title: 'x', content: { bodies: {} } },
      { title: 'x', content: { bodies: { en: 'a'.repeat(70_001) } } },
      { title: 'x', content: { bodies: { en: 'a' }, channels: ['myspace'] } },
      { title: '', content: { bodies: { en: 'a' } } },
    ];
    for (const payload of bad) {
      const res = await call(t, { method: 'POST', url: '/api/v1/messages', token: editor.accessToken, payload });
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('edits need If-Match: missing is 428, stale is 412, current appends a version', async () => {
    const m = await create(editor);
    expect((await edit(editor, m.id, undefined, { title: 'New' })).statusCode).toBe(428);
    const ok = await edit(editor, m.id, m.revision, { content: content('India and France deepen their cooperation') });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<Msg>()).toMatchObject({ version: 2, revision: m.revision + 1 });
    const stale = await edit(editor, m.id, m.revision, { title: 'Lost update' });
    expect(stale.statusCode).toBe(412);
    expect(stale.json<Problem>().code).toBe('stale_revision');
    // A title change is not a new version.
    const titled = await edit(editor, m.id, m.revision + 1, { title: 'Renamed' });
    expect(titled.json<Msg>()).toMatchObject({ version: 2, title: 'Renamed' });
  });

  it('diffs versions word by word (Devanagari intact) and restores as a new version', async () => {
    const m = await create(editor);
    const v2 = await edit(editor, m.id, m.revision, { content: content('India and France deepen cooperation today', 'भारत और जर्मनी के बीच सहयोग') });
    const diff = await call(t, { method: 'GET', url: `/api/v1/messages/${m.id}/diff?from=1&to=2`, token: viewer.accessToken });
    expect(diff.statusCode, diff.body).toBe(200);
    const hi = diff.json<Diff>().bodies.find((b) => b.language === 'hi')!;
    expect(hi.status).toBe('changed');
    expect(hi.parts).toEqual(expect.arrayContaining([{ op: 'delete', text: 'फ़्रांस' }, { op: 'insert', text: 'जर्मनी' }]));
    const restored = await call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/restore`, token: editor.accessToken, payload: { version: 1 }, headers: { 'if-match': `"${v2.json<Msg>().revision}"` } });
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json<Msg>()).toMatchObject({ version: 3, contentHash: m.contentHash });
    const versions = await call(t, { method: 'GET', url: `/api/v1/messages/${m.id}/versions`, token: viewer.accessToken });
    expect(versions.json<Versions>().items.map((v) => [v.number, v.restoredFrom])).toEqual([[3, 1], [2, null], [1, null]]);
  });

  it('viewers read but cannot write; comments are kept against the version', async () => {
    const m = await create(editor);
    expect((await call(t, { method: 'POST', url: '/api/v1/messages', token: viewer.accessToken, payload: { title: 'x', content: content('x') } })).statusCode).toBe(403);
    expect((await edit(viewer, m.id, m.revision, { title: 'x' })).statusCode).toBe(403);
    const c = await post(viewer, `/api/v1/messages/${m.id}/comments`, { body: 'Please check the Hindi' });
    expect(c.statusCode, c.body).toBe(201);
    const list = await call(t, { method: 'GET', url: `/api/v1/messages/${m.id}/comments`, token: editor.accessToken });
    expect(list.json<Comments>().items).toEqual([expect.objectContaining({ body: 'Please check the Hindi', version: 1, authorId: viewer.userId })]);
  });
});

describe('messages: review and approval', () => {
  it('default policy: one approver, not the author; approval is bound to the content hash', async () => {
    const m = await create(approver);
    const sub = await post(approver, `/api/v1/messages/${m.id}/submit`);
    expect(sub.statusCode, sub.body).toBe(200);
    expect(sub.json<Msg>().status).toBe('in_review');
    const self = await post(approver, `/api/v1/messages/${m.id}/approvals`, { decision: 'approved' });
    expect(self.statusCode).toBe(403);
    expect(self.json<Problem>().code).toBe('self_approval_not_allowed');
    expect((await post(editor, `/api/v1/messages/${m.id}/approvals`, { decision: 'approved' })).statusCode).toBe(403);
    const ok = await post(approver2, `/api/v1/messages/${m.id}/approvals`, { decision: 'approved', comment: 'Cleared' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<Msg>().status).toBe('approved');

    // Editing approved content invalidates the approval and reopens review.
    const edited = await edit(editor, m.id, ok.json<Msg>().revision, { content: content('Changed after approval') });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json<Msg>().status).toBe('in_review');
    const progress = await call(t, { method: 'GET', url: `/api/v1/messages/${m.id}/approvals`, token: viewer.accessToken });
    expect(progress.json<Approvals>()).toMatchObject({ complete: false, currentStage: 0 });
    expect(progress.json<Approvals>().decisions).toEqual([expect.objectContaining({ approverId: approver2.userId, counts: false, invalidatedAt: expect.any(String) as string })]);
  });

  it('a refused transition is a 409 naming it', async () => {
    const m = await create(editor);
    const res = await post(owner, `/api/v1/messages/${m.id}/approvals`, { decision: 'approved' });
    expect(res.statusCode).toBe(409);
    expect(res.json<Msg>()).toMatchObject({ code: 'cannot_approve' });
    const archive = await post(editor, `/api/v1/messages/${m.id}/archive`);
    expect(archive.json<Msg>().status).toBe('archived');
    const again = await post(editor, `/api/v1/messages/${m.id}/submit`);
    expect(again.statusCode).toBe(409);
    expect(again.json<Problem>().code).toBe('cannot_submit');
  });

  it('two stages, N of M then a per-language translation stage', async () => {
    const div = await createChildOrg(t, owner, 'Europe West division', 'division');
    const put = await call(t, {
      method: 'PUT',
      url: '/api/v1/approval-policy',
      token: owner.accessToken,
      org: div,
      payload: {
        stages: [
          { name: 'Desk', approvers: { roles: ['approver'], users: [] }, rule: 'n_of_m', n: 2 },
          { name: 'Translation', approvers: { roles: ['owner'], users: [] }, rule: 'any', perLanguage: 'each' },
        ],
        allowSelfApproval: false,
        lateApproval: { mode: 'hold' },
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    const m = await call(t, { method: 'POST', url: '/api/v1/messages', token: editor.accessToken, payload: { orgId: div, title: 'x', content: content('Two stages') } }).then((r) => r.json<Msg>());
    await post(editor, `/api/v1/messages/${m.id}/submit`);
    const one = await post(approver, `/api/v1/messages/${m.id}/approvals`, { decision: 'approved' });
    expect(one.json<Msg>().status).toBe('in_review');
    expect((await post(approver, `/api/v1/messages/${m.id}/approvals`, { decision: 'approved' })).json<Problem>().code).toBe('already_decided');
    await post(approver2, `/api/v1/messages/${m.id}/approvals`, { decision: 'approved' });
    const noLang = await post(owner, `/api/v1/messages/${m.id}/approvals`, { decision: 'approved' });
    expect(noLang.json<Problem>().code).toBe('language_not_in_stage');
    const en = await post(owner, `/api/v1/messages/${m.id}/approvals`, { decision: 'approved', language: 'en' });
    expect(en.json<Msg>().status).toBe('in_review');
    const hi = await post(owner, `/api/v1/messages/${m.id}/approvals`, { decision: 'approved', language: 'hi' });
    expect(hi.statusCode, hi.body).toBe(200);
    expect(hi.json<Msg>().status).toBe('approved');
    // The division's children inherit its policy; the root still has the default.
    const mission = await createChildOrg(t, owner, 'Embassy Paris', 'mission', div);
    const inherited = await call(t, { method: 'GET', url: '/api/v1/approval-policy', token: owner.accessToken, org: mission });
    expect(inherited.json<Policy>()).toMatchObject({ inheritedFrom: div, own: false });
    expect(inherited.json<Policy>().policy.stages).toHaveLength(2);
    const root = await call(t, { method: 'GET', url: '/api/v1/approval-policy', token: owner.accessToken });
    expect(root.json<Policy>()).toMatchObject({ inheritedFrom: null, own: false });
  });

  it('a decision on content that changed since it was read is refused (412)', async () => {
    const m = await create(editor);
    await post(editor, `/api/v1/messages/${m.id}/submit`);
    const current = (await call(t, { method: 'GET', url: `/api/v1/messages/${m.id}`, token: approver.accessToken })).json<Msg>();
    const edited = await edit(editor, m.id, current.revision, { content: content('Edited while the approver was reading') });
    expect(edited.statusCode, edited.body).toBe(200);
    const late = await post(approver, `/api/v1/messages/${m.id}/approvals`, { decision: 'approved', contentHash: current.contentHash });
    expect(late.statusCode).toBe(412);
    expect(late.json<Problem>().code).toBe('content_changed');
    expect((await post(approver, `/api/v1/messages/${m.id}/approvals`, { decision: 'approved', contentHash: edited.json<Msg>().contentHash })).json<Msg>().status).toBe('approved');
  });

  it('requesting changes sends it back to the author', async () => {
    const m = await create(editor);
    await post(editor, `/api/v1/messages/${m.id}/submit`);
    const res = await post(approver, `/api/v1/messages/${m.id}/approvals`, { decision: 'changes_requested', comment: 'Tone it down' });
    expect(res.json<Msg>()).toMatchObject({ status: 'changes_requested', statusReason: 'Tone it down' });
    expect((await post(editor, `/api/v1/messages/${m.id}/submit`)).json<Msg>().status).toBe('in_review');
  });
});

describe('messages: schedule, blackout, embargo', () => {
  it('schedules as a wall-clock time in a zone; refuses bad zones, the past and blackout days', async () => {
    const m = await create(editor);
    const at = (body: Record<string, unknown>, rev: number) =>
      call(t, { method: 'PUT', url: `/api/v1/messages/${m.id}/schedule`, token: editor.accessToken, payload: body, headers: { 'if-match': `"${rev}"` } });
    expect((await at({ local: '2030-03-31T09:00', zone: 'Mars/Olympus' }, m.revision)).json<Problem>().code).toBe('invalid_zone');
    expect((await at({ local: '2020-03-31T09:00', zone: 'Europe/Paris' }, m.revision)).json<Problem>().code).toBe('schedule_in_past');
    const ok = await at({ local: '2030-03-31T09:00', zone: 'Europe/Paris' }, m.revision);
    expect(ok.statusCode, ok.body).toBe(200);
    // Paris is on summer time (UTC+2) by 31 March 2030.
    expect(ok.json<Msg>().schedule).toEqual({ at: '2030-03-31T07:00:00.000Z', local: '2030-03-31T09:00:00', zone: 'Europe/Paris' });

    const blackout = await call(t, { method: 'POST', url: '/api/v1/blackouts', token: owner.accessToken, payload: { startsOn: '2030-04-02', endsOn: '2030-04-03', zone: 'Asia/Kolkata', reason: 'State mourning' } });
    expect(blackout.statusCode, blackout.body).toBe(201);
    const blocked = await at({ local: '2030-04-03T23:00', zone: 'Asia/Kolkata' }, ok.json<Msg>().revision);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json<Problem>().code).toBe('schedule_in_blackout');
    // 23:00 in Paris on 3 April is 02:30 on the 4th in Delhi: outside the blackout.
    expect((await at({ local: '2030-04-03T23:00', zone: 'Europe/Paris' }, ok.json<Msg>().revision)).statusCode).toBe(200);
  });

  it('refuses times that do not exist, and blackouts beyond any calendar', async () => {
    const m = await create(editor);
    for (const local of ['2030-02-30T09:00', '2030-03-01T24:00', '2030-03-01T23:60']) {
      const res = await call(t, { method: 'PUT', url: `/api/v1/messages/${m.id}/schedule`, token: editor.accessToken, payload: { local, zone: 'Asia/Kolkata' }, headers: { 'if-match': `"${m.revision}"` } });
      expect(res.statusCode, local).toBe(400);
    }
    const far = await call(t, { method: 'POST', url: '/api/v1/blackouts', token: owner.accessToken, payload: { startsOn: '9999-12-30', endsOn: '9999-12-31', zone: 'UTC', reason: 'x' } });
    expect(far.statusCode).toBe(400);
  });

  it('only a publisher may move a message that is already scheduled', async () => {
    const m = await create(editor);
    const timed = await call(t, { method: 'PUT', url: `/api/v1/messages/${m.id}/schedule`, token: editor.accessToken, payload: { local: '2030-07-01T10:00', zone: 'UTC' }, headers: { 'if-match': `"${m.revision}"` } });
    await post(editor, `/api/v1/messages/${m.id}/submit`);
    const approved = await post(approver, `/api/v1/messages/${m.id}/approvals`, { decision: 'approved' });
    expect(approved.json<Msg>().status, timed.body).toBe('scheduled');
    const move = (who: Session) => call(t, { method: 'PUT', url: `/api/v1/messages/${m.id}/schedule`, token: who.accessToken, payload: { local: '2030-07-02T10:00', zone: 'UTC' }, headers: { 'if-match': `"${approved.json<Msg>().revision}"` } });
    expect((await move(editor)).statusCode).toBe(403);
    expect((await move(owner)).json<Msg>()).toMatchObject({ status: 'scheduled', schedule: { local: '2030-07-02T10:00:00' } });
  });

  it('cannot be scheduled before its embargo', async () => {
    const m = await create(editor, { embargoUntil: '2031-01-01T00:00:00Z' });
    const res = await call(t, { method: 'PUT', url: `/api/v1/messages/${m.id}/schedule`, token: editor.accessToken, payload: { local: '2030-12-31T09:00', zone: 'UTC' }, headers: { 'if-match': `"${m.revision}"` } });
    expect(res.statusCode).toBe(409);
    expect(res.json<Problem>().code).toBe('embargoed');
  });

  it('an approved message with a time becomes scheduled; an edit unschedules and reopens review', async () => {
    const m = await create(editor);
    const timed = await call(t, { method: 'PUT', url: `/api/v1/messages/${m.id}/schedule`, token: editor.accessToken, payload: { local: '2030-06-01T10:00', zone: 'Asia/Kolkata' }, headers: { 'if-match': `"${m.revision}"` } });
    expect(timed.json<Msg>().status).toBe('draft');
    await post(editor, `/api/v1/messages/${m.id}/submit`);
    const approved = await post(approver, `/api/v1/messages/${m.id}/approvals`, { decision: 'approved' });
    expect(approved.json<Msg>().status).toBe('scheduled');
    const edited = await edit(editor, m.id, approved.json<Msg>().revision, { content: content('Last-minute change') });
    expect(edited.json<Msg>()).toMatchObject({ status: 'in_review', schedule: { local: '2030-06-01T10:00:00', zone: 'Asia/Kolkata' } });
  });
});

describe('messages: tenancy', () => {
  it('another tenant sees none of it and cannot act on it (404)', async () => {
    const m = await create(editor);
    const other = await seedRootOrg(t, 'Another ministry');
    for (const req of [
      { method: 'GET' as const, url: `/api/v1/messages/${m.id}` },
      { method: 'GET' as const, url: `/api/v1/messages/${m.id}/versions` },
      { method: 'POST' as const, url: `/api/v1/messages/${m.id}/submit`, payload: {} },
      { method: 'POST' as const, url: `/api/v1/messages/${m.id}/approvals`, payload: { decision: 'approved', contentHash: m.contentHash } },
    ]) {
      const res = await call(t, { ...req, token: other.owner.accessToken });
      expect(res.statusCode, req.url).toBe(404);
    }
    const list = await call(t, { method: 'GET', url: '/api/v1/messages', token: other.owner.accessToken });
    expect(list.json<z.infer<typeof MessageList>>().items).toEqual([]);
  });
});
