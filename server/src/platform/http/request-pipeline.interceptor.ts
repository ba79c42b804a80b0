import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { ZodType } from 'zod';
import { permissionsOf, type Permission } from '../access/permissions.js';
import { sessionStanding, stepUpSatisfied } from '../auth/second-factor-rule.js';
import { assertSsoSatisfied } from '../auth/sso-rule.js';
import type { SecondFactorState } from '../context/request-context.js';
import { AccessTokens } from '../auth/access-tokens.js';
import { Transactor } from '../database/transactor.js';
import { platformError } from '../errors/app-error.js';
import { ACCESS_COOKIE, csrfMatches, CSRF_HEADER, isSafeMethod, readCookies } from './cookies.js';
import { anonymousContext } from './ctx.decorator.js';
import { ROUTE_SPEC, type RouteSpec } from './route.decorator.js';

export const ORG_HEADER = 'x-guddu-org';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The path of every request, in order: authenticate (JWT), open the tenant transaction and in
 * the same round trip learn the caller's roles, check the route's permission, validate params,
 * query and body against the route's schemas, run the handler. The handler's queries share the
 * transaction, so a failure anywhere writes nothing.
 */
@Injectable()
export class RequestPipeline implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly tx: Transactor,
    private readonly tokens: AccessTokens,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<RouteSpec | undefined>(ROUTE_SPEC, context.getHandler());
    if (!spec) throw new Error(`route ${context.getClass().name}.${context.getHandler().name} has no @Route`);
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const run = async () => shapeResponse(spec, await lastValueFrom(next.handle(), { defaultValue: undefined }));
    return from(this.handle(spec, req, run));
  }

  private async handle(spec: RouteSpec, req: FastifyRequest, run: () => Promise<unknown>): Promise<unknown> {
    const base = anonymousContext(req);
    if (spec.access === 'public') {
      req.guddu = base;
      validateInput(spec, req);
      return run();
    }
    const claims = await this.tokens.verify(accessToken(req));
    const orgId = requestedOrg(req) ?? claims.org;
    const scope = { orgId, userId: claims.sub, sessionId: claims.sid };
    return this.tx.inRequest(scope, async ({ sessionOk, roles, secondFactor, sso }) => {
      if (!sessionOk) throw platformError('session_revoked', 'The session has ended; sign in again');
      // No role there (nor on any parent): to this caller the organisation does not exist. The
      // one exception is acting on oneself (sign out, own sessions) in the organisation the
      // session was opened in, even after the membership there was removed.
      const selfService = spec.access === 'authenticated' && orgId === claims.org;
      if (roles.length === 0 && !selfService) throw platformError('not_found', 'Organisation not found');
      const permissions = permissionsOf(roles);
      const needed = spec.access;
      if (needed !== 'authenticated' && needed !== 'public' && !permissions.has(needed)) {
        throw platformError('forbidden', `This action needs the ${needed} permission`, { permission: needed });
      }
      // An SSO rule leaves a session not signed in by a provider only self-service (who am I,
      // sign out), as the MFA hold does: nothing in the organisation, whatever the header.
      if (!(spec.duringEnrolment && spec.access === 'authenticated')) assertSsoSatisfied(sso, permissions);
      checkSecondFactor(spec, secondFactor, permissions);
      req.guddu = {
        ...base,
        actor: { type: 'user', id: claims.sub, sessionId: claims.sid },
        orgId,
        roles,
        permissions,
        secondFactor,
        sso,
        ...(spec.stepUp && secondFactor.verifiedAt && secondFactor.method
          ? { stepUp: { method: secondFactor.method, verifiedAt: secondFactor.verifiedAt } }
          : {}),
      };
      validateInput(spec, req);
      return run();
    });
  }
}

/**
 * The sign-in policy's hold on this session (limited to enrolment until a factor is shown) and
 * step-up (a fresh second factor for sensitive actions). Runs after the permission check, so a
 * caller learns about factors only for what they could otherwise do.
 */
