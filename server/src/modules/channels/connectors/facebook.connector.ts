import { ConnectorError, hostOf, type OAuthConnector } from './connector.js';
import { errorText, need, networkCall, str } from './network-http.js';

const VERSION = 'v21.0';
const DIALOG = 'https://www.facebook.com';
const GRAPH = 'https://graph.facebook.com';

const graph = (base: string, path: string, q: Record<string, string>) => `${base}/${VERSION}${path}?${new URLSearchParams(q).toString()}`;

/**
 * Facebook Pages: the officer's user token (short, then exchanged for a 60-day one) lists the
 * Pages they manage with a Page token each; a Page token from a long-lived user token does not
 * expire, so there is nothing to refresh, only to check (debug_token) and re-authorise when the
 * officer's password or Page role changes.
 */
export const facebookConnector: OAuthConnector = {
  network: 'facebook',
  flow: 'oauth',
  defaultBaseUrl: GRAPH,
  scopes: ['pages_show_list', 'pages_manage_posts', 'pages_read_engagement', 'pages_manage_metadata', 'publish_video', 'pages_manage_engagement', 'pages_read_user_engagement', 'read_insights'],
  pkce: false,
  refreshes: false,

  authorizeUrl(env, p) {
    const q = new URLSearchParams({ client_id: env.clientId, redirect_uri: env.redirectUri, state: p.state, scope: this.scopes.join(','), response_type: 'code' });
    return `${hostOf(env, DIALOG)}/${VERSION}/dialog/oauth?${q.toString()}`;
  },

  async exchange(env, p) {
    const base = hostOf(env, GRAPH);
    const short = await networkCall(graph(base, '/oauth/access_token', { client_id: env.clientId, client_secret: env.clientSecret, redirect_uri: env.redirectUri, code: p.code }), {});
    if (short.status !== 200) throw new ConnectorError('refused', `Facebook refused the code: ${errorText(short.body)}`);
    const long = await networkCall(graph(base, '/oauth/access_token', { grant_type: 'fb_exchange_token', client_id: env.clientId, client_secret: env.clientSecret, fb_exchange_token: need(short.body, 'access_token', 'Facebook token') }), {});
    if (long.status !== 200) throw new ConnectorError('refused', `Facebook refused a long-lived token: ${errorText(long.body)}`);
    const userToken = need(long.body, 'access_token', 'Facebook token');
    const pages = await networkCall(graph(base, '/me/accounts', { fields: 'id,name,access_token,tasks,category' }), { headers: { authorization: `Bearer ${userToken}` } });
    if (pages.status !== 200 || !Array.isArray(pages.body.data)) throw new ConnectorError('refused', `Facebook did not list the Pages: ${errorText(pages.body)}`);
    const found = (pages.body.data as Record<string, unknown>[]).filter((page) => Array.isArray(page.tasks) && page.tasks.includes('CREATE_CONTENT'));
    if (found.length === 0) throw new ConnectorError('refused', 'Facebook lists no Page this person may post to (the CREATE_CONTENT task)');
    return found.map((page) => ({
      accountId: need(page, 'id', 'Facebook Page'),
      handle: null,
      displayName: str(page.name) ?? 'Facebook Page',
      tokens: { accessToken: need(page, 'access_token', 'Facebook Page'), accessExpiresAt: null, scopes: [...this.scopes] },
      extra: { tasks: (page.tasks as unknown[]).map(String).join(',') },
    }));
  },

  /** Nothing to refresh: checks the Page token is still good. */
  async refresh(env, held) {
    const check = await networkCall(graph(hostOf(env, GRAPH), '/debug_token', { input_token: held.accessToken, access_token: `${env.clientId}|${env.clientSecret}` }), {});
    const data = check.body.data as Record<string, unknown> | undefined;
    if (check.status !== 200 || !data) throw new ConnectorError('transient', `Facebook could not check the token: ${errorText(check.body)}`);
    if (data.is_valid !== true) throw new ConnectorError('revoked', 'Facebook says the Page token is no longer valid (password changed, Page role removed, or app removed)');
    const expires = typeof data.expires_at === 'number' && data.expires_at > 0 ? data.expires_at * 1000 : null;
    return { accessToken: held.accessToken, accessExpiresAt: expires, scopes: Array.isArray(data.scopes) ? data.scopes.map(String) : [] };
  },
};
