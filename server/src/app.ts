import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController, type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { AppModule } from './app.module.js';
import { KeyStore } from './platform/auth/key-store.js';
import { registerJsonParser } from './platform/http/json-body.js';
import { registerConsole } from './platform/http/console-static.js';
import { sendProblem } from './platform/http/problem.filter.js';
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
    return503OnClosing: true,
    // Errors the router raises before any route runs (a malformed %-escape, an over-long
    // parameter) get the same problem document as everything else.
    frameworkErrors: (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      void reply.header('x-request-id', req.id);
      sendProblem(err, req, reply, log);
    },
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
  await app.register(helmet, {
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    hsts: { maxAge: 31_536_000, includeSubDomains: true },
  });
  fastify.addHook('onRequest', async (req, reply) => {
    void reply.header('x-request-id', req.id);
    // A `guddu worker` listens only so that orchestrators can probe it.
    if (runtime.role === 'worker' && !WORKER_PATHS.has(req.url.split('?')[0] ?? '')) {
      return reply.code(404).type('application/problem+json').send({ type: 'about:blank', title: 'Not Found', status: 404, code: 'not_found', correlationId: req.id });
    }
    if (req.url.startsWith('/api/')) void reply.header('cache-control', 'no-store');
  });
  await app.init();
  // After init: Nest registers its own JSON parser during init, and ours must win.
  registerJsonParser(fastify, config.bodyLimitBytes);
  if (runtime.role !== 'worker') await registerConsole(fastify, config.webDir, log);
  assertEveryRouteDeclared(app);
  await app.get(KeyStore).start();
  return app;
}

function trustProxyOption(trust: false | number | string) {
  if (typeof trust !== 'number') return trust;
  return (_address: string, hop: number) => hop < trust;
}
