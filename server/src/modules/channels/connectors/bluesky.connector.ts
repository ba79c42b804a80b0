import { ConnectorError, hostOf, type ConnectorEnv, type PasswordConnector, type TokenSet } from './connector.js';
import { errorText, need, networkCall } from './network-http.js';

const PDS = 'https://bsky.social';
/** What the PDS documents when the JWT cannot be read: 2 hours access, 90 days refresh (a margin off each). */
const ACCESS_FALLBACK_MS = 115 * 60_000;
const REFRESH_FALLBACK_MS = 89 * 24 * 3600_000;

/** The `exp` of a JWT, in ms, when the token is one; the PDS's tokens are, the sandbox's are opaque. */
function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function sessionTokens(body: Record<string, unknown>, env: ConnectorEnv): TokenSet {
  const accessToken = need(body, 'accessJwt', 'Bluesky session');
  const refreshToken = need(body, 'refreshJwt', 'Bluesky session');
  return {
    accessToken,
    refreshToken,
    accessExpiresAt: jwtExpiry(accessToken) ?? env.now() + ACCESS_FALLBACK_MS,
    refreshExpiresAt: jwtExpiry(refreshToken) ?? env.now() + REFRESH_FALLBACK_MS,
    scopes: ['com.atproto.access'],
  };
}

/**
 * Bluesky: a handle and an app password open a session on the account's PDS; Guddu keeps the
 * session (never the password). refreshSession rotates both tokens; an old refresh token used
 * again is refused, so the new pair replaces the old under the channel's row lock.
 */
export const blueskyConnector: PasswordConnector = {
  network: 'bluesky',
  flow: 'password',
  defaultBaseUrl: PDS,

  async createSession(env, p) {
    const res = await networkCall(`${hostOf(env, PDS)}/xrpc/com.atproto.server.createSession`, { json: { identifier: p.identifier, password: p.password } });
    if (res.status !== 200) throw new ConnectorError('refused', `Bluesky refused the sign-in: ${errorText(res.body)}`);
    const handle = need(res.body, 'handle', 'Bluesky session');
    return { accountId: need(res.body, 'did', 'Bluesky session'), handle: `@${handle}`, displayName: handle, tokens: sessionTokens(res.body, env), extra: { did: need(res.body, 'did', 'Bluesky session'), handle } };
  },

  async refresh(env, held) {
    if (!held.refreshToken) throw new ConnectorError('revoked', 'No Bluesky session to refresh');
    const res = await networkCall(`${hostOf(env, PDS)}/xrpc/com.atproto.server.refreshSession`, { method: 'POST', headers: { authorization: `Bearer ${held.refreshToken}` } });
    if (res.status === 400 || res.status === 401) throw new ConnectorError('revoked', `Bluesky refused the session: ${errorText(res.body)}`);
    if (res.status !== 200) throw new ConnectorError('transient', `Bluesky answered ${res.status}`);
    return sessionTokens(res.body, env);
  },

  async revoke(env, held) {
    if (held.refreshToken) await networkCall(`${hostOf(env, PDS)}/xrpc/com.atproto.server.deleteSession`, { method: 'POST', headers: { authorization: `Bearer ${held.refreshToken}` } });
  },
};
