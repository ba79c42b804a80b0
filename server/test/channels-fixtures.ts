import type { RunningSimulators } from '@guddu/simulators';
import { expect } from 'vitest';
import { ChannelNetworks } from '../src/modules/channels/channel-networks.service.js';
import type { Network } from '../src/modules/publishing/channel-access.port.js';
import { call, type Session, type TestApp } from './harness.js';

/** Env for a test app whose channels connect to the sandbox networks it starts (the seven simulators on loopback). */
export const channelsEnv = (): Record<string, string> => ({ GUDDU_SANDBOX: 'on' });

/** The simulators the app started: admin API (`urls`), clock, faults, request log, ledger (`harness`). */
export function sandboxOf(t: TestApp): RunningSimulators {
  const sims = t.app.get(ChannelNetworks).sandbox;
  if (!sims) throw new Error('the sandbox is off: start the test app with channelsEnv()');
  return sims;
}

/** Seeds an account on a simulator through its admin API; returns its ids and ready tokens. */
export async function seedSandboxAccount(t: TestApp, network: Network, input: Record<string, unknown> = {}): Promise<Record<string, unknown> & { accountId: string }> {
  const res = await fetch(`${sandboxOf(t).urls[network]}/__sim/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
  expect(res.status, `seed ${network} account`).toBeLessThan(300);
  return (await res.json()) as Record<string, unknown> & { accountId: string };
}

export interface ChannelView {
  id: string;
  organisationId: string;
  network: Network;
  accountId: string;
  handle: string | null;
  displayName: string;
  baseUrl: string;
  sandbox: boolean;
  status: string;
  revision: number;
  health: { accessExpiresAt: string | null; lastRefreshedAt: string | null; lastError: string | null };
  [key: string]: unknown;
}

/** Follows an authorize URL to the simulator's consent (which approves at once) and returns the callback path it redirects to. */
export async function consent(authorizeUrl: string, simAccount?: string): Promise<string> {
  const url = new URL(authorizeUrl);
  if (simAccount) url.searchParams.set('sim_account', simAccount);
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status, `consent at ${url.host}: ${res.status}`).toBe(302);
  const back = new URL(res.headers.get('location')!);
  // The network sends the browser to the console's landing page (the redirect URI), which hands
  // the answer on to the API; this is the API route that answer reaches.
  expect(back.pathname).toMatch(/^\/channels\/callback\/[a-z]+\/$/);
  return `/api/v1${back.pathname.replace(/\/$/, '')}${back.search}`;
}

/** What the landing page hands on: the OAuth answer's own fields (networks add others, such as Google's `scope`). */
function answerOf(q: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['code', 'state', 'error', 'error_description']) if (q.has(k)) out[k] = q.get(k)!;
  return out;
}

/**
 * A real connected channel through the real connect flow against the simulators: start →
 * the network's consent → the callback as the same signed-in session → (several accounts) the
 * choice. Bluesky connects with the sandbox account's handle and app password. `account` picks
 * a seeded account (`seedSandboxAccount`); the default is the simulator's own sandbox account.
 */
export async function connectSandboxChannel(
  t: TestApp,
  as: Session,
  network: Network,
  opts: { org?: string; account?: string; bluesky?: { handle: string; appPassword: string } } = {},
): Promise<ChannelView> {
  const org = opts.org;
  if (network === 'bluesky') {
    const creds = opts.bluesky ?? { handle: 'guddu-sandbox.bsky.social', appPassword: 'sand-box0-app0-pass' };
    const res = await call(t, { method: 'POST', url: '/api/v1/channels/bluesky', token: as.accessToken, org, payload: { ...creds, sandbox: true } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<ChannelView>();
  }
  const started = await call(t, { method: 'POST', url: '/api/v1/channels/connect', token: as.accessToken, org, payload: { network, sandbox: true } });
  expect(started.statusCode, started.body).toBe(201);
  const back = await consent(started.json<{ authorizeUrl: string }>().authorizeUrl, opts.account);
  // As the console's landing page does: the network's answer, posted from the console's origin.
  const answer = new URL(back, 'http://console');
  const done = await call(t, { method: 'POST', url: answer.pathname, token: as.accessToken, org, payload: answerOf(answer.searchParams) });
  expect(done.statusCode, done.body).toBe(200);
  const location = new URL(done.json<{ location: string }>().location, 'http://console');
  let id = location.searchParams.get('connected');
  const attempt = location.searchParams.get('attempt');
  if (!id && attempt) {
    const found = await call(t, { method: 'GET', url: `/api/v1/channels/connect/${attempt}`, token: as.accessToken, org });
    const first = found.json<{ candidates: { accountId: string }[] }>().candidates[0]!;
    const chosen = await call(t, { method: 'POST', url: `/api/v1/channels/connect/${attempt}/accounts`, token: as.accessToken, org, payload: { accountIds: [first.accountId] } });
    expect(chosen.statusCode, chosen.body).toBe(201);
    id = chosen.json<{ items: { id: string }[] }>().items[0]!.id;
  }
  expect(id, `callback went to ${location.toString()}`).toBeTruthy();
  const got = await call(t, { method: 'GET', url: `/api/v1/channels/${id}`, token: as.accessToken, org });
  expect(got.statusCode, got.body).toBe(200);
  return got.json<ChannelView>();
}

/**
 * Asks the network who the token belongs to (an authenticated read each network has); the HTTP
 * status tells whether the network accepts the token.
 */
export async function networkAccepts(t: TestApp, network: Network, accessToken: string, accountId: string): Promise<number> {
  const base = sandboxOf(t).urls[network]!;
  const bearer = { authorization: `Bearer ${accessToken}` };
  const month = new Date(Date.now() - 31 * 24 * 3600_000);
  const version = `${month.getUTCFullYear()}${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
  const requests: Record<Network, [string, Record<string, string>]> = {
    facebook: [`/v21.0/${accountId}?fields=name`, bearer],
    instagram: [`/me?fields=username&access_token=${encodeURIComponent(accessToken)}`, {}],
    x: ['/2/users/me', bearer],
    linkedin: ['/rest/organizationAcls?q=roleAssignee', { ...bearer, 'linkedin-version': version, 'x-restli-protocol-version': '2.0.0' }],
    youtube: ['/youtube/v3/channels?part=snippet&mine=true', bearer],
    mastodon: ['/api/v1/accounts/verify_credentials', bearer],
    bluesky: ['/xrpc/com.atproto.server.getSession', bearer],
  };
  const [path, headers] = requests[network];
  return (await fetch(`${base}${path}`, { headers })).status;
}
