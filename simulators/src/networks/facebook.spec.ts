import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeRedirect, form, jsonBody, startNetwork, type StartedNetwork } from '../testing/start-network.js';
import { facebook } from './facebook.js';

interface GraphError {
  error: { code: number; error_subcode?: number; type: string; fbtrace_id: string; message: string };
}

describe('Facebook Pages simulator', () => {
  let net: StartedNetwork;
  let page: { pageId: string; accessToken: string; userAccessToken: string };
  const graph = (path: string, init: RequestInit & { token?: string } = {}) =>
    fetch(`${net.base}/v24.0${path}`, { ...init, headers: { authorization: `Bearer ${init.token ?? page.accessToken}`, ...(init.headers as Record<string, string>) } });
  const feed = (fields: Record<string, string>, token?: string) => graph(`/${page.pageId}/feed`, { method: 'POST', token, ...form(fields) });

  beforeAll(async () => {
    net = await startNetwork(facebook);
    page = await net.admin('/accounts', { name: 'Ministry of Examples' });
  });
  afterAll(() => net.close());

  it('exchanges a code for a short token, then a long-lived one, whose Page tokens never expire', async () => {
    const back = await authorizeRedirect(`${net.base}/v24.0/dialog/oauth?client_id=sandbox-client&redirect_uri=${encodeURIComponent('https://guddu.test/cb')}&state=abc&scope=pages_manage_posts,pages_show_list&response_type=code`);
    expect(back.searchParams.get('state')).toBe('abc');
    const short = (await (await fetch(`${net.base}/v24.0/oauth/access_token?client_id=sandbox-client&client_secret=sandbox-secret&redirect_uri=${encodeURIComponent('https://guddu.test/cb')}&code=${back.searchParams.get('code') ?? ''}`)).json()) as { access_token: string; expires_in: number };
    expect(short.expires_in).toBeLessThanOrEqual(7200);
    const long = (await (await fetch(`${net.base}/v24.0/oauth/access_token?grant_type=fb_exchange_token&client_id=sandbox-client&client_secret=sandbox-secret&fb_exchange_token=${short.access_token}`)).json()) as { access_token: string; expires_in: number };
    expect(long.expires_in).toBe(5183944);
    const accounts = (await (await graph('/me/accounts', { token: long.access_token })).json()) as { data: { id: string; access_token: string; tasks: string[] }[] };
    expect(accounts.data[0]?.tasks).toContain('CREATE_CONTENT');
    const debug = (await (await graph(`/debug_token?input_token=${accounts.data[0]?.access_token ?? ''}&access_token=sandbox-client|sandbox-secret`)).json()) as { data: { type: string; expires_at: number; is_valid: boolean } };
    expect(debug.data).toMatchObject({ type: 'PAGE', expires_at: 0, is_valid: true });
    await net.admin('/clock', { advanceMs: 61 * 86_400_000 });
    expect((await graph('/me', { token: long.access_token })).status).toBe(400);
    expect((await graph('/me', { token: accounts.data[0]?.access_token })).status).toBe(200);
  });

  it('publishes to the feed with a {page}_{post} id and usage headers, and answers 506 for a repeat', async () => {
    const created = await feed({ message: 'Road closure on NH-48 tonight', link: 'https://morth.example.gov.in/notice' });
    expect(created.status).toBe(200);
    const { id } = (await created.json()) as { id: string };
    expect(id).toMatch(new RegExp(`^${page.pageId}_\\d+$`));
    const buc = JSON.parse(created.headers.get('x-business-use-case-usage') ?? '{}') as Record<string, { type: string; call_count: number }[]>;
    expect(buc[page.pageId]?.[0]?.type).toBe('pages');
    expect(JSON.parse(created.headers.get('x-app-usage') ?? '{}')).toHaveProperty('call_count');
    const repeat = await feed({ message: 'Road closure on NH-48 tonight' });
    expect(((await repeat.json()) as GraphError).error).toMatchObject({ code: 506, type: 'OAuthException' });
    const listed = (await (await graph(`/${page.pageId}/published_posts?fields=message,created_time`)).json()) as { data: { id: string; created_time: string }[] };
    expect(listed.data[0]?.id).toBe(id);
    expect(listed.data[0]?.created_time).toMatch(/\+0000$/);
  });

  it('validates scheduling between 10 minutes and 30 days, and lists scheduled posts', async () => {
    const now = net.harness.clock.nowSeconds();
    const tooSoon = await feed({ message: 'soon', published: 'false', scheduled_publish_time: String(now + 60) });
    expect(((await tooSoon.json()) as GraphError).error.code).toBe(100);
    expect((await feed({ message: 'later', published: 'false', scheduled_publish_time: String(now + 3600) })).status).toBe(200);
    const scheduled = (await (await graph(`/${page.pageId}/scheduled_posts`)).json()) as { data: { message: string; is_published: boolean }[] };
    expect(scheduled.data.map((p) => p.message)).toContain('later');
  });

  it('posts several unpublished photos as one multi-photo post', async () => {
    const ids: string[] = [];
    for (const n of [1, 2]) {
      const body = new FormData();
      body.set('published', 'false');
      body.set('source', new Blob([randomBytes(256)], { type: 'image/jpeg' }), `p${n}.jpg`);
      ids.push(((await (await graph(`/${page.pageId}/photos`, { method: 'POST', body })).json()) as { id: string }).id);
    }
    const post = await graph(`/${page.pageId}/feed`, { method: 'POST', ...jsonBody({ message: 'Two photos', attached_media: ids.map((media_fbid) => ({ media_fbid })) }) });
    expect(post.status).toBe(200);
    const single = (await (await graph(`/${page.pageId}/photos`, { method: 'POST', ...form({ url: 'https://cdn.example/x.jpg', caption: 'One photo' }) })).json()) as { id: string; post_id: string };
    expect(single.post_id).toMatch(new RegExp(`^${page.pageId}_`));
  });

  it('uploads video in chunks with offsets and reports processing status', async () => {
    const start = (await (await graph(`/${page.pageId}/videos`, { method: 'POST', ...form({ upload_phase: 'start', file_size: '1500' }) })).json()) as { video_id: string; upload_session_id: string; start_offset: string };
    expect(start.start_offset).toBe('0');
    const body = new FormData();
    body.set('upload_phase', 'transfer');
    body.set('upload_session_id', start.upload_session_id);
    body.set('start_offset', '0');
    body.set('video_file_chunk', new Blob([randomBytes(1500)]), 'chunk');
    const transfer = (await (await graph(`/${page.pageId}/videos`, { method: 'POST', body })).json()) as { start_offset: string; end_offset: string };
    expect(transfer).toEqual({ start_offset: '1500', end_offset: '1500' });
    const finish = await graph(`/${page.pageId}/videos`, { method: 'POST', ...form({ upload_phase: 'finish', upload_session_id: start.upload_session_id, description: 'Briefing video' }) });
    expect(await finish.json()).toEqual({ success: true });
    const states: string[] = [];
    for (let i = 0; i < 3; i += 1) states.push(((await (await graph(`/${start.video_id}?fields=status`)).json()) as { status: { video_status: string } }).status.video_status);
    expect(states).toEqual(['processing', 'ready', 'ready']);
  });

  it('publishes a Reel through start, rupload and finish', async () => {
    const start = (await (await graph(`/${page.pageId}/video_reels`, { method: 'POST', ...form({ upload_phase: 'start' }) })).json()) as { video_id: string; upload_url: string };
    const upload = await fetch(start.upload_url, { method: 'POST', headers: { authorization: `OAuth ${page.accessToken}`, offset: '0', file_size: '2048' }, body: randomBytes(2048) });
    expect(await upload.json()).toEqual({ success: true });
    const finish = await graph(`/${page.pageId}/video_reels`, { method: 'POST', ...form({ upload_phase: 'finish', video_id: start.video_id, video_state: 'PUBLISHED', description: 'A reel' }) });
    expect(await finish.json()).toEqual({ success: true });
  });

  it('answers token problems with code 190 and the right subcodes', async () => {
    const invalid = await feed({ message: 'x' }, 'garbage');
    const body = (await invalid.json()) as GraphError;
    expect(body.error.code).toBe(190);
    expect(body.error.fbtrace_id).toBeTruthy();
    expect(invalid.headers.get('www-authenticate')).toContain('invalid_token');
    const other = await net.admin<{ accessToken: string; userAccessToken: string }>('/accounts', { name: 'Other Page' });
    await net.admin('/tokens/revoke', { token: other.accessToken });
    const revoked = (await (await graph('/me', { token: other.accessToken })).json()) as GraphError;
    expect(revoked.error).toMatchObject({ code: 190, error_subcode: 460 });
    const userToken = await feed({ message: 'as a user' }, other.userAccessToken);
    expect(((await userToken.json()) as GraphError).error.code).toBe(200);
  });

  it('grows comments and insights with the clock; deprecated metrics are code 100', async () => {
    const { id } = (await (await feed({ message: 'Comment on me' })).json()) as { id: string };
    await net.admin('/clock', { advanceMs: 45 * 60_000 });
    const comments = (await (await graph(`/${id}/comments?summary=true&filter=stream`)).json()) as { data: { id: string; message: string }[]; summary: { total_count: number } };
    expect(comments.summary.total_count).toBe(4);
    expect(comments.data[0]?.id).toBeTruthy();
    const insights = (await (await graph(`/${id}/insights?metric=post_total_media_view_unique`)).json()) as { data: { values: { value: number }[] }[] };
    expect(insights.data[0]?.values[0]?.value).toBeGreaterThan(0);
    const deprecated = (await (await graph(`/${id}/insights?metric=post_impressions`)).json()) as GraphError;
    expect(deprecated.error.code).toBe(100);
    const fields = (await (await graph(`/${id}?fields=shares,reactions.summary(total_count),comments.summary(total_count)`)).json()) as { comments: { summary: { total_count: number } } };
    expect(fields.comments.summary.total_count).toBe(4);
  });

  it('deletes a post, then answers code 100 subcode 33', async () => {
    const { id } = (await (await feed({ message: 'Wrong statement' })).json()) as { id: string };
    expect(await (await graph(`/${id}`, { method: 'DELETE' })).json()).toEqual({ success: true });
    const again = (await (await graph(`/${id}`, { method: 'DELETE' })).json()) as GraphError;
    expect(again.error).toMatchObject({ code: 100, error_subcode: 33 });
  });

  it('rises to 100% BUC usage and then refuses with 80001', async () => {
    const fresh = await net.admin<{ pageId: string; accessToken: string }>('/accounts', { name: 'Busy Page' });
    await net.admin('/config', { pageCallsPerHour: 2 }, 'PATCH');
    const call = (message: string) => graph(`/${fresh.pageId}/feed`, { method: 'POST', token: fresh.accessToken, ...form({ message }) });
    await call('one');
    const full = await call('two');
    const usage = JSON.parse(full.headers.get('x-business-use-case-usage') ?? '{}') as Record<string, { call_count: number }[]>;
    expect(usage[fresh.pageId]?.[0]?.call_count).toBe(100);
    const refused = await call('three');
    const body = (await refused.json()) as GraphError;
    expect(body.error.code).toBe(80001);
    const after = JSON.parse(refused.headers.get('x-business-use-case-usage') ?? '{}') as Record<string, { estimated_time_to_regain_access: number }[]>;
    expect(after[fresh.pageId]?.[0]?.estimated_time_to_regain_access).toBeGreaterThan(0);
    await net.admin('/config', { pageCallsPerHour: 4800 }, 'PATCH');
  });

  it('survives malformed input with the Graph error envelope', async () => {
    const cases: [string, RequestInit][] = [
      [`/${'1'.repeat(15)}/feed`, { method: 'POST', ...form({ message: 'nowhere' }) }],
      ['/me/feed', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }],
      ['/me/videos', { method: 'POST', ...form({ upload_phase: 'sideways' }) }],
      ['/oauth/access_token?client_id=nope', { method: 'GET' }],
      ['/123/insights?metric=', { method: 'GET' }],
      ['/a/b/c/d', { method: 'GET' }],
    ];
    for (const [path, init] of cases) {
      const response = await graph(path, init);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
      expect(((await response.json()) as GraphError).error.code, path).toBeTypeOf('number');
    }
  });
});
