import { ConnectorError, hostOf, type ConnectorEnv, type DiscoveredAccount, type HeldCredentials, type OAuthConnector, type TokenSet } from './connector.js';
import { errorText, expiryOf, need, networkCall, scopesOf, str } from './network-http.js';

const AUTH = 'https://x.com';
const API = 'https://api.x.com';

const basic = (env: ConnectorEnv) => `Basic ${Buffer.from(`${encodeURIComponent(env.clientId)}:${encodeURIComponent(env.clientSecret)}`).toString('base64')}`;

function tokensOf(body: Record<string, unknown>, now: number): TokenSet {
  return { accessToken: need(body, 'access_token', 'X token'), refreshToken: str(body.refresh_token), accessExpiresAt: expiryOf(body, now), scopes: scopesOf(body.scope, /\s+/) };
}

/**
 * X: OAuth 2.0 with PKCE (S256) as a confidential client. `offline.access` earns a refresh token
 * that rotates on every use: the new one must replace the old in the same transaction, since the
 * old one, used again, revokes the whole grant (the caller holds the channel's row lock).
 */
export const xConnector: OAuthConnector = {
  network: 'x',
  flow: 'oauth',
  defaultBaseUrl: API,
  scopes: ['tweet.read', 'tweet.write', 'users.read', 'offline.access', 'media.write'],
  pkce: true,
  refreshes: true,

  authorizeUrl(env, p) {
    const q = new URLSearchParams({ response_type: 'code', client_id: env.clientId, redirect_uri: env.redirectUri, scope: this.scopes.join(' '), state: p.state, code_challenge: p.codeChallenge ?? '', code_challenge_method: 'S256' });
    return `${hostOf(env, AUTH)}/i/oauth2/authorize?${q.toString()}`;
  },

  async exchange(env, p) {
    const res = await networkCall(`${hostOf(env, API)}/2/oauth2/token`, { headers: { authorization: basic(env) }, form: { grant_type: 'authorization_code', code: p.code, redirect_uri: env.redirectUri, code_verifier: p.codeVerifier, client_id: env.clientId } });
    if (res.status !== 200) throw new ConnectorError('refused', `X refused the code: ${errorText(res.body)}`);
    const tokens = tokensOf(res.body, env.now());
    const me = await networkCall(`${hostOf(env, API)}/2/users/me`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    const data = me.body.data as Record<string, unknown> | undefined;
    if (me.status !== 200 || !data) throw new ConnectorError('refused', `X did not say who signed in: ${errorText(me.body)}`);
    const username = need(data, 'username', 'X user');
    const account: DiscoveredAccount = { accountId: need(data, 'id', 'X user'), handle: `@${username}`, displayName: str(data.name) ?? username, tokens, extra: { username } };
    return [account];
  },

  async refresh(env, held: HeldCredentials) {
    if (!held.refreshToken) throw new ConnectorError('revoked', 'X gave no refresh token (offline.access was not granted)');
    const res = await networkCall(`${hostOf(env, API)}/2/oauth2/token`, { headers: { authorization: basic(env) }, form: { grant_type: 'refresh_token', refresh_token: held.refreshToken, client_id: env.clientId } });
    if (res.status !== 200) throw new ConnectorError('revoked', `X refused the refresh token: ${errorText(res.body)}`);
    return tokensOf(res.body, env.now());
  },

  async revoke(env, held) {
    for (const token of [held.refreshToken, held.accessToken]) {
      if (token) await networkCall(`${hostOf(env, API)}/2/oauth2/revoke`, { headers: { authorization: basic(env) }, form: { token, client_id: env.clientId } });
    }
  },
};
