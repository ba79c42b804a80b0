import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { DeliveryList, DeliveryView, RetractView } from '../src/modules/publishing/deliveries.dto.js';
import type { Network } from '../src/modules/publishing/channel-access.port.js';
import { channelsEnv, connectSandboxChannel, sandboxOf, seedSandboxAccount, type ChannelView } from './channels-fixtures.js';
import { Transactor } from '../src/platform/database/transactor.js';
import { addUser, call, seedRootOrg, startTestApp, type Session, type TestApp } from './harness.js';
import { until } from './jobs-harness.js';

type Delivery = z.infer<typeof DeliveryView>;

// The delivery engine end to end: a real connected channel (the real connect flow against the
// sandbox simulators the app starts), real providers over loopback HTTP, a real worker (role
// all). Duplicates are counted in the simulators' own ledger, not in what the server believes.
let t: TestApp;
let orgId: string;
let owner: Session;
let editor: Session;
let approver: Session;
let mastodon: ChannelView;
let bluesky: ChannelView;
// Accounts a test rate-limits: a 429 blocks the account for every worker until its reset.
let mastodonLimited: ChannelView;
let blueskyLimited: ChannelView;

beforeAll(async () => {
  t = await startTestApp({ ...channelsEnv(), GUDDU_DELIVERY_CALL_TIMEOUT_MS: '1500', GUDDU_DB_POOL_SIZE: '20' }, { role: 'all' });
  ({ orgId, owner } = await seedRootOrg(t));
  editor = (await addUser(t, orgId, 'editor')).session;
  approver = (await addUser(t, orgId, 'approver')).session;
  mastodon = await connectSandboxChannel(t, owner, 'mastodon');
  bluesky = await connectSandboxChannel(t, owner, 'bluesky');
  const m = await seedSandboxAccount(t, 'mastodon', { username: 'limited' });
  mastodonLimited = await connectSandboxChannel(t, owner, 'mastodon', { account: m.accountId });
  await seedSandboxAccount(t, 'bluesky', { handle: 'limited.bsky.social', appPassword: 'limi-ted0-app0-pass' });
  blueskyLimited = await connectSandboxChannel(t, owner, 'bluesky', { bluesky: { handle: 'limited.bsky.social', appPassword: 'limi-ted0-app0-pass' } });
}, 120_000);
afterAll(async () => t?.close());

const sims = () => sandboxOf(t);
const base = (n: Network) => sims().urls[n]!;

async function fault(network: Network, rule: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${base(network)}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rule) });
  expect(res.status, await res.text()).toBeLessThan(300);
}

beforeEach(async () => {
  for (const n of ['mastodon', 'bluesky'] as const) await fetch(`${base(n)}/__sim/faults`, { method: 'DELETE' });
});

