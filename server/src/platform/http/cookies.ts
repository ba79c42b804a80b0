import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The console's session lives in cookies (decision 0016): the tokens are httpOnly, so no page
 * script can read them, and SameSite=Strict, so no other site's page can send them. The CSRF
 * cookie is the one a page script reads, to echo in the `x-csrf-token` header of every unsafe
 * request (double submit): another site can neither read it nor set the header.
 */
export const ACCESS_COOKIE = 'guddu_access';
export const REFRESH_COOKIE = 'guddu_refresh';
export const CSRF_COOKIE = 'guddu_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** The refresh token goes only to the session routes, never with every API call. */
export const REFRESH_PATH = '/api/v1/auth/session';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const COOKIE_NAME = /^[A-Za-z0-9_-]+$/;
const COOKIE_VALUE = /^[A-Za-z0-9._~+/=-]*$/;

export function readCookies(req: FastifyRequest): Map<string, string> {
  const found = new Map<string, string>();
  const header = req.headers.cookie;
  if (!header) return found;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    // The first of two same-named cookies is the more specific path; keep it.
    if (COOKIE_NAME.test(name) && COOKIE_VALUE.test(value) && !found.has(name)) found.set(name, value);
  }
  return found;
}

export interface CookieOptions {
  maxAgeSeconds: number;
  path: string;
  httpOnly: boolean;
  secure: boolean;
  /** Strict unless a cookie must come back on a navigation from another site (an SSO callback). */
  sameSite?: 'Strict' | 'Lax';
}

export function serializeCookie(name: string, value: string, o: CookieOptions): string {
  const parts = [`${name}=${value}`, `Path=${o.path}`, `Max-Age=${Math.max(0, Math.floor(o.maxAgeSeconds))}`, `SameSite=${o.sameSite ?? 'Strict'}`];
  if (o.httpOnly) parts.push('HttpOnly');
  if (o.secure) parts.push('Secure');
  return parts.join('; ');
}

/** Adds Set-Cookie lines without dropping ones set earlier in the same reply. */
export function appendCookies(reply: FastifyReply, lines: string[]): void {
  const existing = reply.getHeader('set-cookie');
  const before = existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  void reply.header('set-cookie', [...before, ...lines]);
}

/** Served over TLS, directly or (with GUDDU_TRUST_PROXY) behind a proxy that says so. */
export function isSecure(req: FastifyRequest): boolean {
  return req.protocol === 'https';
}

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/** True when the request echoes its CSRF cookie in the header; both must be present. */
export function csrfMatches(req: FastifyRequest, cookies: Map<string, string>): boolean {
  const cookie = cookies.get(CSRF_COOKIE);
  const header = req.headers[CSRF_HEADER];
  if (!cookie || typeof header !== 'string') return false;
  // Compare bytes, not characters: a header's latin1 characters can differ in byte length.
  const given = Buffer.from(header);
  const expected = Buffer.from(cookie);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
