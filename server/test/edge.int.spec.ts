import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_URL_LENGTH } from '../src/platform/http/edge.js';
import { startTestApp, type TestApp } from './harness.js';

// The answers the HTTP edge gives on its own, over a real socket (app.inject bypasses Node's
// HTTP parser, which is where 431 and 408 come from): every one RFC 9457 with a stable code.

const PROBLEM = 'application/problem+json; charset=utf-8';
const REQUEST_TIMEOUT_SECONDS = 1;

interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

let t: TestApp;
let port: number;
beforeAll(async () => {
  t = await startTestApp({ GUDDU_REQUEST_TIMEOUT_SECONDS: String(REQUEST_TIMEOUT_SECONDS), GUDDU_BODY_LIMIT_BYTES: '2048' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.getHttpServer().address() as AddressInfo).port;
});
let appClosed = false;
// The last test closes the app itself; what is left then is the runtime (the database).
afterAll(async () => (appClosed ? t.runtime.close() : t?.close()));

function parse(raw: string): RawReply[] {
  const replies: RawReply[] = [];
  let rest = raw;
  while (rest.startsWith('HTTP/1.1 ')) {
    const headEnd = rest.indexOf('\r\n\r\n');
    const [statusLine, ...lines] = rest.slice(0, headEnd).split('\r\n');
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    const length = Number(headers['content-length'] ?? 0);
    const body = rest.slice(headEnd + 4, headEnd + 4 + length);
    replies.push({ status: Number(statusLine!.split(' ')[1]), headers, body: body ? (JSON.parse(body) as Record<string, unknown>) : {} });
    rest = rest.slice(headEnd + 4 + length);
  }
  return replies;
}

/** Opens a socket; `send` writes, `replies` resolves with what came back once the server closes it. */
function open(): { socket: Socket; replies: Promise<RawReply[]> } {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  socket.setEncoding('utf8').on('data', (c: string) => (received += c));
  const replies = new Promise<RawReply[]>((resolve) => {
    socket.on('close', () => resolve(parse(received)));
    socket.on('error', () => undefined);
  });
  return { socket, replies };
}

async function raw(text: string): Promise<RawReply> {
  const { socket, replies } = open();
  socket.write(text);
  const [reply] = await replies;
  expect(reply, 'a reply before the connection closed').toBeDefined();
  return reply!;
}

const send = (method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}) =>
  fetch(`http://127.0.0.1:${port}${path}`, { method, headers: init.headers, body: init.body });

function expectProblem(reply: RawReply, status: number, code: string): void {
  expect(reply.status).toBe(status);
  expect(reply.headers['content-type']).toBe(PROBLEM);
  expect(reply.body).toMatchObject({ type: `urn:guddu:problem:${code}`, status, code });
  expect(reply.body.title).toMatch(/\w/);
  expect(reply.body.detail).toMatch(/\w/);
  expect(reply.body.correlationId).toBe(reply.headers['x-request-id']);
}

async function fromFetch(res: Response): Promise<RawReply> {
  return { status: res.status, headers: Object.fromEntries(res.headers), body: (await res.json()) as Record<string, unknown> };
}

describe('answers of the HTTP parser', () => {
  it('headers too large: 431 request_headers_too_large, not Fastify JSON', async () => {
    const reply = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expectProblem(reply, 431, 'request_headers_too_large');
  });

  it('a request not received in time: 408 request_timeout', async () => {
    const started = Date.now();
    // The request line and one header, then nothing.
    const reply = await raw('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    expectProblem(reply, 408, 'request_timeout');
    expect(Date.now() - started).toBeLessThan(REQUEST_TIMEOUT_SECONDS * 1000 + 2000);
  });

  it('a body that stops half-way: 408 as well', async () => {
    const reply = await raw('POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":');
    expectProblem(reply, 408, 'request_timeout');
  });

  it('not HTTP at all: 400 bad_request', async () => {
    expectProblem(await raw('HELLO THERE\r\n\r\n'), 400, 'bad_request');
  });
});

describe('answers of the router and the body parser', () => {
  it(`a URL over ${MAX_URL_LENGTH} characters: 414 uri_too_long`, async () => {
    expectProblem(await fromFetch(await send('GET', `/api/v1/me?q=${'a'.repeat(MAX_URL_LENGTH)}`)), 414, 'uri_too_long');
  });

  it('a path parameter longer than the router takes: 414 uri_too_long', async () => {
    expectProblem(await fromFetch(await send('GET', `/api/v1/messages/${'a'.repeat(200)}`)), 414, 'uri_too_long');
  });

  it('a body over the limit: 413; another media type: 415; broken JSON: 400', async () => {
    const json = { 'content-type': 'application/json' };
    expectProblem(await fromFetch(await send('POST', '/api/v1/auth/login', { headers: json, body: JSON.stringify({ email: 'a'.repeat(4096) }) })), 413, 'payload_too_large');
    expectProblem(await fromFetch(await send('POST', '/api/v1/auth/login', { headers: { 'content-type': 'text/csv' }, body: 'a,b' })), 415, 'unsupported_media_type');
    expectProblem(await fromFetch(await send('POST', '/api/v1/auth/login', { headers: json, body: '{"email":' })), 400, 'malformed_json');
  });

  it('a known path under another method: 405 with Allow', async () => {
    const post = await fromFetch(await send('POST', '/healthz'));
    expectProblem(post, 405, 'method_not_allowed');
    expect(post.headers.allow).toBe('GET, HEAD');
    // A path with parameters, and a method no route has.
    const put = await fromFetch(await send('PUT', '/api/v1/messages/5f1d7c1e-0000-4000-8000-000000000000'));
    expectProblem(put, 405, 'method_not_allowed');
    expect(put.headers.allow).toContain('GET');
    expect(put.headers.allow).toContain('PATCH');
    expectProblem(await fromFetch(await send('OPTIONS', '/api/v1/auth/login')), 405, 'method_not_allowed');
  });

  it('an unknown path is still 404 route_not_found', async () => {
    expectProblem(await fromFetch(await send('GET', '/api/v1/no-such-thing')), 404, 'route_not_found');
    expectProblem(await fromFetch(await send('POST', '/api/v1/messages/5f1d7c1e-0000-4000-8000-000000000000/no-such-action')), 404, 'route_not_found');
  });
});

describe('shutting down', () => {
  it('a request arriving on an open connection while the server closes: 503 service_unavailable, problem+json', async () => {
    const { socket, replies } = open();
    // A request in flight holds the connection open through the close: its body is still coming.
    const body = JSON.stringify({ email: 'nobody@example.gov', password: 'not-the-password' });
    socket.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);
    await new Promise((r) => setTimeout(r, 100));
    appClosed = true;
    const closed = t.app.close();
    await new Promise((r) => setTimeout(r, 100));
    socket.write(body.slice(5));
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    const [first, second] = await replies;
    await closed;
    expect(first?.status).toBe(401);
    expectProblem(second!, 503, 'service_unavailable');
    expect(second!.headers.connection).toBe('close');
  });
});
