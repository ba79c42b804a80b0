import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type SimHarness } from './harness.js';
import { header, parseBody, Reply, type SimRequest, type SimResponse } from './http.js';
import { type NetworkDefinition, type NetworkFactory } from './network.js';
import { OAuthRegistry } from './oauth.js';
import { RateLimiter } from './rate-limiter.js';
import { Router } from './router.js';
import { TokenStore, bearer } from './tokens.js';
import { adminRoutes, guardAdmin } from './admin.js';

/** Bodies above this are refused with 413 before they are read into memory. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** How long a commit-then-timeout fault holds a connection before dropping it. */
const DEFAULT_HOLD_MS = 30_000;

export interface SimServerOptions {
  host?: string;
  port?: number;
}

/** One network on one loopback HTTP server: faults, log, admin API, then the network's routes. */
export class SimServer {
  readonly network: NetworkDefinition;
  readonly tokens: TokenStore;
  readonly oauth: OAuthRegistry;
  readonly limiter: RateLimiter;
  private readonly router: Router;
  private readonly admin: Router;
  private readonly server: Server;
  private readonly held = new Set<NodeJS.Timeout>();
  private url = '';

  constructor(
    readonly harness: SimHarness,
    factory: NetworkFactory,
  ) {
    this.tokens = new TokenStore(harness.clock);
    this.oauth = new OAuthRegistry(harness.clock);
    this.limiter = new RateLimiter(harness.clock);
    this.network = factory({ harness, tokens: this.tokens, oauth: this.oauth, limiter: this.limiter, baseUrl: () => this.url });
    this.router = new Router(this.network.routes);
    this.admin = new Router(guardAdmin(adminRoutes(this)));
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        process.stderr.write(`simulator ${this.network.name}: ${String(error)}\n`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  }

  get baseUrl(): string {
    return this.url;
  }

  async listen(options: SimServerOptions = {}): Promise<string> {
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(options.port ?? 0, host, () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://${host}:${port}`;
    return this.url;
  }

  async close(): Promise<void> {
    for (const timer of this.held) clearTimeout(timer);
    this.held.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Clears the network's state and tokens (the admin reset); the clock and other networks stay. */
  reset(): void {
    this.network.reset();
    this.tokens.clear();
    this.oauth.clear();
    this.limiter.reset();
    this.harness.faults.clear(this.network.name);
    this.harness.log.clear(this.network.name);
    this.harness.ledger.clear(this.network.name);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://simulator');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      res.writeHead(413, { connection: 'close' }).end();
      req.destroy();
      return;
    }
    const raw = await readBody(req);
    if (raw === undefined) {
      // A chunked body that grew past the limit: refuse it rather than act on a truncated upload.
      res.writeHead(413, { connection: 'close' }).end();
      return;
    }
    const path = url.pathname;
    const sim: SimRequest = {
      seq: this.harness.nextSeq(),
      method: (req.method ?? 'GET').toUpperCase(),
      path,
      query: url.searchParams,
      headers: req.headers,
      raw,
      params: {},
      ip: req.socket.remoteAddress ?? '127.0.0.1',
      ...parseBody(String(req.headers['content-type'] ?? ''), raw),
    };
    if (path === '/__sim' || path.startsWith('/__sim/')) {
      send(res, await this.dispatch(this.admin, sim, path));
      return;
    }

    const network = this.network.name;
    this.harness.calls.enter(network);
    res.once('close', () => this.harness.calls.leave(network));
    const entry = this.harness.log.append({
      seq: sim.seq,
      at: this.harness.clock.now(),
      network: this.network.name,
      method: sim.method,
      path,
      query: Object.fromEntries(url.searchParams),
      token: bearer(header(sim, 'authorization')) ?? url.searchParams.get('access_token') ?? undefined,
      headers: flattenHeaders(req.headers),
      body: summariseBody(sim),
    });

    const fault = this.harness.faults.pick(this.network.name, sim.method, path);
    const action = fault?.action;
    if (action?.kind === 'reset') {
      entry.fault = 'reset';
      req.socket.destroy();
      return;
    }
    if (action?.kind === 'delay') {
      entry.fault = `delay:${action.ms}`;
      await new Promise((resolve) => setTimeout(resolve, action.ms));
    }
    let response: SimResponse;
    if (action?.kind === 'status') {
      entry.fault = `status:${action.status}`;
      const documented = this.network.errorResponse(action.status, sim);
      response = { status: action.status, headers: { ...documented.headers, ...action.headers }, body: action.body ?? documented.body };
    } else if (action?.kind === 'rate-limit') {
      entry.fault = 'rate-limit';
      response = this.network.rateLimitedResponse(sim, action.resetMs);
    } else if (sim.malformedJson) {
      // Every network refuses a body that claims to be JSON and is not, before any logic runs.
      response = this.network.errorResponse(400, sim);
    } else {
      response = await this.dispatch(this.router, sim, this.network.normalizePath?.(path) ?? path);
    }
    entry.status = response.status;
    entry.durationMs = Date.now() - started;

    if (action?.kind === 'commit-then-timeout') {
      // The write above has committed; the client never hears about it.
      entry.fault = 'commit-then-timeout';
      const timer = setTimeout(() => {
        this.held.delete(timer);
        req.socket.destroy();
      }, action.holdMs ?? DEFAULT_HOLD_MS);
      this.held.add(timer);
      return;
    }
    send(res, response);
  }

  private async dispatch(router: Router, sim: SimRequest, path: string): Promise<SimResponse> {
    const found = router.match(sim.method, path);
    if (found === undefined) return this.network.errorResponse(404, sim);
    if (found === 'methodNotAllowed') return this.network.errorResponse(405, sim);
    sim.params = found.params;
    try {
      return await found.handler(sim);
    } catch (error) {
      if (error instanceof Reply) return error.response;
      // A crash is a simulator bug; the client still gets the network's 500 shape, never a hang.
      process.stderr.write(`simulator ${this.network.name} ${sim.method} ${path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      return this.network.errorResponse(500, sim);
    }
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, response: SimResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload: Buffer | string | undefined;
  if (Buffer.isBuffer(response.body) || typeof response.body === 'string') payload = response.body;
  else if (response.body !== undefined) {
    payload = JSON.stringify(response.body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(response.status, headers);
  res.end(payload);
}

function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}

/** Bodies above this are logged by size only, so uploads do not fill memory during a long run. */
const LOGGED_BODY_BYTES = 16 * 1024;

function summariseBody(sim: SimRequest): unknown {
  if (sim.raw.length > LOGGED_BODY_BYTES) return { bytes: sim.raw.length, contentType: sim.headers['content-type'] ?? null };
  if (sim.json !== undefined) return sim.json;
  const form = Object.fromEntries(sim.form);
  const files = Object.fromEntries([...sim.files].map(([name, file]) => [name, { filename: file.filename, contentType: file.contentType, bytes: file.data.length }]));
  if (Object.keys(form).length > 0 || Object.keys(files).length > 0) return { ...form, ...files };
  return sim.raw.length > 0 ? { bytes: sim.raw.length } : undefined;
}
