import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, login, PASSWORD, seedRootOrg, startTestApp, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

type Jar = Map<string, string>;
interface SetCookie {
  name: string;
  value: string;
  attrs: string[];
}

function setCookies(res: { headers: Record<string, unknown> }): SetCookie[] {
  const raw = res.headers['set-cookie'] as string | string[] | undefined;
  const lines = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return lines.map((line) => {
    const [pair = '', ...attrs] = line.split('; ');
    const eq = pair.indexOf('=');
    return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attrs };
  });
}

/** What a browser keeps: the latest value of each cookie, dropped when it expires at once. */
function absorb(jar: Jar, res: { headers: Record<string, unknown> }): Jar {
  for (const c of setCookies(res)) {
    if (c.attrs.includes('Max-Age=0')) jar.delete(c.name);
    else jar.set(c.name, c.value);
  }
  return jar;
}

const cookieHeader = (jar: Jar, names = [...jar.keys()]) => names.map((n) => `${n}=${jar.get(n)}`).join('; ');

async function consoleSignIn(email: string, headers: Record<string, string> = {}) {
  const res = await call(t, { method: 'POST', url: '/api/v1/auth/session', payload: { email, password: PASSWORD }, headers });
  expect(res.statusCode, res.body).toBe(200);
  return { res, jar: absorb(new Map(), res) };
}

const codeOf = (res: { json: <T>() => T }) => res.json<{ code: string }>().code;

