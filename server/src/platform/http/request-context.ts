import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Permission } from '../access/permissions.js';

export type Actor = { type: 'user'; id: string; sessionId: string } | { type: 'system'; name: string };

/**
 * What a service needs to know about who is asking: actor, organisation, permissions, and the
 * request facts that go into the audit record. Jobs and the CLI build one with `systemContext`.
 */
export interface RequestContext {
  correlationId: string;
  ip: string | undefined;
  userAgent: string | undefined;
  actor: Actor | undefined;
  orgId: string | undefined;
  roles: readonly string[];
  permissions: ReadonlySet<Permission>;
}

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

export function systemContext(name: string, orgId?: string, correlationId = `system:${name}`): RequestContext {
  return {
    correlationId,
    ip: undefined,
    userAgent: undefined,
    actor: { type: 'system', name },
    orgId,
    roles: [],
    permissions: new Set(),
  };
}

/** The caller's context, in a controller: `@Ctx() ctx: RequestContext`. */
export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext): RequestContext => {
  const req = context.switchToHttp().getRequest<FastifyRequest>();
  return req.guddu ?? anonymousContext(req);
});

/** A signed-in user's context; the pipeline guarantees it on non-public routes. */
export function userOf(ctx: RequestContext): { id: string; sessionId: string } {
  if (ctx.actor?.type !== 'user') throw new Error('route requires a signed-in user');
  return ctx.actor;
}

export function orgOf(ctx: RequestContext): string {
  if (!ctx.orgId) throw new Error('route requires an organisation context');
  return ctx.orgId;
}
