import { ConnectorError, hostOf, type OAuthConnector, type TokenSet } from './connector.js';
import { errorText, expiryOf, need, networkCall, str } from './network-http.js';

const AUTHORIZE = 'https://www.instagram.com';
const OAUTH = 'https://api.instagram.com';
const GRAPH = 'https://graph.instagram.com';

function longLived(body: Record<string, unknown>, now: number, scopes: string[]): TokenSet {
  return { accessToken: need(body, 'access_token', 'Instagram token'), accessExpiresAt: expiryOf(body, now), scopes };
}

/**
 * Instagram with Instagram Login (a professional account, no Facebook Page): code → 1-hour
 * token → 60-day token, refreshed (not rotated) once it is a day old and before it expires.
 */
export const instagramConnector: OAuthConnector = {
  network: 'instagram',
  flow: 'oauth',
  defaultBaseUrl: GRAPH,
  scopes: ['instagram_business_basic', 'instagram_business_content_publish', 'instagram_business_manage_comments', 'instagram_business_manage_insights'],
  pkce: false,
  refreshes: true,

  authorizeUrl(env, p) {
    const q = new URLSearchParams({ client_id: env.clientId, redirect_uri: env.redirectUri, response_type: 'code', scope: this.scopes.join(','), state: p.state });
    return `${hostOf(env, AUTHORIZE)}/oauth/authorize?${q.toString()}`;
  },

  async exchange(env, p) {
    const short = await networkCall(`${hostOf(env, OAUTH)}/oauth/access_token`, { form: { client_id: env.clientId, client_secret: env.clientSecret, grant_type: 'authorization_code', redirect_uri: env.redirectUri, code: p.code } });
    if (short.status !== 200) throw new ConnectorError('refused', `Instagram refused the code: ${errorText(short.body)}`);
    const shortToken = need(short.body, 'access_token', 'Instagram token');
    const granted = Array.isArray(short.body.permissions) ? short.body.permissions.map(String) : [...this.scopes];
    const long = await networkCall(`${hostOf(env, GRAPH)}/access_token?${new URLSearchParams({ grant_type: 'ig_exchange_token', client_secret: env.clientSecret, access_token: shortToken }).toString()}`, {});
    if (long.status !== 200) throw new ConnectorError('refused', `Instagram refused a long-lived token: ${errorText(long.body)}`);
    const tokens = longLived(long.body, env.now(), granted);
    const me = await networkCall(`${hostOf(env, GRAPH)}/me?${new URLSearchParams({ fields: 'user_id,username', access_token: tokens.accessToken }).toString()}`, {});
    if (me.status !== 200) throw new ConnectorError('refused', `Instagram did not say who signed in: ${errorText(me.body)}`);
    const username = str(me.body.username) ?? 'instagram';
    return [{ accountId: str(me.body.user_id) ?? need(me.body, 'id', 'Instagram user'), handle: `@${username}`, displayName: username, tokens, extra: { flavour: 'instagram_login' } }];
  },

  async refresh(env, held) {
    const res = await networkCall(`${hostOf(env, GRAPH)}/refresh_access_token?${new URLSearchParams({ grant_type: 'ig_refresh_token', access_token: held.accessToken }).toString()}`, {});
    if (res.status === 200) return longLived(res.body, env.now(), []);
    const code = (res.body.error as Record<string, unknown> | undefined)?.code;
    // 190: the token is gone; anything else (a token under a day old: #10) is worth another try later.
    throw new ConnectorError(code === 190 ? 'revoked' : 'transient', `Instagram did not refresh the token: ${errorText(res.body)}`);
  },
};