describe('console sign-in with cookies', () => {
  it('sets httpOnly SameSite=Strict token cookies, a readable CSRF cookie, and answers no token', async () => {
    const { ownerEmail, orgId } = await seedRootOrg(t, 'Ministry Cookies');
    const { res } = await consoleSignIn(ownerEmail);
    const body = res.json<Record<string, unknown>>();
    expect(body).toMatchObject({ organisationId: orgId, expiresIn: 900 });
    expect(body).not.toHaveProperty('accessToken');
    expect(body).not.toHaveProperty('refreshToken');
    const byName = new Map(setCookies(res).map((c) => [c.name, c]));
    expect(byName.get('guddu_access')?.attrs).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/api']));
    expect(byName.get('guddu_refresh')?.attrs).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/api/v1/auth/session']));
    expect(byName.get('guddu_csrf')?.attrs).not.toContain('HttpOnly');
    expect(byName.get('guddu_csrf')?.value).toBe(body.csrfToken);
    // Plain http here: Secure would make the browser drop them.
    for (const c of byName.values()) expect(c.attrs).not.toContain('Secure');
  });

  it('marks the cookies Secure when served over TLS (behind a trusted proxy)', async () => {
    const proxied = await startTestApp({ GUDDU_TRUST_PROXY: '1' });
    try {
      const { ownerEmail } = await seedRootOrg(proxied, 'Ministry Behind Proxy');
      const res = await call(proxied, {
        method: 'POST',
        url: '/api/v1/auth/session',
        payload: { email: ownerEmail, password: PASSWORD },
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(res.statusCode, res.body).toBe(200);
      for (const c of setCookies(res)) expect(c.attrs).toContain('Secure');
    } finally {
      await proxied.close();
    }
  });

  it('authenticates reads with the access cookie alone', async () => {
    const { ownerEmail } = await seedRootOrg(t, 'Ministry Cookie Reads');
    const { jar } = await consoleSignIn(ownerEmail);
    const me = await call(t, { method: 'GET', url: '/api/v1/me', headers: { cookie: cookieHeader(jar, ['guddu_access']) } });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json<{ user: { email: string } }>().user.email).toBe(ownerEmail);
  });

  it('refuses a cookie-authenticated write without the CSRF header, or with the wrong one, with 403 csrf_failed', async () => {
    const { ownerEmail } = await seedRootOrg(t, 'Ministry Csrf');
    const { jar } = await consoleSignIn(ownerEmail);
    const payload = { title: 'Forged', content: { bodies: { en: 'Nobody asked for this' } } };
    const forged = await call(t, { method: 'POST', url: '/api/v1/messages', payload, headers: { cookie: cookieHeader(jar) } });
    expect(forged.statusCode).toBe(403);
    expect(codeOf(forged)).toBe('csrf_failed');
    const wrong = await call(t, { method: 'POST', url: '/api/v1/messages', payload, headers: { cookie: cookieHeader(jar), 'x-csrf-token': 'x'.repeat(43) } });
    expect(codeOf(wrong)).toBe('csrf_failed');
    const list = await call(t, { method: 'GET', url: '/api/v1/messages', headers: { cookie: cookieHeader(jar) } });
    expect(list.json<{ items: unknown[] }>().items).toHaveLength(0);
    const honest = await call(t, { method: 'POST', url: '/api/v1/messages', payload, headers: { cookie: cookieHeader(jar), 'x-csrf-token': jar.get('guddu_csrf')! } });
    expect(honest.statusCode, honest.body).toBe(201);
  });

  it('keeps Bearer clients working without any CSRF header', async () => {
    const { ownerEmail } = await seedRootOrg(t, 'Ministry Bearer');
    const session = await login(t, ownerEmail);
    const res = await call(t, { method: 'POST', url: '/api/v1/messages', token: session.accessToken, payload: { title: 'By API', content: { bodies: { en: 'Hello' } } } });
    expect(res.statusCode, res.body).toBe(201);
  });

  it('rotates the cookies on refresh, and a replayed refresh cookie ends the session', async () => {
    const { ownerEmail } = await seedRootOrg(t, 'Ministry Rotation');
    const { jar } = await consoleSignIn(ownerEmail);
    const first = new Map(jar);
    const refresh = (j: Jar) => call(t, { method: 'POST', url: '/api/v1/auth/session/refresh', headers: { cookie: cookieHeader(j), 'x-csrf-token': j.get('guddu_csrf')! } });

    const noCsrf = await call(t, { method: 'POST', url: '/api/v1/auth/session/refresh', headers: { cookie: cookieHeader(jar) } });
    expect(codeOf(noCsrf)).toBe('csrf_failed');

    const rotated = await refresh(jar);
    expect(rotated.statusCode, rotated.body).toBe(200);
    absorb(jar, rotated);
    expect(jar.get('guddu_refresh')).not.toBe(first.get('guddu_refresh'));
    expect(jar.get('guddu_csrf')).not.toBe(first.get('guddu_csrf'));
    const me = await call(t, { method: 'GET', url: '/api/v1/me', headers: { cookie: cookieHeader(jar) } });
    expect(me.statusCode).toBe(200);

    const replay = await refresh(first);
    expect(replay.statusCode).toBe(401);
    expect(codeOf(replay)).toBe('refresh_token_reused');
    expect(setCookies(replay).map((c) => c.attrs.includes('Max-Age=0'))).toEqual([true, true, true]);
    const after = await call(t, { method: 'GET', url: '/api/v1/me', headers: { cookie: cookieHeader(jar) } });
    expect(codeOf(after)).toBe('session_revoked');
  });

  it('signs out: the session ends and the cookies are cleared', async () => {
    const { ownerEmail } = await seedRootOrg(t, 'Ministry Sign-out');
    const { jar } = await consoleSignIn(ownerEmail);
    const kept = new Map(jar);
    const out = await call(t, { method: 'DELETE', url: '/api/v1/auth/session', headers: { cookie: cookieHeader(jar), 'x-csrf-token': jar.get('guddu_csrf')! } });
    expect(out.statusCode, out.body).toBe(204);
    expect(absorb(jar, out).size).toBe(0);
    const stale = await call(t, { method: 'GET', url: '/api/v1/me', headers: { cookie: cookieHeader(kept) } });
    expect(codeOf(stale)).toBe('session_revoked');
  });

  it('signs out everywhere: every session of the user ends, console and API alike, and it is audited', async () => {
    const { ownerEmail, owner } = await seedRootOrg(t, 'Ministry Everywhere');
    const { jar } = await consoleSignIn(ownerEmail);
    const other = await login(t, ownerEmail);
    const out = await call(t, { method: 'DELETE', url: '/api/v1/auth/sessions', headers: { cookie: cookieHeader(jar), 'x-csrf-token': jar.get('guddu_csrf')! } });
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json<{ sessionsEnded: number }>().sessionsEnded).toBeGreaterThanOrEqual(3);
    for (const token of [owner.accessToken, other.accessToken]) {
      const res = await call(t, { method: 'GET', url: '/api/v1/me', token });
      expect(codeOf(res)).toBe('session_revoked');
    }
    const refresh = await call(t, { method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: other.refreshToken } });
    expect(refresh.statusCode).toBe(401);
    const again = await login(t, ownerEmail);
    const audit = await call(t, { method: 'GET', url: '/api/v1/audit?action=auth.signed_out_everywhere', token: again.accessToken });
    expect(audit.statusCode, audit.body).toBe(200);
    expect(audit.json<{ items: unknown[] }>().items).toHaveLength(1);
  });
});
