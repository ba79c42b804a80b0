import { SetMetadata } from '@nestjs/common';
import type { ZodType } from 'zod';
import type { Permission } from '../access/permissions.js';

/**
 * Who may call a route: a named permission in the caller's organisation; `authenticated` for
 * any signed-in user acting on themselves; `public` for sign-in, setup and probes.
 */
export type RouteAccess = Permission | 'authenticated' | 'public';

export interface RouteSpec {
  summary: string;
  access: RouteAccess;
  tags?: string[];
  params?: ZodType;
  query?: ZodType;
  body?: ZodType;
  response?: ZodType;
  /**
   * The handler may answer `text/csv` (a string) instead, when the client's Accept prefers it;
   * the response schema then does not apply, and the OpenAPI document lists both formats.
   */
  csv?: boolean;
  /** Success status, when not Nest's default; boot fails unless @HttpCode says the same. */
  status?: number;
  /** Problem codes the route can answer with, beyond the ones every route can. */
  errors?: string[];
  /**
   * Callable by a session that the sign-in policy limits to enrolling or proving a second
   * factor (sign out, who am I, the factor routes themselves).
   */
  duringEnrolment?: boolean;
  /** A sensitive action: needs a second factor shown within the organisation's step-up minutes. */
  stepUp?: boolean;
}

export const ROUTE_SPEC = Symbol('guddu.route');

/**
 * The one decorator every route carries: its permission and its schemas. The request pipeline
 * enforces both, the OpenAPI document is generated from them, and boot fails on a route
 * without one.
 */
export const Route = (spec: RouteSpec) => SetMetadata(ROUTE_SPEC, spec);