function checkSecondFactor(spec: RouteSpec, state: SecondFactorState, permissions: ReadonlySet<Permission>): void {
  if (!spec.duringEnrolment) {
    const standing = sessionStanding(state, permissions);
    if (standing === 'enrol') {
      throw platformError('mfa_enrolment_required', 'This organisation requires a second factor: enrol one first (POST /api/v1/auth/mfa/totp)');
    }
    if (standing === 'verify') {
      throw platformError('mfa_verification_required', 'This organisation requires a second factor: verify it (POST /api/v1/auth/mfa/step-up)');
    }
  }
  if (spec.stepUp && !stepUpSatisfied(state, permissions)) {
    throw platformError('step_up_required', `This action needs a second factor shown within the last ${state.stepUpMinutes} minutes`, {
      maxAgeMinutes: state.stepUpMinutes,
    });
  }
}

/**
 * API clients send a Bearer token; the console sends its httpOnly cookie, and then every unsafe
 * request must echo the CSRF cookie in a header. A Bearer header wins: browsers never add one
 * on their own, so a request carrying it cannot be a forged cross-site one. Routes outside Nest's
 * pipeline (tus uploads) authenticate through this same function.
 */
export function accessToken(req: FastifyRequest): string {
  if (req.headers.authorization !== undefined) return bearerToken(req.headers.authorization);
  const cookies = readCookies(req);
  const token = cookies.get(ACCESS_COOKIE);
  if (!token) throw platformError('unauthenticated', 'Sign in first: send an Authorization: Bearer token');
  if (!isSafeMethod(req.method) && !csrfMatches(req, cookies)) {
    throw platformError('csrf_failed', `A signed-in console request must echo the CSRF cookie in the ${CSRF_HEADER} header`);
  }
  return token;
}

function bearerToken(header: string): string {
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header);
  if (!match) throw platformError('unauthenticated', 'The Authorization header must be "Bearer <token>"');
  return match[1]!;
}

function requestedOrg(req: FastifyRequest): string | undefined {
  const value = req.headers[ORG_HEADER];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw platformError('validation_failed', `${ORG_HEADER} must be an organisation id`);
  }
  return value.toLowerCase();
}

function parsePart(schema: ZodType, value: unknown, where: 'params' | 'query' | 'body'): unknown {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw platformError(
    'validation_failed',
    `The request ${where === 'params' ? 'path' : where} is invalid`,
    result.error.issues.flatMap((i): { in: typeof where; path: string; code: string; message: string }[] =>
      // One entry per unknown field, with the field as its path, so a client can point at it.
      i.code === 'unrecognized_keys'
        ? i.keys.map((key) => ({ in: where, path: [...i.path, key].join('.'), code: i.code, message: `Unrecognized key: "${key}"` }))
        : [{ in: where, path: i.path.join('.'), code: i.code, message: i.message }],
    ),
  );
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0);
}

function validateInput(spec: RouteSpec, req: FastifyRequest): void {
  const r = req as unknown as { params: unknown; query: unknown; body: unknown };
  if (spec.params) r.params = parsePart(spec.params, r.params, 'params');
  if (spec.query) r.query = parsePart(spec.query, r.query ?? {}, 'query');
  else if (!isEmpty(r.query)) throw platformError('validation_failed', 'This route takes no query parameters');
  if (spec.body) r.body = parsePart(spec.body, r.body, 'body');
  else if (!isEmpty(r.body)) throw platformError('validation_failed', 'This route takes no request body');
}

/**
 * Responses go out through their declared schema: fields the schema does not name are dropped,
 * so a repository that selects a column too many cannot leak it, and a handler that breaks its
 * contract fails loudly in tests instead of silently in production clients.
 */
function shapeResponse(spec: RouteSpec, value: unknown): unknown {
  if (!spec.response) return value;
  if (spec.csv && typeof value === 'string') return value;
  const result = spec.response.safeParse(value);
  if (!result.success) throw new Error(`response of "${spec.summary}" breaks its schema: ${result.error.message}`);
  return result.data;
}