/** A message for `targets`, scheduled a moment ahead, submitted and approved: due by itself. */
async function dueMessage(text: string, targets: string[], as = editor): Promise<string> {
  const created = await call(t, { method: 'POST', url: '/api/v1/messages', token: as.accessToken, payload: { title: text.slice(0, 40), content: { bodies: { en: text }, targets } } });
  expect(created.statusCode, created.body).toBe(201);
  const m = created.json<{ id: string; revision: number; contentHash: string }>();
  const timed = await call(t, { method: 'PUT', url: `/api/v1/messages/${m.id}/schedule`, token: as.accessToken, payload: { at: new Date(Date.now() + 2_500).toISOString(), zone: 'Asia/Kolkata' }, headers: { 'if-match': `"${m.revision}"` } });
  expect(timed.statusCode, timed.body).toBe(200);
  expect((await call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/submit`, token: as.accessToken, payload: {} })).statusCode).toBe(200);
  const approved = await call(t, { method: 'POST', url: `/api/v1/messages/${m.id}/approvals`, token: approver.accessToken, payload: { decision: 'approved', contentHash: m.contentHash } });
  expect(approved.json<{ status: string }>().status, approved.body).toBe('scheduled');
  return m.id;
}

async function deliveries(messageId: string, as = editor): Promise<Delivery[]> {
  const res = await call(t, { method: 'GET', url: `/api/v1/messages/${messageId}/deliveries`, token: as.accessToken });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<z.infer<typeof DeliveryList>>().items;
}

async function statusOf(messageId: string): Promise<string> {
  return (await call(t, { method: 'GET', url: `/api/v1/messages/${messageId}`, token: editor.accessToken })).json<{ status: string }>().status;
}

async function waitFor(messageId: string, check: (d: Delivery[]) => boolean, what: string, ms = 20_000): Promise<Delivery[]> {
  let last: Delivery[] = [];
  try {
    await until(async () => check((last = await deliveries(messageId))), ms, what, 200);
  } catch (err) {
    throw new Error(`${(err as Error).message}; message ${await statusOf(messageId)}, deliveries ${JSON.stringify(last.map((d) => [d.network, d.state, d.failureReason, d.attemptLog.map((a) => `${a.kind}:${a.outcome}:${a.errorClass}`)]))}`, { cause: err });
  }
  return last;
}

const ledger = (network: Network, text: string) => sims().harness.ledger.list(network).filter((p) => p.text.includes(text));

describe('deliveries', () => {
  it('publishes an approved message when it falls due: the post is in each network\'s ledger, once', async () => {
    const text = `Statement on the summit ${Date.now()}`;
    const id = await dueMessage(text, [mastodon.id, bluesky.id]);
    const done = await waitFor(id, (d) => d.length === 2 && d.every((x) => x.state === 'succeeded'), 'both delivered');
    expect(ledger('mastodon', text)).toHaveLength(1);
    expect(ledger('bluesky', text)).toHaveLength(1);
    for (const d of done) {
      expect(d.externalId).toBeTruthy();
      expect(d.attemptLog.filter((a) => a.kind === 'publish').map((a) => a.outcome)).toEqual(['succeeded']);
    }
    await until(async () => (await statusOf(id)) === 'published', 10_000, 'message published');
    // Planned by the gate, in the transaction that released the message (decision 0035), not
    // later by a subscriber of the event: now() is that transaction's start in both rows.
    const planned = await t.app.get(Transactor).withTenantBypass('test: when were the deliveries planned', async (db) =>
      (await sql<{ same: boolean }>`SELECT d.created_at = e.occurred_at AS same FROM deliveries d JOIN outbox_events e ON e.aggregate_id = d.message_id::text AND e.name = 'messages.publish_requested' WHERE d.message_id = ${id}::uuid`.execute(db)).rows,
    );
    expect(planned.map((r) => r.same)).toEqual([true, true]);
  });

  it('reconciles a post whose answer was lost instead of sending it again', async () => {
    await fault('mastodon', { method: 'POST', path: '^/api/v1/statuses$', times: 1, action: { kind: 'commit-then-timeout', holdMs: 4_000 } });
    const text = `Lost answer ${Date.now()}`;
    const id = await dueMessage(text, [mastodon.id]);
    const [d] = await waitFor(id, (x) => x[0]?.state === 'succeeded', 'reconciled', 30_000);
    expect(ledger('mastodon', text)).toHaveLength(1);
    expect(sims().harness.ledger.duplicates('mastodon')).toEqual([]);
    const kinds = d!.attemptLog.map((a) => `${a.kind}:${a.outcome}`);
    expect(kinds[0]).toBe('publish:retry');
    expect(kinds).toContain('reconcile:found');
    expect(d!.externalId).toBe(ledger('mastodon', text)[0]!.id);
  });

  it('retries after a 5xx (checking first that the post did not land)', async () => {
    await fault('bluesky', { method: 'POST', path: 'createRecord', times: 1, action: { kind: 'status', status: 503 } });
    const text = `After a 503 ${Date.now()}`;
    const id = await dueMessage(text, [bluesky.id]);
    const [d] = await waitFor(id, (x) => x[0]?.state === 'succeeded', 'retried', 25_000);
    expect(ledger('bluesky', text)).toHaveLength(1);
    expect(d!.attemptLog.filter((a) => a.kind === 'publish').map((a) => a.outcome)).toEqual(['retry', 'succeeded']);
    expect(d!.attemptLog[0]!.httpStatus).toBe(503);
  });

  it('delays a rate-limited delivery until the network says, without failing it', async () => {
    await fault('mastodon', { method: 'POST', path: '^/api/v1/statuses$', times: 1, action: { kind: 'rate-limit' } });
    const text = `Rate limited ${Date.now()}`;
    const id = await dueMessage(text, [mastodonLimited.id]);
    const [d] = await waitFor(id, (x) => x[0]?.state === 'pending' && x[0].attemptLog.some((a) => a.outcome === 'delayed'), 'delayed');
    expect(d!.state).toBe('pending');
    expect(d!.failureClass).toBe('rate_limited');
    expect(new Date(d!.nextAttemptAt!).getTime()).toBeGreaterThan(Date.now());
    expect(d!.attempts).toBe(0);
    expect(ledger('mastodon', text)).toHaveLength(0);
    expect(await statusOf(id)).toBe('publishing');
  });

  it('fails a refused post with a reason a person understands, and a person can retry it', async () => {
    await fault('bluesky', { method: 'POST', path: 'createRecord', times: 1, action: { kind: 'status', status: 400, body: { error: 'InvalidRequest', message: 'Invalid record' } } });
    const text = `Refused once ${Date.now()}`;
    const id = await dueMessage(text, [bluesky.id]);
    const [failed] = await waitFor(id, (x) => x[0]?.state === 'failed', 'failed');
    expect(failed!.failureReason).toBeTruthy();
    await until(async () => (await statusOf(id)) === 'failed', 10_000, 'message failed');
    expect((await call(t, { method: 'POST', url: `/api/v1/deliveries/${failed!.id}/retry`, token: editor.accessToken, payload: {} })).statusCode).toBe(403);
    const retried = await call(t, { method: 'POST', url: `/api/v1/deliveries/${failed!.id}/retry`, token: owner.accessToken, payload: {} });
    expect(retried.statusCode, retried.body).toBe(200);
    await waitFor(id, (x) => x[0]?.state === 'succeeded', 'retried by a person');
    await until(async () => (await statusOf(id)) === 'published', 10_000, 'message published after the retry');
    expect(ledger('bluesky', text)).toHaveLength(1);
    const again = await call(t, { method: 'POST', url: `/api/v1/deliveries/${failed!.id}/retry`, token: owner.accessToken, payload: {} });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ code: string }>().code).toBe('delivery_not_retryable');
  });

  it('holds a delivery when publishing is suspended after the message went out, and sends it at resume', async () => {
    await fault('mastodon', { method: 'POST', path: '^/api/v1/statuses$', times: 4, action: { kind: 'status', status: 503 } });
    const text = `Held by a suspension ${Date.now()}`;
    const id = await dueMessage(text, [mastodon.id]);
    await waitFor(id, (x) => x[0]?.state === 'unknown' || x[0]?.state === 'pending', 'waiting to retry');
    const suspended = await call(t, { method: 'POST', url: '/api/v1/publishing/suspensions', token: owner.accessToken, payload: { reason: 'Crisis' } });
    expect(suspended.statusCode, suspended.body).toBe(201);
    const [held] = await waitFor(id, (x) => x[0]?.state === 'held', 'held');
    expect(ledger('mastodon', text)).toHaveLength(0);
    const resumed = await call(t, { method: 'POST', url: `/api/v1/publishing/suspensions/${suspended.json<{ id: string }>().id}/resume`, token: owner.accessToken, payload: { decisions: [] } });
    expect(resumed.statusCode, resumed.body).toBe(200);
    await waitFor(id, (x) => x[0]?.state === 'succeeded', 'sent at resume', 25_000);
    expect(ledger('mastodon', text)).toHaveLength(1);
    expect(held!.id).toBeTruthy();
  });

  it('cancels what has not gone out when the message is withdrawn', async () => {
    await fault('bluesky', { method: 'POST', path: 'createRecord', times: 1, action: { kind: 'rate-limit' } });
    const text = `Withdrawn ${Date.now()}`;
    const id = await dueMessage(text, [blueskyLimited.id]);
    await waitFor(id, (x) => x[0]?.state === 'pending' && x[0].failureClass === 'rate_limited', 'waiting on the limit');
    const withdrawn = await call(t, { method: 'POST', url: `/api/v1/messages/${id}/withdraw`, token: owner.accessToken, payload: { reason: 'Overtaken by events' } });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    const [d] = await waitFor(id, (x) => x[0]?.state === 'cancelled', 'cancelled');
    expect(d!.failureReason).toMatch(/withdrawn/);
    expect(ledger('bluesky', text)).toHaveLength(0);
  });

  it('reconciles, not cancels, a delivery whose post may be out when the message is withdrawn', async () => {
    await fault('mastodon', { method: 'POST', path: '^/api/v1/statuses$', times: 1, action: { kind: 'commit-then-timeout', holdMs: 4_000 } });
    await fault('mastodon', { method: 'GET', path: '^/api/v1/accounts/[^/]+/statuses', times: 1, action: { kind: 'status', status: 503 } });
    const text = `Withdrawn after a lost answer ${Date.now()}`;
    const id = await dueMessage(text, [mastodon.id]);
    await waitFor(id, (x) => x[0]?.state === 'unknown' && x[0].attemptLog.some((a) => a.kind === 'reconcile' && a.outcome === 'retry'), 'an unanswered reconcile', 30_000);
    const withdrawn = await call(t, { method: 'POST', url: `/api/v1/messages/${id}/withdraw`, token: owner.accessToken, payload: { reason: 'Overtaken by events' } });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    const [d] = await waitFor(id, (x) => x[0]?.state === 'succeeded' || x[0]?.state === 'cancelled', 'settled', 30_000);
    expect(ledger('mastodon', text)).toHaveLength(1);
    expect(d!.state).toBe('succeeded');
    expect(d!.externalId).toBe(ledger('mastodon', text)[0]!.id);
  });

  it('ends a reconcile that never gets an answer, and a person\'s retry looks for the post before sending again', async () => {
    await fault('mastodon', { method: 'POST', path: '^/api/v1/statuses$', times: 1, action: { kind: 'commit-then-timeout', holdMs: 4_000 } });
    await fault('mastodon', { method: 'GET', path: '^/api/v1/accounts/[^/]+/statuses', times: 5, action: { kind: 'status', status: 503 } });
    const text = `Never confirmed ${Date.now()}`;
    const id = await dueMessage(text, [mastodon.id]);
    const [failed] = await waitFor(id, (x) => x[0]?.state === 'failed', 'failed after the reconciles', 110_000);
    expect(failed!.failureClass).toBe('unknown_outcome');
    expect(failed!.failureReason).toMatch(/could not confirm whether the post went out; check the account/);
    expect(failed!.attemptLog.filter((a) => a.kind === 'reconcile').length).toBe(5);
    const retried = await call(t, { method: 'POST', url: `/api/v1/deliveries/${failed!.id}/retry`, token: owner.accessToken, payload: {} });
    expect(retried.statusCode, retried.body).toBe(200);
    const [d] = await waitFor(id, (x) => x[0]?.state === 'succeeded', 'found after the retry', 30_000);
    expect(d!.attemptLog.filter((a) => a.kind === 'publish')).toHaveLength(1);
    expect(d!.attemptLog.at(-1)).toMatchObject({ kind: 'reconcile', outcome: 'found' });
    expect(ledger('mastodon', text)).toHaveLength(1);
  }, 150_000);

  it('fails, without calling the network, a delivery to a channel disconnected after approval', async () => {
    const m = await seedSandboxAccount(t, 'mastodon', { username: `gone${Date.now()}` });
    const gone = await connectSandboxChannel(t, owner, 'mastodon', { account: m.accountId });
    const text = `To a channel since disconnected ${Date.now()}`;
    const id = await dueMessage(text, [gone.id]);
    const res = await call(t, { method: 'DELETE', url: `/api/v1/channels/${gone.id}`, token: owner.accessToken });
    expect(res.statusCode, res.body).toBe(204);
    const [d] = await waitFor(id, (x) => x[0]?.state === 'failed', 'failed');
    expect(d!.failureClass).toBe('permission');
    expect(d!.failureReason).toMatch(/may no longer publish to the channel: the channel is disconnected/);
    expect(ledger('mastodon', text)).toHaveLength(0);
  });

  it('retracts a published message from every network, audited, saying what happened per network', async () => {
    const text = `To be retracted ${Date.now()}`;
    const id = await dueMessage(text, [mastodon.id, bluesky.id]);
    await waitFor(id, (x) => x.length === 2 && x.every((d) => d.state === 'succeeded'), 'published');
    const denied = await call(t, { method: 'POST', url: `/api/v1/messages/${id}/retract`, token: editor.accessToken, payload: { reason: 'Wrong figure' } });
    expect(denied.statusCode).toBe(403);
    const res = await call(t, { method: 'POST', url: `/api/v1/messages/${id}/retract`, token: owner.accessToken, payload: { reason: 'Wrong figure' } });
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json<z.infer<typeof RetractView>>();
    expect(answer.items.map((i) => i.state).sort()).toEqual(['retracting', 'retracting']);
    await waitFor(id, (x) => x.every((d) => d.state === 'retracted'), 'retracted');
    for (const n of ['mastodon', 'bluesky'] as const) expect(ledger(n, text).every((p) => p.deletedAt !== undefined)).toBe(true);
    const audit = await call(t, { method: 'GET', url: `/api/v1/audit?targetId=${id}`, token: owner.accessToken });
    expect(audit.body).toContain('message.retracted');
    const nothing = await call(t, { method: 'POST', url: `/api/v1/messages/${id}/retract`, token: owner.accessToken, payload: { reason: 'again' } });
    expect(nothing.statusCode).toBe(409);
  });

  it('shows no other tenant\'s deliveries, and lets no other tenant retry them', async () => {
    const text = `Tenant A only ${Date.now()}`;
    const id = await dueMessage(text, [bluesky.id]);
    const [d] = await waitFor(id, (x) => x[0]?.state === 'succeeded', 'published');
    const other = await seedRootOrg(t, 'Another ministry');
    const list = await call(t, { method: 'GET', url: `/api/v1/messages/${id}/deliveries`, token: other.owner.accessToken });
    expect(list.statusCode).toBe(404);
    const retry = await call(t, { method: 'POST', url: `/api/v1/deliveries/${d!.id}/retry`, token: other.owner.accessToken, payload: {} });
    expect(retry.statusCode).toBe(404);
    const retract = await call(t, { method: 'POST', url: `/api/v1/messages/${id}/retract`, token: other.owner.accessToken, payload: { reason: 'not mine' } });
    expect(retract.statusCode).toBe(404);
    expect(orgId).not.toBe(other.orgId);
  });

  it('refuses a target channel the organisation has not connected', async () => {
    const res = await call(t, { method: 'POST', url: '/api/v1/messages', token: editor.accessToken, payload: { title: 'x', content: { bodies: { en: 'x' }, targets: ['00000000-0000-4000-8000-000000000000'] } } });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json<{ code: string }>().code).toBe('channel_not_usable');
  });
});
