import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Router from 'find-my-way';
import { platformError } from '../errors/app-error.js';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../errors/problem.js';
import type { Logger } from '../logging/logger.js';
import { sendProblem } from './problem.filter.js';

/**
 * The answers the HTTP edge gives before (or instead of) any route: a request that Node's parser
 * refuses (headers too large, a timeout), a URL too long, a path known under other methods, a
 * request that arrives while the server shuts down. Each is RFC 9457 problem+json with a stable
 * code and a correlation id, like every other answer.
 */

/** Longer request targets get 414; Node's 16 KiB header limit (431) catches the rest. */
export const MAX_URL_LENGTH = 8192;
/** Node's default, for when the request timeout is longer. */
const HEADERS_TIMEOUT_MS = 60_000;

/** Fastify options that make the edge's own answers problems. */
export function edgeOptions(log: Logger, requestTimeoutSeconds: number) {
  const requestTimeout = requestTimeoutSeconds * 1000;
  return {
    requestTimeout,
    http: {
      requestTimeout,
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeout),
      // Node checks for timed-out requests this often (30 s by default), which would let a short
      // timeout run long.
      connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(requestTimeout / 4))),
    },
    // Fastify's own 503 while closing is plain JSON; ours (onRequest below) is a problem.
    return503OnClosing: false,
    // Errors the router raises before any route runs (a malformed %-escape, an over-long
    // parameter) get the same problem document as everything else.
    frameworkErrors: (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      void reply.header('x-request-id', req.id);
      sendProblem(err, req, reply, log);
    },
    clientErrorHandler: (err: NodeJS.ErrnoException, socket: Socket) => answerClientError(err, socket, log),
  };
}

/**
 * Node's HTTP parser refused the request, so there is no request object and no reply: the answer
 * is written on the socket, and the connection closed (the parser cannot resume mid-stream).
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket, log: Logger): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const error =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? platformError('request_headers_too_large', 'The request headers (or its URL) are larger than the server accepts')
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? platformError('request_timeout', 'The request was not received in time')
        : platformError('bad_request', 'The request is not valid HTTP');
  const id = randomUUID();
  log.debug({ err, reqId: id }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify(toProblem(error, id));
    socket.write(
      `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${id}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/**
 * Hooks for the rest of the edge. Call before the application registers its routes: the
 * method check learns every route as it is added.
 */
export function installEdgeHooks(fastify: FastifyInstance, log: Logger): void {
  // A second router with every route, to tell "no such path" (404) from "not with this method"
  // (405); Fastify's own router answers only for the method asked.
  const known = Router({ ignoreTrailingSlash: false });
  const methodsOf = new Map<string, Set<string>>();
  fastify.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    let set = methodsOf.get(route.url);
    if (!set) {
      set = new Set();
      methodsOf.set(route.url, set);
      known.on('GET', route.url, () => undefined, { url: route.url });
    }
    for (const m of methods) set.add(m.toUpperCase());
    if (set.has('GET')) set.add('HEAD');
  });

  let closing = false;
  fastify.addHook('preClose', async () => {
    closing = true;
  });

  fastify.addHook('onRequest', async (req, reply) => {
    if (closing) {
      void reply.header('connection', 'close');
      return problem(req, reply, log, platformError('service_unavailable', 'The server is shutting down; try again shortly'));
    }
    if (req.url.length > MAX_URL_LENGTH) {
      return problem(req, reply, log, platformError('uri_too_long', `The URL is longer than ${MAX_URL_LENGTH} characters`));
    }
    // A request that matched no route under its method: is the path there under others?
    if (req.routeOptions.url === undefined) {
      const path = req.url.split('?')[0] ?? '/';
      const match = known.find('GET', path);
      const store = match?.store as { url: string } | undefined;
      // The console's catch-all (`/*`) matches every path: it says nothing about the API's.
      const allowed = store && !store.url.endsWith('*') ? methodsOf.get(store.url) : undefined;
      if (allowed && !allowed.has(req.method)) {
        const allow = [...allowed].sort().join(', ');
        return problem(req, reply, log, platformError('method_not_allowed', `${req.method} is not allowed here; use ${allow}`, { allow: [...allowed].sort() }, { headers: { allow } }));
      }
    }
  });
}

function problem(req: FastifyRequest, reply: FastifyReply, log: Logger, err: ReturnType<typeof platformError>): FastifyReply {
  void reply.header('x-request-id', req.id);
  sendProblem(err, req, reply, log);
  return reply;
}
