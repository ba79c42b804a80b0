import { FaultRuleError, type FaultRuleInput } from './faults.js';
import { isRecord, json, type SimRequest, type SimResponse } from './http.js';
import { type Route } from './router.js';
import { type SimServer } from './sim-server.js';
import { type EngagementExtra, type SimComment } from './engagement.js';
import { snowflake } from './ids.js';

/**
 * The seed/admin API under `/__sim/`: outside every vendor contract, for tests, the bench and
 * the sandbox UI. Bad input gets an RFC 9457 problem with a stable code.
 */
export function adminRoutes(sim: SimServer): Route[] {
  const { harness } = sim;
  const network = () => sim.network.name;
  return [
    { method: 'GET', pattern: '/__sim', handler: () => json(200, { network: network(), baseUrl: sim.baseUrl, sandbox: true, now: harness.clock.now() }) },
    { method: 'GET', pattern: '/__sim/state', handler: () => json(200, sim.network.describe()) },
    // Calls in flight and their peak: this network's, and all networks' of the run together.
    { method: 'GET', pattern: '/__sim/calls', handler: () => {
      const { all, networks } = harness.calls.snapshot();
      return json(200, { network: networks[network()] ?? { inFlight: 0, peak: 0 }, all });
    } },
    { method: 'DELETE', pattern: '/__sim/calls', handler: () => (harness.calls.resetPeaks(), { status: 204 }) },
    { method: 'GET', pattern: '/__sim/clock', handler: () => clock(sim) },
    {
      method: 'POST',
      pattern: '/__sim/clock',
      handler: (req) => {
        const body = objectBody(req);
        if (body.freeze === true) harness.clock.freeze();
        if (body.freeze === false) harness.clock.resume();
        if (body.set !== undefined) harness.clock.set(numberField(body, 'set'));
        if (body.advanceMs !== undefined) harness.clock.advance(numberField(body, 'advanceMs'));
        return clock(sim);
      },
    },
    { method: 'GET', pattern: '/__sim/faults', handler: () => json(200, { rules: harness.faults.list(network()) }) },
    {
      method: 'POST',
      pattern: '/__sim/faults',
      handler: (req) => {
        const body = objectBody(req);
        try {
          return json(201, harness.faults.add({ ...(body as unknown as FaultRuleInput), network: network() }));
        } catch (error) {
          if (error instanceof FaultRuleError) return problem(400, 'invalid_fault_rule', error.message);
          throw error;
        }
      },
    },
    { method: 'DELETE', pattern: '/__sim/faults', handler: () => (harness.faults.clear(network()), { status: 204 }) },
    {
      method: 'DELETE',
      pattern: '/__sim/faults/:id',
      handler: (req) => (harness.faults.remove(Number(req.params.id)) ? { status: 204 } : problem(404, 'fault_rule_not_found', 'No such fault rule')),
    },
    {
      method: 'GET',
      pattern: '/__sim/log',
      handler: (req) => {
        const status = req.query.get('status');
        const since = req.query.get('since');
        const path = req.query.get('path') ?? undefined;
        if (path !== undefined && !validRegex(path)) return problem(400, 'invalid_log_query', 'path must be a valid regular expression');
        const entries = harness.log.query({
          network: network(),
          method: req.query.get('method') ?? undefined,
          path,
          status: status === null ? undefined : Number(status),
          since: since === null ? undefined : Number(since),
        });
        return json(200, { count: entries.length, entries });
      },
    },
    { method: 'DELETE', pattern: '/__sim/log', handler: () => (harness.log.clear(network()), { status: 204 }) },
    {
      method: 'GET',
      pattern: '/__sim/posts',
      handler: () => {
        const posts = harness.ledger.list(network());
        return json(200, { count: posts.length, live: posts.filter((post) => post.deletedAt === undefined).length, posts });
      },
    },
    { method: 'GET', pattern: '/__sim/duplicates', handler: () => json(200, { duplicates: harness.ledger.duplicates(network()) }) },
    {
      method: 'POST',
      pattern: '/__sim/accounts',
      handler: (req) => {
        try {
          return json(201, sim.network.seedAccount(objectBody(req)));
        } catch (error) {
          if (error instanceof SeedError) return problem(400, 'invalid_seed', error.message);
          throw error;
        }
      },
    },
    {
      method: 'POST',
      pattern: '/__sim/tokens/revoke',
      handler: (req) => {
        const body = objectBody(req);
        if (typeof body.token === 'string') return json(200, { revoked: sim.tokens.revoke(body.token) ? 1 : 0 });
        if (typeof body.accountId === 'string') return json(200, { revoked: sim.tokens.revokeAccount(body.accountId) });
        return problem(400, 'invalid_token_request', 'Give token or accountId');
      },
    },
    {
      method: 'POST',
      pattern: '/__sim/tokens/expire',
      handler: (req) => {
        const body = objectBody(req);
        if (typeof body.token !== 'string') return problem(400, 'invalid_token_request', 'Give token');
        return sim.tokens.expire(body.token) ? json(200, { expired: true }) : problem(404, 'token_not_found', 'No such token');
      },
    },
    {
      method: 'POST',
      pattern: '/__sim/oauth/consent',
      handler: (req) => {
        const body = objectBody(req);
        if (body.consent !== 'approve' && body.consent !== 'deny') return problem(400, 'invalid_consent', 'consent must be approve or deny');
        sim.oauth.consent = body.consent;
        return json(200, { consent: sim.oauth.consent });
      },
    },
    {
      method: 'POST',
      pattern: '/__sim/oauth/clients',
      handler: (req) => {
        const body = objectBody(req);
        const uris = body.redirectUris;
        if (typeof body.clientId !== 'string' || typeof body.clientSecret !== 'string' || !(uris === '*' || (Array.isArray(uris) && uris.every((u) => typeof u === 'string')))) {
          return problem(400, 'invalid_client', 'Give clientId, clientSecret and redirectUris (an array of URIs or "*")');
        }
        const flags = isRecord(body.flags) ? Object.fromEntries(Object.entries(body.flags).map(([k, v]) => [k, v === true])) : {};
        const scopes = Array.isArray(body.scopes) ? body.scopes.map(String) : undefined;
        const client = sim.oauth.register({ clientId: body.clientId, clientSecret: body.clientSecret, redirectUris: uris, scopes, flags });
        return json(201, { clientId: client.clientId, redirectUris: client.redirectUris, flags: client.flags });
      },
    },
    {
      method: 'POST',
      pattern: '/__sim/engagement',
      handler: (req) => {
        const body = objectBody(req);
        if (typeof body.postId !== 'string') return problem(400, 'invalid_engagement', 'Give postId');
        const comments = Array.isArray(body.comments) ? body.comments : [];
        const extra: EngagementExtra = {
          views: optionalNumber(body.views),
          likes: optionalNumber(body.likes),
          shares: optionalNumber(body.shares),
          comments: comments.map((comment): SimComment => {
            const c = isRecord(comment) ? comment : {};
            return {
              // Unique across requests even on a frozen clock (two seeds in the same ms).
              id: snowflake(harness.clock.now()),
              text: typeof c.text === 'string' ? c.text : '',
              author: typeof c.author === 'string' ? c.author : 'citizen',
              createdAt: harness.clock.now(),
              parentId: typeof c.parentId === 'string' ? c.parentId : undefined,
            };
          }),
        };
        return sim.network.addEngagement(body.postId, extra) ? json(200, { ok: true }) : problem(404, 'post_not_found', 'No such post');
      },
    },
    { method: 'GET', pattern: '/__sim/config', handler: () => json(200, sim.network.config) },
    {
      method: 'PATCH',
      pattern: '/__sim/config',
      handler: (req) => {
        const body = objectBody(req);
        for (const [key, value] of Object.entries(body)) {
          if (!(key in sim.network.config)) return problem(400, 'unknown_config_key', `Unknown setting ${key}; known: ${Object.keys(sim.network.config).join(', ')}`);
          if (typeof value !== typeof sim.network.config[key]) return problem(400, 'invalid_config_value', `${key} must be a ${typeof sim.network.config[key]}`);
        }
        Object.assign(sim.network.config, body);
        return json(200, sim.network.config);
      },
    },
    { method: 'POST', pattern: '/__sim/reset', handler: () => (sim.reset(), { status: 204 }) },
  ];
}

