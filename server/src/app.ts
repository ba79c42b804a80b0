import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import { AppModule } from './app.module.js';
import { RealtimeGateway } from './modules/realtime/realtime.gateway.js';
import { KeyStore } from './platform/auth/key-store.js';
import { packageVersion } from './cli-version.js';
import { registerApiDocs } from './platform/http/api-docs.js';
import { edgeOptions, installEdgeHooks } from './platform/http/edge.js';
import { buildOpenApi } from './platform/http/openapi.js';
import { registerJsonParser } from './platform/http/json-body.js';
import { registerConsole } from './platform/http/console-static.js';
import { securityHeaders } from './platform/http/security-headers.js';
import { assertEveryRouteDeclared } from './platform/http/route-catalog.js';
import { NestPinoLogger } from './platform/logging/logger.js';
import type { Runtime } from './platform/runtime.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const WORKER_PATHS = new Set(['/healthz', '/readyz']);

/** Builds the HTTP application on Fastify; `listen` is left to the caller. */
export async function createHttpApp(runtime: Runtime): Promise<NestFastifyApplication> {
  const { config, log } = runtime;
  const adapter = new FastifyAdapter({
    loggerInstance: log,
    logController: new LogController({
      // One line per request at debug; at info the log carries events, not traffic.
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
      requestIdLogLabel: 'reqId',
    }),
    bodyLimit: config.bodyLimitBytes,
    // A hop count trusts that many proxies in front of us (the nearest first).
    trustProxy: trustProxyOption(config.trustProxy),
    // Timeouts, header overflow, the router's own errors, 503 while closing: all problems.
    ...edgeOptions(log, config.requestTimeoutSeconds),
    // A caller's x-request-id becomes our correlation id when it is sane; otherwise we mint one.
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(runtime), adapter, {
    logger: new NestPinoLogger(log),
    bufferLogs: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  const security = securityHeaders();
  // One synchronous hook: an async one costs a promise per request.
  fastify.addHook('onRequest', (req, reply, done) => {
    void reply.headers(security).header('x-request-id', req.id);
    // A `guddu worker` listens only so that orchestrators can probe it.
    if (runtime.role === 'worker' && !WORKER_PATHS.has(req.url.split('?')[0] ?? '')) {
      void reply.code(404).type('application/problem+json').send({ type: 'about:blank', title: 'Not Found', status: 404, code: 'not_found', correlationId: req.id });
      return;
    }
    if (req.url.startsWith('/api/')) void reply.header('cache-control', 'no-store');
    done();
  });
  // Before init, which registers the routes: the 405 check learns them as they are added.
  installEdgeHooks(fastify, log);
  registerApiDocs(fastify, () => buildOpenApi(app, packageVersion()));
  await app.init();
  // After init: Nest registers its own JSON parser during init, and ours must win.
  registerJsonParser(fastify, config.bodyLimitBytes);
  if (runtime.role !== 'worker') {
    await registerConsole(fastify, config.webDir, log);
    app.get(RealtimeGateway).attach(fastify.server);
  }
  assertEveryRouteDeclared(app);
  await app.get(KeyStore).start();
  return app;
}

function trustProxyOption(trust: false | number | string) {
  if (typeof trust !== 'number') return trust;
  return (_address: string, hop: number) => hop < trust;
}
