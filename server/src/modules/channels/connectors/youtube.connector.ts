import { ConnectorError, hostOf, type OAuthConnector, type TokenSet } from './connector.js';
import { errorText, expiryOf, need, networkCall, scopesOf, str } from './network-http.js';

const ACCOUNTS = 'https://accounts.google.com';
const OAUTH = 'https://oauth2.googleapis.com';
const API = 'https://www.googleapis.com';

function tokensOf(body: Record<string, unknown>, now: number): TokenSet {
  return { accessToken: need(body, 'access_token', 'Google token'), refreshToken: str(body.refresh_token), accessExpiresAt: expiryOf(body, now), scopes: scopesOf(body.scope, /\s+/) };
}

/**
 * YouTube: Google OAuth with PKCE and access_type=offline. Google returns a refresh token only
 * on a consent screen, so the first connect asks for consent (prompt=consent); later reconnects
 * may come back without one and keep the one held. Refresh tokens do not rotate.
 */
export const youtubeConnector: OAuthConnector = {
  network: 'youtube',
  flow: 'oauth',
  defaultBaseUrl: API,
  scopes: [
    'https://www.googleapis.com/auth/youtube.upload',
    'https://www.googleapis.com/auth/youtube',
    'https://www.googleapis.com/auth/youtube.force-ssl',
    'https://www.googleapis.com/auth/yt-analytics.readonly',
  ],
  pkce: true,
  refreshes: true,

  authorizeUrl(env, p) {
    const q = new URLSearchParams({
      client_id: env.clientId,
      redirect_uri: env.redirectUri,
      response_type: 'code',
      scope: this.scopes.join(' '),
      state: p.state,
      access_type: 'offline',
      include_granted_scopes: 'true',
      code_challenge: p.codeChallenge ?? '',
      code_challenge_method: 'S256',
      ...(p.firstConnect ? { prompt: 'consent' } : {}),
    });
    return `${hostOf(env, ACCOUNTS)}/o/oauth2/v2/auth?${q.toString()}`;
  },

  async exchange(env, p) {
    const res = await networkCall(`${hostOf(env, OAUTH)}/token`, { form: { grant_type: 'authorization_code', code: p.code, redirect_uri: env.redirectUri, client_id: env.clientId, client_secret: env.clientSecret, code_verifier: p.codeVerifier } });
    if (res.status !== 200) throw new ConnectorError('refused', `Google refused the code: ${errorText(res.body)}`);
    const tokens = tokensOf(res.body, env.now());
    const mine = await networkCall(`${hostOf(env, API)}/youtube/v3/channels?part=snippet&mine=true`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    const items = Array.isArray(mine.body.items) ? (mine.body.items as Record<string, unknown>[]) : [];
    if (mine.status !== 200 || items.length === 0) throw new ConnectorError('refused', `This Google account has no YouTube channel: ${errorText(mine.body)}`);
    return items.map((item) => ({
      accountId: need(item, 'id', 'YouTube channel'),
      handle: str((item.snippet as Record<string, unknown> | undefined)?.customUrl) ?? null,
      displayName: str((item.snippet as Record<string, unknown> | undefined)?.title) ?? 'YouTube channel',
      tokens,
      extra: {},
    }));
  },

  async refresh(env, held) {
    if (!held.refreshToken) throw new ConnectorError('revoked', 'Google gave no refresh token: re-authorise with consent');
    const res = await networkCall(`${hostOf(env, OAUTH)}/token`, { form: { grant_type: 'refresh_token', refresh_token: held.refreshToken, client_id: env.clientId, client_secret: env.clientSecret } });
    if (res.status !== 200) throw new ConnectorError(res.body.error === 'invalid_grant' ? 'revoked' : 'transient', `Google did not refresh the token: ${errorText(res.body)}`);
    return tokensOf(res.body, env.now());
  },

  async revoke(env, held) {
    await networkCall(`${hostOf(env, OAUTH)}/revoke`, { form: { token: held.refreshToken ?? held.accessToken } });
  },
};