/** Thrown by a network's seedAccount for bad seed input. */
export class SeedError extends Error {}

export function problem(status: number, code: string, detail: string): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: { type: `https://guddu.dev/problems/simulator/${code}`, title: code.replace(/_/g, ' '), status, detail, code },
  };
}

function clock(sim: SimServer): SimResponse {
  return json(200, { now: sim.harness.clock.now(), iso: new Date(sim.harness.clock.now()).toISOString(), frozen: sim.harness.clock.isFrozen() });
}

function objectBody(req: SimRequest): Record<string, unknown> {
  if (req.raw.length === 0) return {};
  if (!isRecord(req.json)) throw new AdminInputError();
  return req.json;
}

function numberField(body: Record<string, unknown>, name: string): number {
  const value = body[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new AdminInputError(`${name} must be a number`);
  return value;
}

function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function validRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

class AdminInputError extends Error {
  constructor(detail = 'The body must be a JSON object') {
    super(detail);
  }
}

/** Wraps the admin routes so malformed admin input is a 400 problem, not the network's 500. */
export function guardAdmin(routes: Route[]): Route[] {
  return routes.map((route) => ({
    ...route,
    handler: async (req) => {
      try {
        return await route.handler(req);
      } catch (error) {
        if (error instanceof AdminInputError) return problem(400, 'invalid_admin_request', error.message);
        throw error;
      }
    },
  }));
}
