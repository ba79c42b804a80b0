import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomToken } from '../../platform/crypto/tokens.js';
import {
  ACCESS_COOKIE,
  appendCookies,
  CSRF_COOKIE,
  isSecure,
  REFRESH_COOKIE,
  REFRESH_PATH,
  serializeCookie,
} from '../../platform/http/cookies.js';
import type { TokenPair } from './auth.service.js';

export interface ConsoleSessionView {
  organisationId: string;
  expiresIn: number;
  csrfToken: string;
}

/**
 * Puts a token pair into the console's cookies and answers what a page script may know: no
 * token, only the CSRF value it must echo and when to refresh. A new CSRF value comes with every
 * pair, so one leaked with an old page is spent at the next refresh.
 */
export function setSessionCookies(req: FastifyRequest, reply: FastifyReply, pair: TokenPair, refreshTtlSeconds: number): ConsoleSessionView {
  const secure = isSecure(req);
  const csrfToken = randomToken();
  appendCookies(reply, [
    serializeCookie(ACCESS_COOKIE, pair.accessToken, { path: '/api', maxAgeSeconds: pair.expiresIn, httpOnly: true, secure }),
    serializeCookie(REFRESH_COOKIE, pair.refreshToken, { path: REFRESH_PATH, maxAgeSeconds: refreshTtlSeconds, httpOnly: true, secure }),
    serializeCookie(CSRF_COOKIE, csrfToken, { path: '/', maxAgeSeconds: refreshTtlSeconds, httpOnly: false, secure }),
  ]);
  return { organisationId: pair.organisationId, expiresIn: pair.expiresIn, csrfToken };
}

export function clearSessionCookies(req: FastifyRequest, reply: FastifyReply): void {
  const secure = isSecure(req);
  appendCookies(reply, [
    serializeCookie(ACCESS_COOKIE, '', { path: '/api', maxAgeSeconds: 0, httpOnly: true, secure }),
    serializeCookie(REFRESH_COOKIE, '', { path: REFRESH_PATH, maxAgeSeconds: 0, httpOnly: true, secure }),
    serializeCookie(CSRF_COOKIE, '', { path: '/', maxAgeSeconds: 0, httpOnly: false, secure }),
  ]);
}
