import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../context/request-context.js';

declare module 'fastify' {
  interface FastifyRequest {
    guddu?: RequestContext;
  }
}

export function anonymousContext(req: FastifyRequest): RequestContext {
  return {
    correlationId: req.id,
    ip: req.ip,
    userAgent: req.headers['user-agent']?.slice(0, 500),
    actor: undefined,
    orgId: undefined,
    roles: [],
    permissions: new Set(),
  };
}

/** The caller's context, in a controller: `@Ctx() ctx: RequestContext`. */
export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext): RequestContext => {
  const req = context.switchToHttp().getRequest<FastifyRequest>();
  return req.guddu ?? anonymousContext(req);
});
