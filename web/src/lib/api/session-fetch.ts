/**
 * The console's fetch: the session rides in httpOnly cookies the page cannot read; the page
 * reads only the CSRF cookie and echoes it on unsafe requests. When the short-lived access
 * cookie has expired (401), the session is refreshed once (rotating the refresh cookie) and the
 * request retried; concurrent 401s share that one refresh.
 */
const CSRF_COOKIE = 'guddu_csrf';
const CSRF_HEADER = 'x-csrf-token';
const SESSION_PATH = '/api/v1/auth/session';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function csrfToken(): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === CSRF_COOKIE) return rest.join('=');
  }
  return undefined;
}

function withCsrf(request: Request): Request {
  if (SAFE.has(request.method)) return request;
  const token = csrfToken();
  if (!token) return request;
  const headers = new Headers(request.headers);
  headers.set(CSRF_HEADER, token);
  return new Request(request, { headers });
}

let refreshing: Promise<boolean> | undefined;

export function refreshSession(): Promise<boolean> {
  // No CSRF cookie: there is no console session to refresh (never signed in, or signed out).
  if (!csrfToken()) return Promise.resolve(false);
  refreshing ??= fetch(`${SESSION_PATH}/refresh`, { method: 'POST', headers: { [CSRF_HEADER]: csrfToken() ?? '' }, credentials: 'same-origin' })
    .then((res) => res.ok)
    .catch(() => false)
    .finally(() => {
      refreshing = undefined;
    });
  return refreshing;
}

export async function sessionFetch(request: Request): Promise<Response> {
  const retry = request.clone();
  const response = await fetch(withCsrf(request));
  const path = new URL(request.url).pathname;
  if (response.status !== 401 || path.startsWith(SESSION_PATH)) return response;
  if (!(await refreshSession())) return response;
  return fetch(withCsrf(retry));
}
